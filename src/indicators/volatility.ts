import { checkPeriod, nanArray, sameLength, smaInto } from './internal.ts'
import { trueRangeAt } from './trend.ts'

/**
 * Bollinger bands (TA-Lib BBANDS with an SMA middle; defaults period 5, 2 deviations up and down): middle = SMA,
 * bands = middle ± k·σ with σ the population standard deviation of the window (computed as TA-Lib does, from the
 * running sum of squares: σ² = mean(x²) − mean², and σ = 0 when σ² < 1e-8). Lookback period-1.
 */
export function bollinger(
  src: Float64Array,
  period = 5,
  devUp = 2,
  devDown = 2,
): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  checkPeriod('bollinger', 'period', period, 2)
  const n = src.length
  const middle = nanArray(n)
  const upper = nanArray(n)
  const lower = nanArray(n)
  smaInto(src, 0, period, middle)
  if (period - 1 >= n) return { upper, middle, lower }
  let total2 = 0
  for (let i = 0; i < period - 1; i++) total2 += src[i] * src[i]
  for (let i = period - 1; i < n; i++) {
    const v = src[i]
    total2 += v * v
    let variance = total2 / period
    const old = src[i - period + 1]
    total2 -= old * old
    const m = middle[i]
    variance -= m * m
    const sd = variance < 0.00000001 ? 0 : Math.sqrt(variance)
    upper[i] = m + devUp * sd
    lower[i] = m - devDown * sd
  }
  return { upper, middle, lower }
}

/** True range (TA-Lib TRANGE): max(high−low, |prevClose−high|, |prevClose−low|); lookback 1. */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = sameLength('trueRange', high, low, close)
  const out = nanArray(n)
  for (let i = 1; i < n; i++) out[i] = trueRangeAt(high, low, close, i)
  return out
}

/**
 * Average true range (TA-Lib ATR, default period 14): the first value (row `period`) is the plain mean of the true
 * ranges of rows 1..period, then Wilder smoothing atr = (atr·(period-1) + tr)/period. Lookback `period`.
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('atr', 'period', period, 1)
  const n = sameLength('atr', high, low, close)
  if (period === 1) return trueRange(high, low, close)
  const out = nanArray(n)
  if (period >= n) return out
  let value = 0
  for (let i = 1; i <= period; i++) value += trueRangeAt(high, low, close, i)
  value /= period
  out[period] = value
  for (let i = period + 1; i < n; i++) {
    value *= period - 1
    value += trueRangeAt(high, low, close, i)
    value /= period
    out[i] = value
  }
  return out
}
