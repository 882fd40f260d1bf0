/**
 * Reading one pair's candle file: find it, decode it, clean and cut it. Kept free of logging and of the
 * writers so that a loader worker imports little.
 */
import { existsSync, readFileSync } from 'node:fs'
import { recycleColumns } from '../frame/columns.ts'
import { OHLCV_FIELDS, type OhlcvColumns } from '../frame/ohlcv.ts'
import { timeframeToMs } from '../util/dates.ts'
import { keepCandles, mappedCandles, sourceStamp } from './candleCache.ts'
import { cleanOhlcv, fillMissing, trimOhlcv } from './clean.ts'
import { DataFileError, NoDataError } from './errors.ts'
import { readFeatherDirect } from './featherDirect.ts'
import { readFileReused } from './fileBytes.ts'
import { type CandleType, DATA_FORMATS, type DataFormat, dataFilePath } from './filenames.ts'
import { decodeJson, decodeJsonGz } from './json.ts'
import { parseTimerange, type TimeRange } from './timerange.ts'

/**
 * The apache-arrow based feather decoder, loaded on first use: freqtrade's own layout never needs it, and importing
 * arrow costs every process (and every analysis worker) ~50 ms at start.
 */
function arrowFeather(): typeof import('./feather.ts') {
  return require('./feather.ts')
}

/** Decode a candle file's bytes by format (not cleaned). */
export function decodeCandles(bytes: Uint8Array, format: DataFormat, file: string): OhlcvColumns {
  if (format === 'feather') return arrowFeather().decodeFeather(bytes, file)
  if (format === 'jsongz') return decodeJsonGz(bytes, file)
  return decodeJson(new TextDecoder().decode(bytes), file)
}

/**
 * Read one candle file, sorted by date with duplicate dates dropped (the last wins). With `cacheDir`, the decoded
 * candles are mapped from the cache there when it holds this file as it is now, and kept there otherwise.
 */
export async function readCandleFile(file: string, format: DataFormat, cacheDir?: string): Promise<OhlcvColumns> {
  if (format === 'feather' || cacheDir !== undefined) return readCandleFileSync(file, format, cacheDir)
  let bytes: Uint8Array
  try {
    // Bun's reader is several times faster than node:fs/promises for multi-MB files.
    bytes = await Bun.file(file).bytes()
  } catch (err) {
    throw new DataFileError(file, `cannot read (${(err as Error).message})`)
  }
  return cleanOhlcv(decodeCandles(bytes, format, file))
}

/** `readCandleFile`, synchronously. */
export function readCandleFileSync(file: string, format: DataFormat, cacheDir?: string): OhlcvColumns {
  // stamped before decoding: a file changed meanwhile is not cached as what was decoded
  const stamp = cacheDir === undefined ? undefined : sourceStamp(file)
  const mapped = stamp && mappedCandles(cacheDir as string, file, stamp)
  if (mapped) return mapped
  let candles: OhlcvColumns
  if (format === 'feather') candles = readFeatherFile(file)
  else {
    let bytes: Uint8Array
    try {
      bytes = readFileSync(file)
    } catch (err) {
      throw new DataFileError(file, `cannot read (${(err as Error).message})`)
    }
    candles = cleanOhlcv(decodeCandles(bytes, format, file))
  }
  if (!stamp || !keepCandles(cacheDir as string, file, stamp, candles)) return candles
  // The cache just written is in the page cache: its mapping is cheap, and the decoded columns, which nothing else has
  // seen, become spares that the next decode writes into instead of new memory.
  const kept = mappedCandles(cacheDir as string, file, stamp)
  if (kept === undefined) return candles
  recycleColumns(ownBuffers(candles))
  return kept
}

/** The buffers that the columns fill alone (a view into a larger buffer is left out), each once. */
function ownBuffers(c: OhlcvColumns): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  for (const name of OHLCV_FIELDS) {
    const a = c[name]
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.add(a.buffer)
  }
  return out.size === OHLCV_FIELDS.length ? [...out] : []
}

/**
 * Read and decode a feather file synchronously. freqtrade's layout is decoded straight into the columns
 * (`readFeatherDirect`); any other goes whole through apache-arrow, which may return views into the bytes,
 * so it gets its own copy of them (the reused read buffer is overwritten by the next file).
 */
export function readFeatherFile(file: string): OhlcvColumns {
  const direct = readFeatherDirect(file)
  if (direct) return cleanOhlcv(direct)
  let bytes: Uint8Array
  try {
    bytes = readFileReused(file)
  } catch (err) {
    throw new DataFileError(file, `cannot read (${(err as Error).message})`)
  }
  return cleanOhlcv(arrowFeather().decodeFeatherArrow(bytes.slice(), file))
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
  /** Keep decoded candles in this folder and map them from there on later reads (see `candleCache.ts`). */
  cacheDir?: string
}

/** How many candles a pair had before filling gaps, and how many `fillMissing` added (for the log line). */
export interface FillCounts {
  before: number
  added: number
}

/** Candles of one pair as loaded, with their fill counts. */
export interface LoadedPair extends FillCounts {
  candles: OhlcvColumns
}

/** `loadPairHistory` without logging: the part a loader worker runs. */
export async function loadPairCandles(opts: LoadPairHistoryOptions): Promise<LoadedPair> {
  timeframeToMs(opts.timeframe) // a malformed timeframe is named before any file is looked for
  const found = findDataFile(opts.datadir, opts.pair, opts.timeframe, opts.format, opts.candleType)
  if (!found) throw new NoDataError(opts.pair, opts.timeframe, opts.datadir)
  return cutAndFill(await readCandleFile(found.file, found.format, opts.cacheDir), opts)
}

/**
 * `loadPairCandles` read synchronously, for candles asked for in the middle of an analysis (a strategy's informative
 * pairs in a backtest, read when it first asks for them).
 */
export function loadPairCandlesSync(opts: LoadPairHistoryOptions): LoadedPair {
  timeframeToMs(opts.timeframe)
  const found = findDataFile(opts.datadir, opts.pair, opts.timeframe, opts.format, opts.candleType)
  if (!found) throw new NoDataError(opts.pair, opts.timeframe, opts.datadir)
  return cutAndFill(readCandleFileSync(found.file, found.format, opts.cacheDir), opts)
}

/** Candles cut to the timerange (startup candles before it) and, if asked, with their gaps filled. */
function cutAndFill(all: OhlcvColumns, opts: LoadPairHistoryOptions): LoadedPair {
  const tfMs = timeframeToMs(opts.timeframe)
  const range = typeof opts.timerange === 'string' ? parseTimerange(opts.timerange) : (opts.timerange ?? {})
  const startMs = range.startMs === undefined ? undefined : range.startMs - (opts.startupCandles ?? 0) * tfMs
  const candles = trimOhlcv(all, startMs, range.endMs)
  const before = candles.date.length
  // Calendar months are not a fixed step; filling them on a 30-day grid would invent candles.
  const filled = opts.fillMissing && !opts.timeframe.endsWith('M') ? fillMissing(candles, tfMs) : candles
  return { candles: filled, before, added: filled.date.length - before }
}
