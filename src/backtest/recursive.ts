import { basename } from 'node:path'
import type { Config } from '../config/schema.ts'
import { candleCacheDir, configDatadir } from '../data/filenames.ts'
import { loadPairCandles } from '../data/readPair.ts'
import { parseTimerange } from '../data/timerange.ts'
import { Frame } from '../frame/frame.ts'
import { lowerBound, OHLCV_FIELDS } from '../frame/ohlcv.ts'
import { analyze, loadReadyStrategy, strategySearchOf, tagAt, tagDictionaries } from '../strategy/index.ts'
import { StoredInformative } from '../strategy/storedInformative.ts'

export interface RecursiveOptions {
  config: Config
  strategy: string
  /** freqtrade's timerange text: the candles compared (the startup candles are loaded before it). */
  timerange?: string
  /** The pair analysed (default: the whitelist's first). */
  pair?: string
  /** Startup candle counts to try (freqtrade's `--startup-candle`, default 199 399 499 999 1999). */
  startupCandles?: readonly number[]
}

export interface RecursiveReport {
  strategy: string
  file: string
  pair: string
  /** The counts tried, smallest first; the last is the reference the others are compared with. */
  startupCandles: number[]
  /**
   * Per column the strategy made: for each count but the last, the largest relative difference (0.01 = 1 %) from the
   * reference over the compared candles; 0 where they agree, Infinity where one side has no value (NaN) or a tag
   * differs.
   */
  differences: { column: string; byCount: number[] }[]
  /** Candles compared (those of the timerange). */
  compared: number
}

/** freqtrade's default `--startup-candle` list. */
export const DEFAULT_STARTUP_CANDLES = [199, 399, 499, 999, 1999] as const

const CANDLE_COLUMNS = new Set<string>(OHLCV_FIELDS)

/**
 * freqtrade's `recursive-analysis`: how much a strategy's columns depend on the candles before the timerange. The
 * pair is analysed with each startup candle count; on every candle of the timerange each column is compared with the
 * analysis from the largest count. A column that still differs with the strategy's own `startupCandleCount` needs more
 * candles to settle (recursive indicators such as EMA, RSI or ATR converge slowly).
 */
export async function recursiveAnalysis(opts: RecursiveOptions): Promise<RecursiveReport> {
  const { config } = opts
  const counts = [...new Set(opts.startupCandles ?? DEFAULT_STARTUP_CANDLES)].sort((a, b) => a - b)
  if (counts.length < 2) throw new Error('recursive analysis needs at least two startup candle counts to compare')
  const search = strategySearchOf(config)
  const { strategy, settings, file } = await loadReadyStrategy(opts.strategy, search, config)
  const tf = settings.timeframe
  const range = opts.timerange ? parseTimerange(opts.timerange) : {}
  const datadir = configDatadir(config)
  const cacheDir = candleCacheDir(config)
  const pair = opts.pair ?? config.exchange.pair_whitelist[0]
  if (pair === undefined) throw new Error('no pair to analyse: pass --pairs or set exchange.pair_whitelist')
  const most = counts[counts.length - 1]
  const { candles } = await loadPairCandles({
    datadir,
    cacheDir,
    pair,
    timeframe: tf,
    timerange: range,
    startupCandles: most,
    fillMissing: true,
  })
  const frame = Frame.fromOhlcv(candles)
  // the first candle of the timerange: as many candles before it as the file holds, at most `most`
  const first =
    range.startMs === undefined ? Math.min(most, frame.length) : lowerBound(frame.col('date'), range.startMs)
  if (first < most) {
    throw new Error(
      `${pair} ${tf} has ${first} candles before the timerange, ${most} are needed for --startup-candle ${most}: ` +
        'start the timerange later or download older candles',
    )
  }
  const informative = new StoredInformative({
    datadir,
    cacheDir,
    timerange: { startMs: frame.col('date')[0], endMs: range.endMs },
  })
  const meta = { pair, timeframe: tf }
  const reference = analyze(strategy, frame.slice(first - most), meta, informative)
  const columns = reference.columns().filter((c) => !CANDLE_COLUMNS.has(c))
  const differences = columns.map((column) => ({ column, byCount: [] as number[] }))
  for (const count of counts.slice(0, -1)) {
    const df = analyze(strategy, frame.slice(first - count), meta, informative)
    // row r of the timerange: reference row most + r, this analysis' row count + r
    for (const d of differences) d.byCount.push(largestDifference(reference, most, df, count, d.column))
  }
  return {
    strategy: opts.strategy,
    file: basename(file),
    pair,
    startupCandles: counts,
    differences,
    compared: frame.length - first,
  }
}

/** The largest |a − b| / |b| of a column over the timerange's candles (tags compared by name: 0 or Infinity). */
function largestDifference(ref: Frame, refStart: number, df: Frame, start: number, column: string): number {
  if (!df.has(column)) return Number.POSITIVE_INFINITY
  const a = df.col(column)
  const b = ref.col(column)
  const tagged = column in tagDictionaries(ref)
  let worst = 0
  for (let r = 0; refStart + r < b.length; r++) {
    if (tagged) {
      if (tagAt(df, column, start + r) !== tagAt(ref, column, refStart + r)) return Number.POSITIVE_INFINITY
      continue
    }
    const x = a[start + r]
    const y = b[refStart + r]
    if (Object.is(x, y) || x === y) continue
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.POSITIVE_INFINITY
    const diff = y === 0 ? Math.abs(x) : Math.abs(x - y) / Math.abs(y)
    if (diff > worst) worst = diff
  }
  return worst
}
