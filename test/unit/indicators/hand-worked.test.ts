import { describe, expect, test } from 'bun:test'
import {
  atr,
  bollinger,
  ema,
  heikinAshi,
  macd,
  minusDi,
  obv,
  plusDi,
  rollingVwap,
  rsi,
  sar,
  sma,
  stoch,
  stochf,
  vwap,
  wma,
} from '../../../src/indicators/index.ts'

const f = (xs: number[]) => Float64Array.from(xs)
const list = (a: Float64Array) => Array.from(a)
const NaN_ = Number.NaN

describe('moving averages', () => {
  test('SMA(3) of [1,2,3,4] = [NaN, NaN, 2, 3]', () => {
    expect(list(sma(f([1, 2, 3, 4]), 3))).toEqual([NaN_, NaN_, 2, 3])
  })

  test('EMA(3) is seeded with the mean of the first 3 values, then k = 0.5: [2,4,6,8,4] -> [NaN, NaN, 4, 6, 5]', () => {
    expect(list(ema(f([2, 4, 6, 8, 4]), 3))).toEqual([NaN_, NaN_, 4, 6, 5])
  })

  test('WMA(3) of [1,2,3,4]: (1+4+9)/6 and (2+6+12)/6', () => {
    const out = wma(f([1, 2, 3, 4]), 3)
    expect(out[1]).toBeNaN()
    expect(out[2]).toBeCloseTo(14 / 6, 12)
    expect(out[3]).toBeCloseTo(20 / 6, 12)
  })

  test('a series shorter than the lookback is all NaN, and bad periods are refused', () => {
    expect(list(ema(f([1, 2]), 3))).toEqual([NaN_, NaN_])
    expect(() => sma(f([1, 2]), 0)).toThrow('sma: period must be a whole number >= 1, got 0')
  })
})

describe('RSI', () => {
  const up = f(Array.from({ length: 30 }, (_, i) => 10 + i))
  test('a rising series is 100 from row 14 on, NaN before', () => {
    const out = rsi(up)
    expect(list(out.slice(0, 14)).every(Number.isNaN)).toBe(true)
    expect(list(out.slice(14))).toEqual(Array(16).fill(100))
  })

  test('a falling series is 0, and so is a flat one (no movement at all)', () => {
    expect(rsi(up.slice().reverse())[20]).toBe(0)
    expect(rsi(f(Array(20).fill(5)))[19]).toBe(0)
  })

  test('RSI(2) of [1,2,1,2]: 50 (gain 0.5, loss 0.5), then gain 0.75, loss 0.25 -> 75', () => {
    expect(list(rsi(f([1, 2, 1, 2]), 2))).toEqual([NaN_, NaN_, 50, 75])
  })
})

describe('MACD', () => {
  test('lookback is 33 rows for 12/26/9', () => {
    const out = macd(f(Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i))))
    expect(out.macd.findIndex((x) => !Number.isNaN(x))).toBe(33)
    expect(out.signal.findIndex((x) => !Number.isNaN(x))).toBe(33)
    expect(out.hist.findIndex((x) => !Number.isNaN(x))).toBe(33)
  })

  test('the fast EMA is seeded at row 25 (TA-Lib alignment), checked on a step from 0 to 1 at row 20', () => {
    const x = f(Array.from({ length: 50 }, (_, i) => (i >= 20 ? 1 : 0)))
    // At row 25 the fast EMA is the mean of rows 14..25 (six ones of twelve) = 0.5, the slow one the mean of
    // rows 0..25 = 6/26; afterwards each closes the gap to 1 by its factor 1-k per row (11/13 and 25/27).
    const fast = (t: number) => 1 - 0.5 * (11 / 13) ** (t - 25)
    const slow = (t: number) => 1 - (20 / 26) * (25 / 27) ** (t - 25)
    const line = (t: number) => fast(t) - slow(t)
    // Signal: seeded at row 33 with the mean of the macd values of rows 25..33, then k = 0.2.
    let seed = 0
    for (let t = 25; t <= 33; t++) seed += line(t) / 9
    const out = macd(x)
    expect(out.macd[33]).toBeCloseTo(line(33), 12)
    expect(out.signal[33]).toBeCloseTo(seed, 12)
    expect(out.signal[34]).toBeCloseTo(seed + 0.2 * (line(34) - seed), 12)
    expect(out.hist[34]).toBeCloseTo(line(34) - (seed + 0.2 * (line(34) - seed)), 12)
  })
})

