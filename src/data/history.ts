import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { OhlcvColumns } from '../frame/ohlcv.ts'
import { timeframeToMs } from '../util/dates.ts'
import { getLogger } from '../util/logger.ts'
import { encodeFeather } from './feather.ts'
import { type CandleType, type DataFormat, dataFilePath } from './filenames.ts'
import { encodeJson, encodeJsonGz } from './json.ts'
import { type FillCounts, type LoadPairHistoryOptions, loadPairCandles } from './readPair.ts'

export {
  decodeCandles,
  type FillCounts,
  findDataFile,
  type LoadedPair,
  type LoadPairHistoryOptions,
  loadPairCandles,
  readCandleFile,
  readFeatherFile,
} from './readPair.ts'

const log = getLogger('tern.data')

/** freqtrade's log line for candles added by `fillMissing`. */
export function logFillup(pair: string, timeframe: string, fill: FillCounts): void {
  if (fill.added <= 0) return
  const after = fill.before + fill.added
  const pct = ((fill.added / after) * 100).toFixed(2)
  log.info(`Missing data fillup for ${pair} ${timeframe}: before: ${fill.before} - after: ${after} - ${pct}%`)
}

/**
 * Candles of one pair/timeframe from `datadir`, sorted, deduplicated, cut to the timerange (widened by
 * `startupCandles` before its start). Throws `NoDataError` when there is no file, `DataFileError` when a
 * file cannot be read. For many pairs at once, `loadPairsHistory` spreads the work over worker threads.
 */
export async function loadPairHistory(opts: LoadPairHistoryOptions): Promise<OhlcvColumns> {
  const loaded = await loadPairCandles(opts)
  logFillup(opts.pair, opts.timeframe, loaded)
  return loaded.candles
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
