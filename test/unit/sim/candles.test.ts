import { describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { OhlcvColumns } from '../../../src/frame/ohlcv.ts'
import { aggregateOhlcv, openCandle, partialBar } from '../../../src/sim/candles.ts'
import { ReplayCandleSource } from '../../../src/sim/replaySource.ts'
import { SyntheticCandleSource } from '../../../src/sim/syntheticSource.ts'

const MIN = 60_000
const DAY = 86_400_000
const T = Date.UTC(2024, 2, 1)
const DATA = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')

const arr = (c: OhlcvColumns) => ({
  date: Array.from(c.date),
  open: Array.from(c.open),
  high: Array.from(c.high),
  low: Array.from(c.low),
  close: Array.from(c.close),
  volume: Array.from(c.volume),
})

describe('SyntheticCandleSource', () => {
  test('the same seed gives the same candles, another seed other candles', () => {
    const a = new SyntheticCandleSource({ seed: 1 }).candles('BTC/USDT', MIN, T, T + 2 * DAY)
    const b = new SyntheticCandleSource({ seed: 1 }).candles('BTC/USDT', MIN, T, T + 2 * DAY)
    const c = new SyntheticCandleSource({ seed: 2 }).candles('BTC/USDT', MIN, T, T + 2 * DAY)
    expect(a.date.length).toBe(2880)
    expect(arr(a)).toEqual(arr(b))
    expect(arr(a).close).not.toEqual(arr(c).close)
  })

  test('candles are well formed, continuous across days, and any range gives the same values', () => {
    const src = new SyntheticCandleSource({
      seed: 3,
      profile: () => ({ price: 100, volatility: 0.04, tickSize: 0.01 }),
    })
    const c = src.candles('SOL/USDT', MIN, T - DAY, T + DAY)
    for (let i = 0; i < c.date.length; i++) {
      expect(c.high[i]!).toBeGreaterThanOrEqual(Math.max(c.open[i]!, c.close[i]!))
      expect(c.low[i]!).toBeLessThanOrEqual(Math.min(c.open[i]!, c.close[i]!))
      expect(c.volume[i]!).toBeGreaterThan(0)
      expect(Math.abs(c.close[i]! * 100 - Math.round(c.close[i]! * 100))).toBeLessThan(1e-6)
      if (i > 0) expect(c.open[i]).toBe(c.close[i - 1]!) // midnight included
    }
    // a range asked on its own equals the same slice of a larger one (lazy generation is order-free)
    const fresh = new SyntheticCandleSource({
      seed: 3,
      profile: () => ({ price: 100, volatility: 0.04, tickSize: 0.01 }),
    })
    const part = fresh.candles('SOL/USDT', MIN, T + 123 * MIN, T + 456 * MIN)
    const i0 = 1440 + 123
    expect(arr(part).close).toEqual(Array.from(c.close.subarray(i0, i0 + 333)))
  })

  test('trending and ranging: over months the price travels, stays near its level, and varies its daily moves', () => {
    const src = new SyntheticCandleSource({ seed: 11 })
    const days = src.candles('ETH/USDT', DAY, T, T + 200 * DAY)
    expect(days.date.length).toBe(200)
    const level = src.profileOf('ETH/USDT').price
    const closes = Array.from(days.close)
    expect(Math.max(...closes) / Math.min(...closes)).toBeGreaterThan(1.2)
    for (const x of closes) expect(Math.abs(Math.log(x / level))).toBeLessThan(1.5)
    const ranges = closes.map((_, i) => days.high[i]! / days.low[i]! - 1)
    expect(Math.max(...ranges)).toBeGreaterThan(2 * Math.min(...ranges))
  })

  test('every timeframe is the aggregate of the 1m candles; weeks open on Monday', () => {
    const src = new SyntheticCandleSource({ seed: 5 })
    const ones = src.candles('BTC/USDT', MIN, T, T + DAY)
    for (const tf of [5 * MIN, 60 * MIN, DAY]) {
      expect(arr(src.candles('BTC/USDT', tf, T, T + DAY))).toEqual(arr(aggregateOhlcv(ones, tf)))
    }
    const weeks = src.candles('BTC/USDT', 7 * DAY, T, T + 30 * DAY)
    for (const d of weeks.date) expect(new Date(d).getUTCDay()).toBe(1)
  })

  test('memory stays bounded: old blocks are dropped and made again identically', () => {
    const src = new SyntheticCandleSource({ seed: 9, cacheBlocks: 4 })
    const first = arr(src.candles('BTC/USDT', MIN, T, T + DAY))
    src.candles('BTC/USDT', MIN, T + 10 * DAY, T + 20 * DAY)
    expect((src as unknown as { cache: Map<string, unknown> }).cache.size).toBeLessThanOrEqual(4)
    expect(arr(src.candles('BTC/USDT', MIN, T, T + DAY))).toEqual(first)
  })

  test('the open candle grows from open towards the full bar as the minute passes', () => {
    const src = new SyntheticCandleSource({ seed: 1 })
    const full = src.candles('BTC/USDT', MIN, T, T + MIN)
    const bar = {
      date: T,
      open: full.open[0]!,
      high: full.high[0]!,
      low: full.low[0]!,
      close: full.close[0]!,
      volume: full.volume[0]!,
    }
    expect(partialBar(bar, 1)).toEqual(bar)
    expect(partialBar(bar, 0).close).toBe(bar.open)
    const half = openCandle(src, 'BTC/USDT', MIN, T + 30_000)!
    expect(half.volume).toBeCloseTo(bar.volume / 2, 10)
    expect(half.close).toBeCloseTo((bar.open + bar.close) / 2, 6)
    // a 5m candle three and a half minutes in: three whole 1m bars plus half of the fourth
    const five = openCandle(src, 'BTC/USDT', 5 * MIN, T + 3.5 * MIN)!
    const ones = src.candles('BTC/USDT', MIN, T, T + 4 * MIN)
    expect(five.open).toBe(ones.open[0]!)
    expect(five.volume).toBeCloseTo(ones.volume[0]! + ones.volume[1]! + ones.volume[2]! + ones.volume[3]! / 2, 8)
  })
})

describe('ReplayCandleSource', () => {
  const rows = (start: number, n: number, tf: number): OhlcvColumns => {
    const c = {
      date: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    }
    for (let i = 0; i < n; i++) {
      c.date[i] = start + i * tf
      c.open[i] = 10 + i
      c.high[i] = 11 + i
      c.low[i] = 9 + i
      c.close[i] = 10.5 + i
      c.volume[i] = 1
    }
    return c
  }

  test('slices given candles, aggregates to multiples, refuses finer timeframes', () => {
    const src = new ReplayCandleSource({ 'ETH/BTC': rows(T, 12, 5 * MIN) })
    expect(src.baseTimeframeMs).toBe(5 * MIN)
    expect(arr(src.candles('ETH/BTC', 5 * MIN, T + 5 * MIN, T + 15 * MIN)).open).toEqual([11, 12])
    // 15m from three 5m bars: open 10, high 13, low 9, close 12.5, volume 3
    const q = src.candles('ETH/BTC', 15 * MIN, T, T + 60 * MIN)
    expect(arr(q)).toEqual({
      date: [T, T + 15 * MIN, T + 30 * MIN, T + 45 * MIN],
      open: [10, 13, 16, 19],
      high: [13, 16, 19, 22],
      low: [9, 12, 15, 18],
      close: [12.5, 15.5, 18.5, 21.5],
      volume: [3, 3, 3, 3],
    })
    expect(() => src.candles('ETH/BTC', MIN, T, T + 60 * MIN)).toThrow(/whole multiple/)
    expect(src.candles('NOPE/BTC', 5 * MIN, T, T + 60 * MIN).date.length).toBe(0)
  })

  test.skipIf(!existsSync(DATA))('replays a stored candle file (skipped when ../shared/data is absent)', () => {
    const raw = JSON.parse(readFileSync(join(DATA, 'binance', 'UNITTEST_BTC-1m.json'), 'utf8')) as number[][]
    const cols = rows(0, 0, MIN)
    const n = raw.length
    const c: OhlcvColumns = {
      date: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    }
    raw.forEach((r, i) => {
      c.date[i] = r[0]!
      c.open[i] = r[1]!
      c.high[i] = r[2]!
      c.low[i] = r[3]!
      c.close[i] = r[4]!
      c.volume[i] = r[5]!
    })
    expect(cols.date.length).toBe(0)
    const src = new ReplayCandleSource({ 'UNITTEST/BTC': c })
    expect(src.baseTimeframeMs).toBe(MIN)
    const first = src.candles('UNITTEST/BTC', MIN, raw[0]![0]!, raw[0]![0]! + 3 * MIN)
    expect(arr(first).close).toEqual([raw[0]![4]!, raw[1]![4]!, raw[2]![4]!])
  })
})
