import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { OhlcvColumns } from '../frame/ohlcv.ts'
import { timeframeToMs } from '../util/dates.ts'
import { getLogger } from '../util/logger.ts'
import { cleanOhlcv, fillMissing, trimOhlcv } from './clean.ts'
import { DataFileError, NoDataError } from './errors.ts'
import { decodeFeather, encodeFeather } from './feather.ts'
import { type CandleType, DATA_FORMATS, type DataFormat, dataFilePath } from './filenames.ts'
import { decodeJson, decodeJsonGz, encodeJson, encodeJsonGz } from './json.ts'
import { parseTimerange, type TimeRange } from './timerange.ts'

const log = getLogger('tern.data')

/** Decode a candle file's bytes by format (not cleaned). */
export function decodeCandles(bytes: Uint8Array, format: DataFormat, file: string): OhlcvColumns {
  if (format === 'feather') return decodeFeather(bytes, file)
  if (format === 'jsongz') return decodeJsonGz(bytes, file)
  return decodeJson(new TextDecoder().decode(bytes), file)
}

/** Read one candle file, sorted by date with duplicate dates dropped (the last wins). */
export async function readCandleFile(file: string, format: DataFormat): Promise<OhlcvColumns> {
  let bytes: Uint8Array
  try {
    // Bun's reader is several times faster than node:fs/promises for multi-MB files.
    bytes = await Bun.file(file).bytes()
  } catch (err) {
    throw new DataFileError(file, `cannot read (${(err as Error).message})`)
  }
  return cleanOhlcv(decodeCandles(bytes, format, file))
}

/** The existing file for a pair/timeframe: the given format, or the first found of feather, json.gz, json. */
export function findDataFile(
  datadir: string,
  pair: string,
  timeframe: string,
  format?: DataFormat,
  candleType: CandleType = 'spot',
): { file: string; format: DataFormat } | undefined {
  for (const f of format ? [format] : DATA_FORMATS) {
    const file = dataFilePath(datadir, pair, timeframe, f, candleType)
    if (existsSync(file)) return { file, format: f }
  }
  return undefined
}

export interface LoadPairHistoryOptions {
  datadir: string
  pair: string
  timeframe: string
  /** Default: whichever exists, trying feather, then json.gz, then json. */
  format?: DataFormat
  /** A `TimeRange` or freqtrade's text form (`20240101-20240201`). */
  timerange?: TimeRange | string
  /** Candles to load before the timerange's start, for indicators to warm up. */
  startupCandles?: number
  /** Fill gaps with flat candles (see `fillMissing`). Default false. */
  fillMissing?: boolean
  candleType?: CandleType
}

/**
 * Candles of one pair/timeframe from `datadir`, sorted, deduplicated, cut to the timerange (widened by
 * `startupCandles` before its start). Throws `NoDataError` when there is no file, `DataFileError` when a
 * file cannot be read.
 */
export async function loadPairHistory(opts: LoadPairHistoryOptions): Promise<OhlcvColumns> {
  const tfMs = timeframeToMs(opts.timeframe)
  const range = typeof opts.timerange === 'string' ? parseTimerange(opts.timerange) : (opts.timerange ?? {})
  const found = findDataFile(opts.datadir, opts.pair, opts.timeframe, opts.format, opts.candleType)
  if (!found) throw new NoDataError(opts.pair, opts.timeframe, opts.datadir)
  let candles = await readCandleFile(found.file, found.format)
  const startMs = range.startMs === undefined ? undefined : range.startMs - (opts.startupCandles ?? 0) * tfMs
  candles = trimOhlcv(candles, startMs, range.endMs)
  // Calendar months are not a fixed step; filling them on a 30-day grid would invent candles.
  if (opts.fillMissing && !opts.timeframe.endsWith('M')) {
    const before = candles.date.length
    candles = fillMissing(candles, tfMs)
    const added = candles.date.length - before
    if (added > 0) {
      const pct = ((added / candles.date.length) * 100).toFixed(2)
      log.info(
        `Missing data fillup for ${opts.pair} ${opts.timeframe}: before: ${before} - after: ${candles.date.length} - ${pct}%`,
      )
    }
  }
  return candles
}

export interface StorePairHistoryOptions {
  datadir: string
  pair: string
  timeframe: string
  format: DataFormat
  candles: OhlcvColumns
  candleType?: CandleType
}

/** Encode candles in a format. */
export function encodeCandles(candles: OhlcvColumns, format: DataFormat): Uint8Array | string {
  if (format === 'feather') return encodeFeather(candles)
  if (format === 'jsongz') return encodeJsonGz(candles)
  return encodeJson(candles)
}

/**
 * Write candles (as given: clean them first) to their file in `datadir`, replacing it. Writes to a
 * temporary name and renames, so a reader never sees half a file. Returns the path.
 */
export async function storePairHistory(opts: StorePairHistoryOptions): Promise<string> {
  timeframeToMs(opts.timeframe)
  const file = dataFilePath(opts.datadir, opts.pair, opts.timeframe, opts.format, opts.candleType)
  await mkdir(dirname(file), { recursive: true })
  const tmp = `${file}.tmp`
  await writeFile(tmp, encodeCandles(opts.candles, opts.format))
  await rename(tmp, file)
  return file
}

/** Delete a pair/timeframe's file in a format; true when there was one. */
export async function deletePairHistory(
  datadir: string,
  pair: string,
  timeframe: string,
  format: DataFormat,
  candleType: CandleType = 'spot',
): Promise<boolean> {
  const file = dataFilePath(datadir, pair, timeframe, format, candleType)
  if (!existsSync(file)) return false
  await rm(file)
  return true
}
