import { allocOhlcv, type OhlcvColumns } from '../frame/ohlcv.ts'

/** Rows as `[date, open, high, low, close, volume]`, the shape ccxt returns. */
export type OhlcvRow = [number, number, number, number, number, number]

/** Columns from ccxt rows. */
export function rowsToColumns(rows: OhlcvRow[]): OhlcvColumns {
  const out = allocOhlcv(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    out.date[i] = r[0]
    out.open[i] = r[1]
    out.high[i] = r[2]
    out.low[i] = r[3]
    out.close[i] = r[4]
    out.volume[i] = r[5]
  }
  return out
}

/**
 * Closed candles per (pair, timeframe), oldest first, at most `maxCandles` each. New candles are merged in by date
 * (a newer copy of a candle replaces the older one), so refreshing with overlapping pages never duplicates.
 */
export class CandleCache {
  private readonly store = new Map<string, OhlcvColumns>()

  constructor(readonly maxCandles: number) {}

  private key(pair: string, timeframe: string): string {
    return `${pair}|${timeframe}`
  }

  get(pair: string, timeframe: string): OhlcvColumns | undefined {
    return this.store.get(this.key(pair, timeframe))
  }

  /** Open time of the newest cached candle, or undefined. */
  lastDate(pair: string, timeframe: string): number | undefined {
    const c = this.get(pair, timeframe)
    return c && c.date.length > 0 ? c.date[c.date.length - 1] : undefined
  }

  /** Merges rows (sorted by date) into the cache and returns the cached columns. */
  merge(pair: string, timeframe: string, rows: OhlcvRow[]): OhlcvColumns {
    const old = this.get(pair, timeframe)
    const oldLen = old?.date.length ?? 0
    const firstNew = rows.length > 0 ? rows[0]![0] : Number.POSITIVE_INFINITY
    // keep old rows strictly before the first new one
    let keep = 0
    while (keep < oldLen && old!.date[keep]! < firstNew) keep++
    const total = keep + rows.length
    const start = Math.max(0, total - this.maxCandles)
    const out = allocOhlcv(total - start)
    let k = 0
    for (let i = start; i < total; i++, k++) {
      if (i < keep) {
        out.date[k] = old!.date[i]!
        out.open[k] = old!.open[i]!
        out.high[k] = old!.high[i]!
        out.low[k] = old!.low[i]!
        out.close[k] = old!.close[i]!
        out.volume[k] = old!.volume[i]!
      } else {
        const r = rows[i - keep]!
        out.date[k] = r[0]
        out.open[k] = r[1]
        out.high[k] = r[2]
        out.low[k] = r[3]
        out.close[k] = r[4]
        out.volume[k] = r[5]
      }
    }
    this.store.set(this.key(pair, timeframe), out)
    return out
  }

  clear(): void {
    this.store.clear()
  }
}
