import { allocOhlcv, lowerBound, mapOhlcv, type OhlcvColumns } from '../frame/ohlcv.ts'

/** Where the simulator's prices come from. */
export interface CandleSource {
  /** The finest timeframe the source knows, in ms (1m for the synthetic source). */
  readonly baseTimeframeMs: number
  /**
   * Candles of `timeframeMs` whose open time lies in [startMs, endMs), sorted, each a complete bar as if closed
   * (the caller trims or re-cuts the one still open at its clock's now). Pairs the source does not know give none.
   */
  candles(pair: string, timeframeMs: number, startMs: number, endMs: number): OhlcvColumns
}

const DAY = 86_400_000
const WEEK = 7 * DAY

/**
 * Where candle boundaries fall: Binance aligns to the epoch, except weekly candles, which open on Monday 00:00 UTC
 * (the epoch was a Thursday, so four days later).
 */
export function timeframeOffsetMs(timeframeMs: number): number {
  return timeframeMs === WEEK ? 4 * DAY : 0
}

/** The open time of the candle of `timeframeMs` that contains `t`. */
export function candleStart(t: number, timeframeMs: number): number {
  const off = timeframeOffsetMs(timeframeMs)
  return Math.floor((t - off) / timeframeMs) * timeframeMs + off
}

/** Rows with date in [startMs, endMs), as views (no copy). */
export function sliceByTime(c: OhlcvColumns, startMs: number, endMs: number): OhlcvColumns {
  const a = lowerBound(c.date, startMs)
  return sliceRows(c, a, Math.max(a, lowerBound(c.date, endMs)))
}

/**
 * Aggregates finer candles into `timeframeMs` bars (open of the first, max high, min low, close of the last,
 * summed volume). A bar is emitted for every bucket that has at least one input row.
 */
export function aggregateOhlcv(src: OhlcvColumns, timeframeMs: number): OhlcvColumns {
  const n = src.date.length
  if (n === 0) return allocOhlcv(0)
  const first = candleStart(src.date[0]!, timeframeMs)
  const last = candleStart(src.date[n - 1]!, timeframeMs)
  const out = allocOhlcv(Math.round((last - first) / timeframeMs) + 1)
  let k = -1
  let bucket = Number.NaN
  for (let i = 0; i < n; i++) {
    const b = candleStart(src.date[i]!, timeframeMs)
    if (b !== bucket) {
      k++
      bucket = b
      out.date[k] = b
      out.open[k] = src.open[i]!
      out.high[k] = src.high[i]!
      out.low[k] = src.low[i]!
      out.close[k] = src.close[i]!
      out.volume[k] = src.volume[i]!
    } else {
      if (src.high[i]! > out.high[k]!) out.high[k] = src.high[i]!
      if (src.low[i]! < out.low[k]!) out.low[k] = src.low[i]!
      out.close[k] = src.close[i]!
      out.volume[k]! += src.volume[i]!
    }
  }
  const m = k + 1
  if (m === out.date.length) return out
  return sliceRows(out, 0, m)
}

/** Rows [a, b) as views. */
export function sliceRows(c: OhlcvColumns, a: number, b: number): OhlcvColumns {
  return mapOhlcv(c, (col) => col.subarray(a, b))
}

/** One bar as a plain object, handy for the open candle and prices. */
export interface Bar {
  date: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/**
 * A base bar seen part-way through: the price has moved the fraction `f` of the way from open to close, and high,
 * low and volume have grown in proportion. Deterministic, and equal to the full bar at f = 1.
 */
export function partialBar(b: Bar, f: number): Bar {
  const x = Math.min(1, Math.max(0, f))
  const close = b.open + (b.close - b.open) * x
  const upper = b.high - Math.max(b.open, b.close)
  const lower = Math.min(b.open, b.close) - b.low
  return {
    date: b.date,
    open: b.open,
    high: Math.max(b.open, close) + upper * x,
    low: Math.min(b.open, close) - lower * x,
    close,
    volume: b.volume * x,
  }
}

/**
 * The still-open candle of `timeframeMs` at `now`: the closed base bars since it opened plus the current base bar
 * cut at `now`, prices rounded to `tick` when given. Undefined when the source has nothing there.
 */
export function openCandle(
  source: CandleSource,
  pair: string,
  timeframeMs: number,
  now: number,
  tick?: number,
): Bar | undefined {
  const start = candleStart(now, timeframeMs)
  const base = source.baseTimeframeMs
  const baseStart = Math.floor(now / base) * base
  const rows = source.candles(pair, base, start, baseStart + base)
  const n = rows.date.length
  if (n === 0) return undefined
  let bar: Bar | undefined
  for (let i = 0; i < n; i++) {
    let b: Bar = {
      date: rows.date[i]!,
      open: rows.open[i]!,
      high: rows.high[i]!,
      low: rows.low[i]!,
      close: rows.close[i]!,
      volume: rows.volume[i]!,
    }
    if (b.date === baseStart) b = roundBar(partialBar(b, (now - baseStart) / base), tick)
    if (!bar) bar = { ...b, date: start }
    else {
      bar.high = Math.max(bar.high, b.high)
      bar.low = Math.min(bar.low, b.low)
      bar.close = b.close
      bar.volume += b.volume
    }
  }
  return bar
}

/** Prices of a bar rounded to a tick (exact decimal), unchanged without a tick. */
export function roundBar(b: Bar, tick?: number): Bar {
  if (!tick) return b
  const digits = Math.max(0, Math.round(-Math.log10(tick)))
  const r = (x: number) => Number((Math.round(x / tick) * tick).toFixed(digits))
  return { ...b, open: r(b.open), high: r(b.high), low: r(b.low), close: r(b.close) }
}
