import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import {
  adx,
  atr,
  bollinger,
  cci,
  ema,
  heikinAshi,
  macd,
  mfi,
  minusDi,
  obv,
  plusDi,
  rollingVwap,
  rsi,
  sar,
  sma,
  stoch,
  stochf,
  tema,
  trueRange,
  vwap,
  wma,
} from '../../../src/indicators/index.ts'

// Reference values written by test/fixtures/indicators/make_reference.py (pandas/numpy, from TA-Lib's definitions).
interface Reference {
  input: Record<'date' | 'open' | 'high' | 'low' | 'close' | 'volume', (number | null)[]>
  expected: Record<string, (number | null)[]>
}
const ref = (await Bun.file(
  join(import.meta.dir, '..', '..', 'fixtures', 'indicators', 'reference.json'),
).json()) as Reference
const col = (name: keyof Reference['input']) => Float64Array.from(ref.input[name], (x) => x ?? Number.NaN)
const open = col('open')
const high = col('high')
const low = col('low')
const close = col('close')
const volume = col('volume')

/** Fixture key → the same series from the TypeScript implementation. */
const actual: Record<string, () => Float64Array> = {
  sma_10: () => sma(close, 10),
  sma_30: () => sma(close),
  ema_10: () => ema(close, 10),
  ema_30: () => ema(close),
  tema_10: () => tema(close, 10),
  tema_30: () => tema(close),
  wma_10: () => wma(close, 10),
  rsi_14: () => rsi(close),
  rsi_5: () => rsi(close, 5),
  'macd.macd': () => macd(close).macd,
  'macd.signal': () => macd(close).signal,
  'macd.hist': () => macd(close).hist,
  'macd_5_10_4.macd': () => macd(close, 5, 10, 4).macd,
  'macd_5_10_4.signal': () => macd(close, 5, 10, 4).signal,
  'macd_5_10_4.hist': () => macd(close, 5, 10, 4).hist,
  'bollinger_5.upper': () => bollinger(close).upper,
  'bollinger_5.middle': () => bollinger(close).middle,
  'bollinger_5.lower': () => bollinger(close).lower,
  'bollinger_20.upper': () => bollinger(close, 20, 2, 1.5).upper,
  'bollinger_20.middle': () => bollinger(close, 20, 2, 1.5).middle,
  'bollinger_20.lower': () => bollinger(close, 20, 2, 1.5).lower,
  true_range: () => trueRange(high, low, close),
  atr_14: () => atr(high, low, close),
  adx_14: () => adx(high, low, close),
  adx_5: () => adx(high, low, close, 5),
  'stoch.k': () => stoch(high, low, close).k,
  'stoch.d': () => stoch(high, low, close).d,
  'stochf.fastk': () => stochf(high, low, close).fastk,
  'stochf.fastd': () => stochf(high, low, close).fastd,
  'stochf_14_3.fastk': () => stochf(high, low, close, 14, 3).fastk,
  'stochf_14_3.fastd': () => stochf(high, low, close, 14, 3).fastd,
  plus_di_14: () => plusDi(high, low, close),
  minus_di_14: () => minusDi(high, low, close),
  plus_di_5: () => plusDi(high, low, close, 5),
  minus_di_5: () => minusDi(high, low, close, 5),
  cci_14: () => cci(high, low, close),
  mfi_14: () => mfi(high, low, close, volume),
  obv: () => obv(close, volume),
  vwap: () => vwap(high, low, close, volume),
  rolling_vwap_200: () => rollingVwap(high, low, close, volume),
  rolling_vwap_20: () => rollingVwap(high, low, close, volume, 20),
  sar: () => sar(high, low),
  'heikinashi.open': () => heikinAshi(open, high, low, close).open,
  'heikinashi.high': () => heikinAshi(open, high, low, close).high,
  'heikinashi.low': () => heikinAshi(open, high, low, close).low,
  'heikinashi.close': () => heikinAshi(open, high, low, close).close,
}

/** First row where got and want disagree (NaN placement exactly, values to 1e-9 relative), or -1. */
function firstMismatch(got: Float64Array, want: (number | null)[]): number {
  for (let i = 0; i < want.length; i++) {
    const w = want[i]
    const g = got[i]
    if (w === null) {
      if (!Number.isNaN(g)) return i
      continue
    }
    if (Number.isNaN(g) || Math.abs(g - w) > 1e-9 * Math.max(Math.abs(w), 1e-3)) return i
  }
  return -1
}

describe('indicators match the TA-Lib reference values', () => {
  test('every fixture series has an implementation and vice versa', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(ref.expected).sort())
  })

  for (const [key, want] of Object.entries(ref.expected)) {
    test(key, () => {
      const got = actual[key]()
      expect(got.length).toBe(want.length)
      const i = firstMismatch(got, want)
      expect(i === -1 ? 'all rows match' : `row ${i}: got ${got[i]}, want ${want[i]}`).toBe('all rows match')
      // A fixture with nothing but warm-up would prove nothing.
      expect(want.some((x) => x !== null)).toBe(true)
    })
  }
})
