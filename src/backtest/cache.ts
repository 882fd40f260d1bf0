import { join } from 'node:path'
import type { BacktestResult } from './result.ts'
import { listBacktestHistory, loadBacktestResult } from './storage.ts'

/** freqtrade's `backtest_cache`: how old a previous identical result may be to be reused instead of a new run. */
export type BacktestCache = 'none' | 'day' | 'week' | 'month'

export const BACKTEST_CACHES: readonly BacktestCache[] = ['none', 'day', 'week', 'month']

const DAY_MS = 86_400_000

/** freqtrade's `get_backtest_cache_min_date`: the oldest start a reusable result may have (ms), or none. */
export function cacheMinStartMs(cache: BacktestCache, nowMs: number): number | undefined {
  if (cache === 'day') return nowMs - DAY_MS
  if (cache === 'week') return nowMs - 7 * DAY_MS
  if (cache === 'month') return nowMs - 28 * DAY_MS
  return undefined
}

/**
 * The newest stored result of `strategy` with this run id started at or after `minStartMs`, restricted to that
 * strategy (with its `filename`), or undefined. A file that cannot be read is passed over.
 */
export async function cachedResult(
  dir: string,
  strategy: string,
  runId: string,
  minStartMs: number,
): Promise<BacktestResult | undefined> {
  for (const entry of await listBacktestHistory(dir)) {
    if (entry.strategy !== strategy || entry.run_id !== runId || entry.backtest_start_time * 1000 < minStartMs) continue
    try {
      return await loadBacktestResult(join(dir, `${entry.filename}.json`), strategy)
    } catch {}
  }
  return undefined
}
