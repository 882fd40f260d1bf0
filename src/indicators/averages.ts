import { checkPeriod, emaInto, nanArray, smaInto } from './internal.ts'

/** Simple moving average (TA-Lib SMA, default period 30); lookback period-1. */
export function sma(src: Float64Array, period = 30): Float64Array {
  checkPeriod('sma', 'period', period, 1)
  const out = nanArray(src.length)
  smaInto(src, 0, period, out)
  return out
}

/**
 * Exponential moving average (TA-Lib EMA, default period 30): k = 2/(period+1), seeded with the simple average of the
 * first `period` values; lookback period-1.
 */
export function ema(src: Float64Array, period = 30): Float64Array {
  checkPeriod('ema', 'period', period, 1)
  const out = nanArray(src.length)
  emaInto(src, period - 1, period, 2 / (period + 1), out)
  return out
}

/** Linearly weighted moving average, newest weight `period` (TA-Lib WMA, default period 30); lookback period-1. */
export function wma(src: Float64Array, period = 30): Float64Array {
  checkPeriod('wma', 'period', period, 1)
  const n = src.length
  const out = nanArray(n)
  if (period - 1 >= n) return out
  const divider = (period * (period + 1)) / 2
  // TA-Lib's running form: periodSum is the weighted sum, periodSub the plain sum that leaves it each step.
  let periodSub = 0
  let periodSum = 0
  for (let i = 0; i < period - 1; i++) {
    periodSub += src[i]
    periodSum += src[i] * (i + 1)
  }
  let trailingValue = 0
  let trailing = 0
  for (let i = period - 1; i < n; i++) {
    const v = src[i]
    periodSub += v
    periodSub -= trailingValue
    periodSum += v * period
    trailingValue = src[trailing++]
    out[i] = periodSum / divider
    periodSum -= periodSub
  }
  return out
}

/**
 * Triple exponential moving average (TA-Lib TEMA, default period 30): 3·e1 − 3·e2 + e3 where e2 = EMA(e1) and
 * e3 = EMA(e2), each EMA seeded with the average of its input's first `period` valid values; lookback 3·(period-1).
 */
export function tema(src: Float64Array, period = 30): Float64Array {
  checkPeriod('tema', 'period', period, 1)
  const n = src.length
  const k = 2 / (period + 1)
  const lb = period - 1
  const e1 = nanArray(n)
  const e2 = nanArray(n)
  const out = nanArray(n)
  emaInto(src, lb, period, k, e1)
  emaInto(e1, 2 * lb, period, k, e2)
  emaInto(e2, 3 * lb, period, k, out)
  for (let i = 3 * lb; i < n; i++) out[i] += 3 * e1[i] - 3 * e2[i]
  return out
}
