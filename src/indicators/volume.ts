import { newColumn } from '../frame/columns.ts'
import { checkPeriod, nanArray, sameLength } from './internal.ts'

/** On-balance volume (TA-Lib OBV): starts at the first volume, then ± volume as the close rises or falls. Lookback 0. */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = sameLength('obv', close, volume)
  const out = newColumn(n)
  if (n === 0) return out
  let value = volume[0]
  let prev = close[0]
  for (let i = 0; i < n; i++) {
    const c = close[i]
    if (c > prev) value += volume[i]
    else if (c < prev) value -= volume[i]
    out[i] = value
    prev = c
  }
  return out
}

/**
 * Cumulative volume-weighted average of the typical price (h+l+c)/3 from the first row on, no session resets;
 * NaN while no volume has traded.
 */
export function vwap(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array): Float64Array {
  const n = sameLength('vwap', high, low, close, volume)
  const out = newColumn(n)
  let pv = 0
  let v = 0
  for (let i = 0; i < n; i++) {
    pv += volume[i] * ((high[i] + low[i] + close[i]) / 3)
    v += volume[i]
    out[i] = pv / v
  }
  return out
}

/**
 * Rolling VWAP as qtpylib.rolling_vwap (default window 200): sum(volume·tp)/sum(volume) over the window, NaN during the
 * first window-1 rows; a row with no volume in its window repeats the previous value (qtpylib's ffill).
 */
export function rollingVwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  window = 200,
): Float64Array {
  checkPeriod('rollingVwap', 'window', window, 1)
  const n = sameLength('rollingVwap', high, low, close, volume)
  const out = nanArray(n)
  let pv = 0
  let v = 0
  let last = Number.NaN
  for (let i = 0; i < n; i++) {
    pv += volume[i] * ((high[i] + low[i] + close[i]) / 3)
    v += volume[i]
    if (i >= window) {
      const j = i - window
      pv -= volume[j] * ((high[j] + low[j] + close[j]) / 3)
      v -= volume[j]
    }
    if (i >= window - 1) {
      const x = pv / v
      if (Number.isFinite(x)) last = x
      out[i] = last
    }
  }
  return out
}
