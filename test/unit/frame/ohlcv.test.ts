import { expect, test } from 'bun:test'
import { allocOhlcv, concatOhlcv, mapOhlcv, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'

function candles(dates: number[]): OhlcvColumns {
  const c = allocOhlcv(dates.length)
  dates.forEach((d, i) => {
    c.date[i] = d
    c.open[i] = d + 1
    c.high[i] = d + 2
    c.low[i] = d - 2
    c.close[i] = d + 0.5
    c.volume[i] = 10 * d
  })
  return c
}

test('mapOhlcv applies one transform to every column: a view of rows shares the buffers', () => {
  const c = candles([1, 2, 3, 4])
  const view = mapOhlcv(c, (a) => a.subarray(1, 3))
  expect(Array.from(view.date)).toEqual([2, 3])
  expect(Array.from(view.volume)).toEqual([20, 30])
  expect(view.close.buffer).toBe(c.close.buffer)
})

test('concatOhlcv joins parts end to end into new columns', () => {
  const a = candles([1, 2])
  const b = candles([3])
  const joined = concatOhlcv([a, b, candles([])])
  expect(Array.from(joined.date)).toEqual([1, 2, 3])
  expect(Array.from(joined.high)).toEqual([3, 4, 5])
  expect(joined.date.buffer).not.toBe(a.date.buffer)
  expect(concatOhlcv([]).date.length).toBe(0)
})
