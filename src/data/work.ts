import { statSync } from 'node:fs'
import { findDataFile, type LoadPairHistoryOptions } from './readPair.ts'

/**
 * Work (in bytes of feather, json counting 16 per byte: it decodes that much slower) below which workers
 * are not started: starting one takes about as long as loading this much here.
 */
const MIN_WORK_FOR_WORKERS = 64 * 1_048_576

/**
 * Whether the files to load add up to enough work to be worth starting workers (stops counting once so). Kept apart
 * from the loaders so that the analysis modules, which every strategy file imports, can ask it cheaply.
 */
export function enoughWork(opts: Omit<LoadPairHistoryOptions, 'pair'>, pairs: readonly string[]): boolean {
  let work = 0
  for (const pair of pairs) {
    const found = findDataFile(opts.datadir, pair, opts.timeframe, opts.format, opts.candleType)
    if (!found) continue
    work += (statSync(found.file, { throwIfNoEntry: false })?.size ?? 0) * (found.format === 'feather' ? 1 : 16)
    if (work >= MIN_WORK_FOR_WORKERS) return true
  }
  return false
}
