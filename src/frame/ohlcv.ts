/**
 * Candles as columns: one Float64Array per field, all the same length, sorted by `date` (ms UTC, candle open time).
 * This is the shape candle storage returns, the exchange layer caches and a Frame is built from.
 */
export interface OhlcvColumns {
  date: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

export const OHLCV_FIELDS = ['date', 'open', 'high', 'low', 'close', 'volume'] as const

/** Empty columns of length `n`, to be filled in place. */
export function allocOhlcv(n: number): OhlcvColumns {
  return {
    date: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
}

/** Index of the first row with date >= ms (binary search on a sorted date column). */
export function lowerBound(dates: Float64Array, ms: number): number {
  let lo = 0
  let hi = dates.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (dates[mid]! < ms) lo = mid + 1
    else hi = mid
  }
  return lo
}
