import { describe, expect, test } from 'bun:test'
import { Frame } from '../../../src/frame/frame.ts'
import { crossedAbove, crossedBelow, mergeInformative, shift } from '../../../src/frame/ops.ts'

const f = (xs: number[]) => Float64Array.from(xs)
const list = (a: Float64Array) => Array.from(a)
const N = Number.NaN
const MIN = 60_000
const T0 = Date.UTC(2024, 0, 1)

describe('shift', () => {
  test('by 1 (default) moves values one row later, NaN first', () => {
    expect(list(shift(f([1, 2, 3, 4])))).toEqual([N, 1, 2, 3])
  })
  test('by 2 and by -1', () => {
    expect(list(shift(f([1, 2, 3, 4]), 2))).toEqual([N, N, 1, 2])
    expect(list(shift(f([1, 2, 3, 4]), -1))).toEqual([2, 3, 4, N])
  })
  test('by more than the length is all NaN', () => {
    expect(list(shift(f([1, 2]), 5))).toEqual([N, N])
  })
})

describe('crossedAbove / crossedBelow (qtpylib semantics)', () => {
  const a = f([1, 2, 3, 2, 1, 2, 3])
  const b = f([2, 2, 2, 2, 2, 2, 2])
  test('above: a[i] > b[i] and a[i-1] <= b[i-1]; touching (2 = 2) then rising counts once', () => {
    // rows: 0 first row never; 2: 3 > 2 and 2 <= 2 -> 1; 6: 3 > 2 and 2 <= 2 -> 1
    expect(list(crossedAbove(a, b))).toEqual([0, 0, 1, 0, 0, 0, 1])
  })
  test('below: a[i] < b[i] and a[i-1] >= b[i-1]', () => {
    // row 4: 1 < 2 and 2 >= 2 -> 1
    expect(list(crossedBelow(a, b))).toEqual([0, 0, 0, 0, 1, 0, 0])
  })
  test('against a number', () => {
    expect(list(crossedAbove(f([29, 31, 35, 28, 30.5]), 30))).toEqual([0, 1, 0, 0, 1])
    expect(list(crossedBelow(f([29, 31, 35, 28, 30.5]), 30))).toEqual([0, 0, 0, 1, 0])
  })
  test('rows next to NaN never cross', () => {
    expect(list(crossedAbove(f([N, 5, N, 5]), 1))).toEqual([0, 0, 0, 0])
  })
  test('length mismatch is refused', () => {
    expect(() => crossedAbove(f([1, 2]), f([1]))).toThrow('length 2 with one of length 1')
  })
})

/** A frame with dates every `stepMin` minutes from T0 (minus the dates in `skip`) and the given extra columns. */
function frame(count: number, stepMin: number, cols: Record<string, number[]> = {}, skip: number[] = []): Frame {
  const dates = Array.from({ length: count }, (_, i) => T0 + i * stepMin * MIN).filter((d) => !skip.includes(d))
  const df = new Frame(dates.length).set('date', dates)
  for (const [name, values] of Object.entries(cols)) df.set(name, values)
  return df
}

describe('mergeInformative (freqtrade merge_informative_pair, ffill)', () => {
  // Base: 5m candles 00:00 .. 02:00 (25 rows). Informative: 1h candles at 00:00, 01:00, 02:00 with closes 10, 20, 30.
  // The 00:00 1h candle closes at 01:00; the 5m candle opening at 00:55 closes at 01:00 too, so 00:55 is the first
  // row that may know it: merge key = date + 60m - 5m.
  const base = () => frame(25, 5, { close: Array.from({ length: 25 }, (_, i) => i) })
  const inf = frame(3, 60, { close: [10, 20, 30], rsi: [40, 50, 60] })

  test('5m/1h: each hourly candle appears from the 5m candle that closes with it, forward filled', () => {
    const df = mergeInformative(base(), inf, '5m', '1h')
    expect(df.columns()).toEqual(['date', 'close', 'date_1h', 'close_1h', 'rsi_1h'])
    expect(df.length).toBe(25)
    const close1h = list(df.col('close_1h'))
    // rows 0..10 = 00:00..00:50: nothing closed yet
    expect(close1h.slice(0, 11)).toEqual(Array(11).fill(N))
    // rows 11..22 = 00:55..01:50: the 00:00 candle
    expect(close1h.slice(11, 23)).toEqual(Array(12).fill(10))
    // rows 23..24 = 01:55..02:00: the 01:00 candle (the 02:00 candle becomes visible at 02:55, beyond the data)
    expect(close1h.slice(23)).toEqual([20, 20])
    expect(df.col('date_1h')[11]).toBe(T0)
    expect(df.col('date_1h')[24]).toBe(T0 + 60 * MIN)
    expect(df.col('rsi_1h')[23]).toBe(50)
    // base columns are carried over unchanged
    expect(list(df.col('close'))).toEqual(list(base().col('close')))
  })

  test('without ffill only the exact rows carry the informative values', () => {
    const df = mergeInformative(base(), inf, '5m', '1h', { ffill: false })
    const close1h = list(df.col('close_1h'))
    expect(close1h[11]).toBe(10)
    expect(close1h[12]).toBeNaN()
    expect(close1h[23]).toBe(20)
    expect(close1h[24]).toBeNaN()
  })

  test('a base gap at the merge key skips that informative candle, as pandas merge_ordered does', () => {
    // 00:55 missing: the 00:00 hourly candle has no row to land on, so nothing shows until 01:55.
    const gappy = frame(25, 5, {}, [T0 + 55 * MIN])
    const close1h = list(mergeInformative(gappy, inf, '5m', '1h').col('close_1h'))
    expect(close1h.slice(0, 22)).toEqual(Array(22).fill(N))
    expect(close1h.slice(22)).toEqual([20, 20])
  })

  test('a suffix replaces the timeframe in the names; equal timeframes merge without a shift', () => {
    const hourly = frame(3, 60, { close: [1, 2, 3] })
    const df = mergeInformative(hourly, inf, '1h', '1h', { suffix: 'btc' })
    expect(df.columns()).toEqual(['date', 'close', 'date_btc', 'close_btc', 'rsi_btc'])
    expect(list(df.col('close_btc'))).toEqual([10, 20, 30])
  })

  test('monthly candles become visible on the last base candle of their month', () => {
    const day = 24 * 60
    const daily = frame(62, day) // 2024-01-01 .. 2024-03-02
    const monthly = new Frame(2).set('date', [T0, Date.UTC(2024, 1, 1)]).set('close', [7, 8])
    const close1M = list(mergeInformative(daily, monthly, '1d', '1M').col('close_1M'))
    // January's candle closes at Feb 1: key Jan 31 (row 30). February's (29 days in 2024) key Feb 29 (row 59).
    expect(close1M[29]).toBeNaN()
    expect(close1M[30]).toBe(7)
    expect(close1M[58]).toBe(7)
    expect(close1M[59]).toBe(8)
  })

  test('merging a faster timeframe onto a slower one is refused', () => {
    expect(() => mergeInformative(inf, base(), '1h', '5m')).toThrow('cannot merge a faster timeframe (5m)')
  })
})
