import { allocOhlcv, lowerBound, mapOhlcv, OHLCV_FIELDS, type OhlcvColumns } from '../frame/ohlcv.ts'

/** Number of candles. */
export const candleCount = (c: OhlcvColumns): number => c.date.length

/** Copy of rows [from, to). */
export function sliceOhlcv(c: OhlcvColumns, from: number, to: number): OhlcvColumns {
  return mapOhlcv(c, (a) => a.slice(from, to))
}

/** True when dates strictly increase: the usual case, which needs no work. */
function isStrictlyIncreasing(date: Float64Array): boolean {
  for (let i = 1; i < date.length; i++) if (!(date[i] > date[i - 1])) return false
  return true
}

/**
 * Sort by date and drop duplicate dates, keeping the last row seen for a date (a re-downloaded candle
 * replaces the stored, possibly incomplete one). Returns the input unchanged when already clean.
 */
export function cleanOhlcv(c: OhlcvColumns): OhlcvColumns {
  const { date } = c
  const n = date.length
  if (isStrictlyIncreasing(date)) return c
  // Stable sort of row indices by date; among equal dates the later row sorts last and wins.
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  const sorted = Array.from(order).sort((x, y) => date[x] - date[y] || x - y)
  const keep: number[] = []
  for (let k = 0; k < n; k++) {
    const i = sorted[k]
    if (k + 1 < n && date[sorted[k + 1]] === date[i]) continue
    keep.push(i)
  }
  const out = allocOhlcv(keep.length)
  for (const f of OHLCV_FIELDS) {
    const src = c[f]
    const dst = out[f]
    for (let k = 0; k < keep.length; k++) dst[k] = src[keep[k]]
  }
  return out
}

/** Keep candles with startMs <= date <= endMs (both inclusive, as freqtrade's `trim_dataframe`); input sorted. */
export function trimOhlcv(c: OhlcvColumns, startMs?: number, endMs?: number): OhlcvColumns {
  const from = startMs === undefined ? 0 : lowerBound(c.date, startMs)
  const to = endMs === undefined ? c.date.length : lowerBound(c.date, endMs + 1)
  if (from === 0 && to === c.date.length) return c
  return sliceOhlcv(c, from, Math.max(from, to))
}

/**
 * Fill gaps in sorted, deduplicated candles so that they step by `timeframeMs`: a missing candle gets
 * open = high = low = close = the previous close and volume 0, as freqtrade's `ohlcv_fill_up_missing_data`.
 * Returns the input unchanged when nothing is missing.
 */
export function fillMissing(c: OhlcvColumns, timeframeMs: number): OhlcvColumns {
  if (!(timeframeMs > 0)) throw new Error(`fillMissing: timeframe must be > 0 ms, got ${timeframeMs}`)
  const { date } = c
  const n = date.length
  if (n < 2) return c
  let total = n
  for (let i = 1; i < n; i++) total += gapFills(date[i - 1], date[i], timeframeMs)
  if (total === n) return c
  const out = allocOhlcv(total)
  let k = 0
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const prevClose = c.close[i - 1]
      const fills = gapFills(date[i - 1], date[i], timeframeMs)
      for (let j = 1; j <= fills; j++) {
        const t = date[i - 1] + j * timeframeMs
        out.date[k] = t
        out.open[k] = prevClose
        out.high[k] = prevClose
        out.low[k] = prevClose
        out.close[k] = prevClose
        out.volume[k] = 0
        k++
      }
    }
    out.date[k] = date[i]
    out.open[k] = c.open[i]
    out.high[k] = c.high[i]
    out.low[k] = c.low[i]
    out.close[k] = c.close[i]
    out.volume[k] = c.volume[i]
    k++
  }
  return out
}

/**
 * How many candles are missing between two neighbours: grid points stepped from the earlier one that lie
 * at least half a timeframe before the later one (so a slightly off-grid candle is not doubled).
 */
function gapFills(prev: number, next: number, timeframeMs: number): number {
  const gap = next - prev
  if (gap <= timeframeMs) return 0
  return Math.max(0, Math.floor((gap - timeframeMs / 2) / timeframeMs))
}
