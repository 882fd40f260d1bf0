import { allocOhlcv, concatOhlcv, type OhlcvColumns } from '../frame/ohlcv.ts'
import { type Clock, clock as processClock } from '../util/clock.ts'
import { displayDate, timeframeToMs } from '../util/dates.ts'
import { getLogger } from '../util/logger.ts'
import { cleanOhlcv, trimOhlcv } from './clean.ts'
import type { CandleType, DataFormat } from './filenames.ts'
import { deletePairHistory, findDataFile, readCandleFile, storePairHistory } from './history.ts'
import { DownloadProgress } from './progress.ts'
import { daysBackStart, parseTimerange, type TimeRange } from './timerange.ts'

const log = getLogger('tern.data')

/** Where candles come from: the exchange layer implements this (paging, rate limits, retries are its job). */
export interface OhlcvSource {
  /** Candles with sinceMs <= open time (<= untilMs when given), sorted by date. */
  fetchOhlcv(pair: string, timeframe: string, sinceMs: number, untilMs?: number): Promise<OhlcvColumns>
}

export interface DownloadDataOptions {
  source: OhlcvSource
  datadir: string
  pairs: string[]
  timeframes: string[]
  /** A `TimeRange` or freqtrade's text form; its start wins over `days`. */
  timerange?: TimeRange | string
  /** Start at UTC midnight `days` days before now. */
  days?: number
  /** How far back a pair without data starts when neither timerange nor days says (freqtrade: 30). */
  newPairDays?: number
  /** Delete the existing file first, then download the whole range. */
  erase?: boolean
  format?: DataFormat
  /** Progress output: bars when it is a terminal, plain lines otherwise; nothing when absent. */
  progress?: NodeJS.WritableStream
  clock?: Clock
  candleType?: CandleType
}

export interface DownloadResult {
  pair: string
  timeframe: string
  /** Path of the file written (also when nothing new arrived). */
  file?: string
  /** Candles the source returned (closed ones), and how many rows the file gained over the data kept. */
  fetched: number
  added: number
  /** Candles in the file afterwards, and its first/last open time (ms UTC). */
  candles: number
  start: number | null
  end: number | null
  error?: string
}

const DAY_MS = 86_400_000

/**
 * Download candles for every pair × timeframe into `datadir`, as freqtrade's `download-data`: a file that
 * exists is extended from its last candle on (that candle is fetched again and replaced, as it may have
 * been incomplete); a requested start before the file's first candle re-downloads everything; `erase`
 * starts over. Candles not yet closed at `clock.now()` are not stored. A failing pair is reported in its
 * result and the others go on.
 */
export async function downloadData(opts: DownloadDataOptions): Promise<DownloadResult[]> {
  const clock = opts.clock ?? processClock
  const format = opts.format ?? 'feather'
  const candleType = opts.candleType ?? 'spot'
  const tfMs = new Map(opts.timeframes.map((tf) => [tf, timeframeToMs(tf)]))
  const range = typeof opts.timerange === 'string' ? parseTimerange(opts.timerange) : (opts.timerange ?? {})
  if (opts.days !== undefined && !(opts.days > 0)) throw new Error(`days must be a positive number, got ${opts.days}`)
  const now = clock.now()
  const requestedStart = range.startMs ?? (opts.days !== undefined ? daysBackStart(now, opts.days) : undefined)
  const progress = opts.progress ? new DownloadProgress(opts.progress, opts.pairs, opts.timeframes) : undefined
  const results: DownloadResult[] = []
  try {
    for (const pair of opts.pairs) {
      for (const timeframe of opts.timeframes) {
        progress?.begin(pair, timeframe)
        const result = await downloadOne({
          ...opts,
          pair,
          timeframe,
          format,
          candleType,
          tfMs: tfMs.get(timeframe) as number,
          now,
          requestedStart,
          endMs: range.endMs,
        })
        results.push(result)
        progress?.done(result)
      }
    }
  } finally {
    progress?.stop()
  }
  return results
}

interface OneDownload {
  source: OhlcvSource
  datadir: string
  pair: string
  timeframe: string
  format: DataFormat
  candleType: CandleType
  tfMs: number
  now: number
  requestedStart?: number
  endMs?: number
  erase?: boolean
  newPairDays?: number
}

async function downloadOne(job: OneDownload): Promise<DownloadResult> {
  const { pair, timeframe, datadir, format, candleType } = job
  const result: DownloadResult = { pair, timeframe, fetched: 0, added: 0, candles: 0, start: null, end: null }
  try {
    if (job.erase && (await deletePairHistory(datadir, pair, timeframe, format, candleType))) {
      log.info(`Deleted data for ${pair} ${timeframe} (${format})`)
    }
    const found = findDataFile(datadir, pair, timeframe, format, candleType)
    let stored = found ? await readCandleFile(found.file, format) : undefined
    // Asking for earlier data than the file holds means the file would have a hole: start over.
    if (stored?.date.length && job.requestedStart !== undefined && job.requestedStart < stored.date[0]) {
      stored = undefined
    }
    const since = stored?.date.length
      ? stored.date[stored.date.length - 1]
      : (job.requestedStart ?? job.now - (job.newPairDays ?? 30) * DAY_MS)
    // Only closed candles: the one open at `now` would be stored half-built.
    const lastClosed = job.now - job.tfMs
    const until = job.endMs === undefined ? lastClosed : Math.min(job.endMs, lastClosed)
    let merged = stored ?? allocOhlcv(0)
    if (since <= until) {
      log.debug(`Downloading ${pair} ${timeframe} from ${displayDate(since)}`)
      const fetched = trimOhlcv(
        cleanOhlcv(await job.source.fetchOhlcv(pair, timeframe, since, job.endMs)),
        undefined,
        until,
      )
      result.fetched = fetched.date.length
      merged = stored ? cleanOhlcv(concatOhlcv([stored, fetched])) : fetched
    }
    result.added = merged.date.length - (stored?.date.length ?? 0)
    result.file = await storePairHistory({ datadir, pair, timeframe, format, candles: merged, candleType })
    const n = merged.date.length
    result.candles = n
    result.start = n ? merged.date[0] : null
    result.end = n ? merged.date[n - 1] : null
  } catch (err) {
    result.error = (err as Error).message
    log.error(`Failed to download ${pair} ${timeframe}: ${result.error}`)
  }
  return result
}
