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

/** The same field-by-field transform of every column (e.g. `(a) => a.subarray(i, j)` for a view of rows). */
export function mapOhlcv(c: OhlcvColumns, f: (column: Float64Array) => Float64Array): OhlcvColumns {
  return {
    date: f(c.date),
    open: f(c.open),
    high: f(c.high),
    low: f(c.low),
    close: f(c.close),
    volume: f(c.volume),
  }
}

/** Column sets joined end to end, in new columns (not cleaned: the result is sorted only if the parts are). */
export function concatOhlcv(parts: readonly OhlcvColumns[]): OhlcvColumns {
  let n = 0
  for (const p of parts) n += p.date.length
  const out = allocOhlcv(n)
  let at = 0
  for (const p of parts) {
    for (const f of OHLCV_FIELDS) out[f].set(p[f], at)
    at += p.date.length
  }
  return out
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