describe('volatility and volume', () => {
  test('Bollinger(5, 2) of [1..5]: middle 3, population sigma sqrt(2)', () => {
    const b = bollinger(f([1, 2, 3, 4, 5]), 5, 2, 2)
    expect(b.middle[4]).toBe(3)
    expect(b.upper[4]).toBeCloseTo(3 + 2 * Math.SQRT2, 12)
    expect(b.lower[4]).toBeCloseTo(3 - 2 * Math.SQRT2, 12)
    expect(b.upper[3]).toBeNaN()
  })

  test('ATR(2): TR = [-, 3, 4, 1]; first ATR = (3+4)/2 = 3.5 at row 2, then (3.5 + 1)/2 = 2.25', () => {
    // row 1: h-l = 2, |h - prevClose| = |13 - 10| = 3; row 2: h-l = 4; row 3: h-l = 1
    const high = f([11, 13, 14, 12])
    const low = f([9, 11, 10, 11])
    const close = f([10, 12, 11, 11.5])
    expect(list(atr(high, low, close, 2))).toEqual([NaN_, NaN_, 3.5, 2.25])
  })

  test('OBV starts at the first volume: closes [10,11,11,9], volumes [5,3,2,4] -> [5, 8, 8, 4]', () => {
    expect(list(obv(f([10, 11, 11, 9]), f([5, 3, 2, 4])))).toEqual([5, 8, 8, 4])
  })

  test('VWAP of typical prices 10 (volume 1) and 20 (volume 3) = 17.5; rolling window 1 repeats the last value', () => {
    const high = f([11, 21, 30])
    const low = f([9, 19, 30])
    const close = f([10, 20, 30])
    expect(list(vwap(high, low, close, f([1, 3, 0])))).toEqual([10, 17.5, 17.5])
    // Window 1 over a row without volume is 0/0: qtpylib forward-fills it.
    expect(list(rollingVwap(high, low, close, f([1, 3, 0]), 1))).toEqual([10, 20, 20])
  })
})

describe('stochastic, SAR and Heikin-Ashi', () => {
  test('STOCH on a flat range is 0 (TA-Lib guard), lookback 8', () => {
    const flat = f(Array(12).fill(7))
    const { k, d } = stoch(flat, flat, flat)
    expect(k[7]).toBeNaN()
    expect(d[7]).toBeNaN()
    expect(k[8]).toBe(0)
    expect(d[11]).toBe(0)
  })

  test('SAR starts short when the low falls more than the high rises, at the first high', () => {
    // Row 1: high -0.2, low -2 -> -DM > 0 -> short; SAR 10 (high of row 0), extreme point 7 (low of row 1).
    const out = sar(f([10, 9.8, 9, 8]), f([9, 7, 6, 5]))
    expect(out[0]).toBeNaN()
    expect(out[1]).toBe(10)
    // 10 + 0.02 * (7 - 10) = 9.94, above the highs 9.8 (row 1 stands in for the previous row too).
    expect(out[2]).toBeCloseTo(9.94, 12)
    // Row 2 makes a new low 6: af 0.04, 9.94 + 0.04 * (6 - 9.94) = 9.7824, pushed up to the previous high 9.8.
    expect(out[3]).toBeCloseTo(9.8, 12)
  })

  test('SAR starts long otherwise, at the first low, and reverses at the extreme point', () => {
    // Long: SAR 9, extreme point 11; row 2: 9 + 0.02 * (11 - 9) = 9.04. Row 3's low 8 breaks it: short, SAR = the
    // extreme point 12 (new high of row 2), at least the highs of rows 2 and 3 (12, 11.5) -> 12.
    const out = sar(f([10, 11, 12, 11.5]), f([9, 10, 11, 8]))
    expect(out[1]).toBe(9)
    expect(out[2]).toBeCloseTo(9.04, 12)
    expect(out[3]).toBe(12)
  })

  test('Heikin-Ashi: close = mean of OHLC, open = mean of the previous HA open and close', () => {
    const ha = heikinAshi(f([10, 12]), f([14, 15]), f([8, 11]), f([12, 13]))
    expect(list(ha.close)).toEqual([11, 12.75])
    expect(list(ha.open)).toEqual([11, 11])
    expect(list(ha.high)).toEqual([14, 15])
    expect(list(ha.low)).toEqual([8, 11])
  })
})

describe('directional indicators and fast stochastic', () => {
  // high [10,12,11,13], low [8,9,7,10], close [9,11,8,12]: +DM [-,2,0,2], -DM [-,0,2,0], TR [-,3,4,5].
  // Period 2: sums over row 1 (+DM 2, -DM 0, TR 3), then s = s - s/2 + x: row 2 +DM 1, -DM 2, TR 5.5;
  // row 3 +DM 2.5, -DM 1, TR 7.75.
  const high = f([10, 12, 11, 13])
  const low = f([8, 9, 7, 10])
  const close = f([9, 11, 8, 12])

  test('PLUS_DI(2) = [NaN, NaN, 100·1/5.5, 100·2.5/7.75]', () => {
    const got = plusDi(high, low, close, 2)
    expect(got[1]).toBeNaN()
    expect(got[2]).toBeCloseTo(100 / 5.5, 12)
    expect(got[3]).toBeCloseTo(250 / 7.75, 12)
  })

  test('MINUS_DI(2) = [NaN, NaN, 100·2/5.5, 100·1/7.75]', () => {
    const got = minusDi(high, low, close, 2)
    expect(got[1]).toBeNaN()
    expect(got[2]).toBeCloseTo(200 / 5.5, 12)
    expect(got[3]).toBeCloseTo(100 / 7.75, 12)
  })

  test('DI is 0 while the smoothed true range is 0 (flat candles)', () => {
    const flat = f([5, 5, 5, 5])
    expect(list(plusDi(flat, flat, flat, 2))).toEqual([NaN_, NaN_, 0, 0])
  })

  test('STOCHF(2, 2): fastK [-, 60, 60, 100], fastD = SMA2 → [NaN, NaN, 60, 80], both from lookback 2', () => {
    const r = stochf(f([5, 6, 7, 8]), f([1, 2, 3, 4]), f([3, 4, 5, 8]), 2, 2)
    expect(list(r.fastk)).toEqual([NaN_, NaN_, 60, 100])
    expect(list(r.fastd)).toEqual([NaN_, NaN_, 60, 80])
  })
})
