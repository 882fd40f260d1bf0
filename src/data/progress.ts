import { MultiBar, type SingleBar } from 'cli-progress'
import { displayDate } from '../util/dates.ts'

/** What one pair/timeframe download ended with, for the progress display. */
export interface ProgressEntry {
  pair: string
  timeframe: string
  candles: number
  added: number
  start: number | null
  end: number | null
  error?: string
}

const minute = (ms: number | null): string => (ms === null ? '-' : displayDate(ms).slice(0, 16))

/** `ETH/USDT 5m: 1234 candles, 2024-01-01 00:00 → 2024-02-01 00:00 (+12 new)`. */
export function progressLine(e: ProgressEntry): string {
  if (e.error) return `${e.pair} ${e.timeframe}: failed: ${e.error}`
  return `${e.pair} ${e.timeframe}: ${e.candles} candles, ${minute(e.start)} → ${minute(e.end)} (+${e.added} new)`
}

/**
 * Download progress: one bar per pair (counting its timeframes) when `stream` is a terminal, one plain
 * line per finished pair/timeframe otherwise (logs, CI, pipes).
 */
export class DownloadProgress {
  private readonly multi?: MultiBar
  private readonly bars = new Map<string, SingleBar>()

  constructor(
    private readonly stream: NodeJS.WritableStream,
    pairs: string[],
    timeframes: string[],
  ) {
    if (!(stream as NodeJS.WriteStream).isTTY) return
    this.multi = new MultiBar({
      stream: stream as NodeJS.WriteStream,
      format: '{pair} |{bar}| {value}/{total} timeframes | {status}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    })
    const width = Math.max(...pairs.map((p) => p.length))
    for (const pair of pairs) {
      this.bars.set(pair, this.multi.create(timeframes.length, 0, { pair: pair.padEnd(width), status: 'waiting' }))
    }
  }

  /** A pair/timeframe is starting. */
  begin(pair: string, timeframe: string): void {
    this.bars.get(pair)?.update({ status: `${timeframe}: downloading` })
  }

  /** A pair/timeframe is done (or failed). */
  done(entry: ProgressEntry): void {
    const bar = this.bars.get(entry.pair)
    if (!bar) {
      this.stream.write(`${progressLine(entry)}\n`)
      return
    }
    const status = entry.error
      ? `${entry.timeframe}: failed: ${entry.error}`
      : `${entry.timeframe}: ${entry.candles} candles, ${minute(entry.start)} → ${minute(entry.end)}`
    bar.increment(1, { status })
  }

  stop(): void {
    this.multi?.stop()
  }
}
