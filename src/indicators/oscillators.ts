import { checkPeriod, isZero, nanArray, sameLength, smaInto } from './internal.ts'

/**
 * Relative strength index (TA-Lib RSI, default period 14), Wilder smoothing: the first average gain/loss is the plain
 * mean of the first `period` changes, then avg = (avg·(period-1) + change) / period. 100·gain/(gain+loss), 0 when both
 * are (near) zero. Lookback `period`.
 */
export function rsi(src: Float64Array, period = 14): Float64Array {
  checkPeriod('rsi', 'period', period, 2)
  const n = src.length
  const out = nanArray(n)
  if (n <= period) return out
  let gain = 0
  let loss = 0
  for (let i = 1; i <= period; i++) {
    const d = src[i] - src[i - 1]
    if (d < 0) loss -= d
    else gain += d
  }
  gain /= period
  loss /= period
  out[period] = isZero(gain + loss) ? 0 : 100 * (gain / (gain + loss))
  for (let i = period + 1; i < n; i++) {
    const d = src[i] - src[i - 1]
    loss *= period - 1
    gain *= period - 1
    if (d < 0) loss -= d
    else gain += d
    loss /= period
    gain /= period
    const sum = gain + loss
    out[i] = isZero(sum) ? 0 : 100 * (gain / sum)
  }
  return out
}

/**
 * Slow stochastic (TA-Lib STOCH with SMA smoothing; defaults fastK 5, slowK 3, slowD 3). fastK = 100·(close − lowest
 * low)/(highest high − lowest low) over fastK rows (0 on a flat range), k = SMA(fastK, slowK), d = SMA(k, slowD).
 * Lookback (fastK-1)+(slowK-1)+(slowD-1); both outputs start there.
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastKPeriod = 5,
  slowKPeriod = 3,
  slowDPeriod = 3,
): { k: Float64Array; d: Float64Array } {
  checkPeriod('stoch', 'fastKPeriod', fastKPeriod, 1)
  checkPeriod('stoch', 'slowKPeriod', slowKPeriod, 1)
  checkPeriod('stoch', 'slowDPeriod', slowDPeriod, 1)
  const n = sameLength('stoch', high, low, close)
  const fastK = rawFastK(high, low, close, fastKPeriod)
  const k = nanArray(n)
  const d = nanArray(n)
  smaInto(fastK, fastKPeriod - 1, slowKPeriod, k)
  const kFirst = fastKPeriod - 1 + slowKPeriod - 1
  smaInto(k, kFirst, slowDPeriod, d)
  // TA-Lib outputs both lines from the first row where d exists.
  const lookback = kFirst + slowDPeriod - 1
  k.fill(Number.NaN, 0, Math.min(lookback, n))
  return { k, d }
}

/**
 * Fast stochastic (TA-Lib STOCHF with SMA smoothing; defaults fastK 5, fastD 3): fastK as in `stoch`, fastD =
 * SMA(fastK, fastD). Lookback (fastK-1)+(fastD-1); both outputs start there.
 */
export function stochf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastKPeriod = 5,
  fastDPeriod = 3,
): { fastk: Float64Array; fastd: Float64Array } {
  checkPeriod('stochf', 'fastKPeriod', fastKPeriod, 1)
  checkPeriod('stochf', 'fastDPeriod', fastDPeriod, 1)
  const n = sameLength('stochf', high, low, close)
  const fastk = rawFastK(high, low, close, fastKPeriod)
  const fastd = nanArray(n)
  smaInto(fastk, fastKPeriod - 1, fastDPeriod, fastd)
  // TA-Lib outputs both lines from the first row where fastD exists.
  fastk.fill(Number.NaN, 0, Math.min(fastKPeriod - 1 + fastDPeriod - 1, n))
  return { fastk, fastd }
}

/** 100·(close − lowest low)/(highest high − lowest low) over `period` rows, 0 on a flat range; NaN before row period-1. */
function rawFastK(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const n = close.length
  const fastK = nanArray(n)
  for (let i = period - 1; i < n; i++) {
    let hh = high[i]
    let ll = low[i]
    for (let j = i - period + 1; j < i; j++) {
      if (high[j] > hh) hh = high[j]
      if (low[j] < ll) ll = low[j]
    }
    const diff = (hh - ll) / 100
    fastK[i] = diff !== 0 ? (close[i] - ll) / diff : 0
  }
  return fastK
}

/**
 * Commodity channel index (TA-Lib CCI, default period 14): typical price tp = (h+l+c)/3,
 * (tp − mean(tp)) / (0.015 · mean |tp − mean(tp)|) over the window, 0 when either part is 0. Lookback period-1.
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('cci', 'period', period, 2)
  const n = sameLength('cci', high, low, close)
  const out = nanArray(n)
  for (let i = period - 1; i < n; i++) {
    let avg = 0
    for (let j = i - period + 1; j <= i; j++) avg += (high[j] + low[j] + close[j]) / 3
    avg /= period
    let dev = 0
    for (let j = i - period + 1; j <= i; j++) dev += Math.abs((high[j] + low[j] + close[j]) / 3 - avg)
    const diff = (high[i] + low[i] + close[i]) / 3 - avg
    out[i] = diff !== 0 && dev !== 0 ? diff / (0.015 * (dev / period)) : 0
  }
  return out
}

/**
 * Money flow index (TA-Lib MFI, default period 14): money flow tp·volume counts as positive when tp rose from the
 * previous row, negative when it fell, neither when unchanged; 100·pos/(pos+neg) over the window, 0 when pos+neg < 1
 * (TA-Lib's guard). Lookback `period`.
 */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 14,
): Float64Array {
  checkPeriod('mfi', 'period', period, 2)
  const n = sameLength('mfi', high, low, close, volume)
  const out = nanArray(n)
  if (n <= period) return out
  // Signed flow of row i (> 0 positive, < 0 negative, 0 neither); recomputed identically when it leaves the window.
  const flow = (i: number): number => {
    const tp = (high[i] + low[i] + close[i]) / 3
    const prev = (high[i - 1] + low[i - 1] + close[i - 1]) / 3
    const mf = tp * volume[i]
    return tp > prev ? mf : tp < prev ? -mf : 0
  }
  let pos = 0
  let neg = 0
  for (let i = 1; i <= period; i++) {
    const f = flow(i)
    if (f > 0) pos += f
    else if (f < 0) neg -= f
  }
  out[period] = pos + neg < 1 ? 0 : 100 * (pos / (pos + neg))
  for (let i = period + 1; i < n; i++) {
    const old = flow(i - period)
    if (old > 0) pos -= old
    else if (old < 0) neg += old
    const f = flow(i)
    if (f > 0) pos += f
    else if (f < 0) neg -= f
    const sum = pos + neg
    out[i] = sum < 1 ? 0 : 100 * (pos / sum)
  }
  return out
}
