import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AvailablePairs } from '../api/schemas/candles.ts'
import type { Config } from '../config/schema.ts'
import { configDatadir, filenameToPair } from '../data/index.ts'

export interface AvailablePairsFilter {
  timeframe?: string
  stake_currency?: string
  /** Absent: the trading mode's default candle type. */
  candletype?: string
}

/**
 * `/available_pairs`: the candle datasets stored in the data directory (file names only, nothing is read), filtered
 * by timeframe, quote currency and candle type. One triple per dataset even when it is stored in several formats.
 */
export async function availablePairs(
  config: Config,
  defaultCandleType: string,
  filter: AvailablePairsFilter,
): Promise<AvailablePairs> {
  const datadir = configDatadir(config)
  const seen = new Set<string>()
  const found: [string, string, string][] = []
  for (const dir of [datadir, join(datadir, 'futures')]) {
    if (!existsSync(dir)) continue
    for (const name of await readdir(dir)) {
      const parsed = filenameToPair(name)
      if (!parsed) continue
      const key = `${parsed.pair}|${parsed.timeframe}|${parsed.candleType}`
      if (seen.has(key)) continue
      seen.add(key)
      found.push([parsed.pair, parsed.timeframe, parsed.candleType])
    }
  }
  const candleType = filter.candletype ?? defaultCandleType
  const rows = found
    .filter(
      ([pair, tf, ct]) =>
        (!filter.timeframe || tf === filter.timeframe) &&
        (!filter.stake_currency || pair.endsWith(filter.stake_currency)) &&
        ct === candleType,
    )
    .sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]) || cmp(a[2], b[2]))
  const pairs = [...new Set(rows.map((r) => r[0]))].sort()
  return { length: pairs.length, pairs, pair_interval: rows }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
