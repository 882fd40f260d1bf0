import { Frame } from '../../../src/frame/frame.ts'
import { allocOhlcv, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'
import { timeframeToMs } from '../../../src/util/dates.ts'

export interface CandleOptions {
  /** Number of candles. */
  n: number
  /** Seeds the walk: the same seed gives the same candles. */
  seed?: number
  timeframe?: string
  /** Open time of the first candle, ms UTC (default 2024-01-01). */
  startMs?: number
  startPrice?: number
}

/**
 * Deterministic candles for strategy tests: a random walk (LCG noise) on top of a slow sine-shaped trend, so that
 * moving averages cross, RSI visits both extremes and prices leave the Bollinger bands on both sides.
 */
export function makeCandles(opts: CandleOptions): Frame {
  const { n, seed = 1 } = opts
  const stepMs = timeframeToMs(opts.timeframe ?? '5m')
  const start = opts.startMs ?? Date.UTC(2024, 0, 1)
  let state = (seed * 2654435761) >>> 0 || 1
  const rand = () => {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const c = allocOhlcv(n)
  let price = opts.startPrice ?? 100
  for (let i = 0; i < n; i++) {
    const trend = 0.001 * Math.sin((2 * Math.PI * i) / 400)
    const open = price
    price = price * (1 + trend + 0.01 * (rand() - 0.5))
    c.date[i] = start + i * stepMs
    c.open[i] = open
    c.close[i] = price
    c.high[i] = Math.max(open, price) * (1 + 0.002 * rand())
    c.low[i] = Math.min(open, price) * (1 - 0.002 * rand())
    c.volume[i] = 10 + 90 * rand()
  }
  return Frame.fromOhlcv(c)
}

/** Resamples candles to a slower timeframe (open of the first, max high, min low, close of the last, summed volume). */
export function resample(df: Frame, timeframe: string): Frame {
  const stepMs = timeframeToMs(timeframe)
  const date = df.col('date')
  const open = df.col('open')
  const high = df.col('high')
  const low = df.col('low')
  const close = df.col('close')
  const volume = df.col('volume')
  const rows: number[][] = []
  for (let i = 0; i < df.length; i++) {
    const bucket = Math.floor(date[i] / stepMs) * stepMs
    const last = rows[rows.length - 1]
    if (last === undefined || last[0] !== bucket) rows.push([bucket, open[i], high[i], low[i], close[i], volume[i]])
    else {
      last[2] = Math.max(last[2], high[i])
      last[3] = Math.min(last[3], low[i])
      last[4] = close[i]
      last[5] += volume[i]
    }
  }
  const out = allocOhlcv(rows.length)
  rows.forEach((r, j) => {
    out.date[j] = r[0]
    out.open[j] = r[1]
    out.high[j] = r[2]
    out.low[j] = r[3]
    out.close[j] = r[4]
    out.volume[j] = r[5]
  })
  return Frame.fromOhlcv(out)
}

/** Byte-for-byte copy of a frame (to analyze the same candles twice). */
export function cloneFrame(df: Frame): Frame {
  const out = new Frame(df.length)
  for (const name of df.columns()) out.set(name, df.col(name).slice())
  return out
}

/** Rows where a column is 1. */
export function rowsWhere(df: Frame, name: string): number[] {
  const c = df.col(name)
  const out: number[] = []
  for (let i = 0; i < c.length; i++) if (c[i] === 1) out.push(i)
  return out
}

/** A frame's six candle columns, as the data writers take them. */
export function ohlcvOf(df: Frame): OhlcvColumns {
  return {
    date: df.col('date'),
    open: df.col('open'),
    high: df.col('high'),
    low: df.col('low'),
    close: df.col('close'),
    volume: df.col('volume'),
  }
}
