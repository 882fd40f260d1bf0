import { basename } from 'node:path'
import type { Config } from '../config/schema.ts'
import { candleCacheDir, configDatadir } from '../data/filenames.ts'
import { loadPairCandles } from '../data/readPair.ts'
import { parseTimerange } from '../data/timerange.ts'
import { Frame } from '../frame/frame.ts'
import { lowerBound, OHLCV_FIELDS } from '../frame/ohlcv.ts'
import { analyze, loadReadyStrategy, strategySearchOf, tagAt, tagDictionaries } from '../strategy/index.ts'
import { StoredInformative } from '../strategy/storedInformative.ts'
import type { InformativeFrames } from '../strategy/strategy.ts'
import { timeframeToMs } from '../util/dates.ts'

export interface LookaheadOptions {
  config: Config
  strategy: string
  /** freqtrade's timerange text; signals are looked for inside it (startup candles are loaded before it). */
  timerange?: string
  /** Default: the config's whitelist. */
  pairs?: readonly string[]
  /** Signals to check at most (freqtrade's `--targeted-trade-amount`, default 20). */
  targetedSignals?: number
  /** Fewer signals than this makes the result inconclusive (freqtrade's `--minimum-trade-amount`, default 10). */
  minimumSignals?: number
}

/** One signal checked: the columns whose value on its candle changed once later candles were left out. */
export interface SignalCheck {
  pair: string
  dateMs: number
  kind: 'entry' | 'exit'
  columns: string[]
}

export interface LookaheadReport {
  strategy: string
  /** The strategy's file name. */
  file: string
  checked: SignalCheck[]
  biasedEntries: number
  biasedExits: number
  /** Columns other than the signals that changed on some checked candle, in the order first seen. */
  biasedIndicators: string[]
  hasBias: boolean
  /** Whether at least `minimumSignals` signals were checked (else `hasBias` false says little). */
  enough: boolean
}

const ENTRY_COLUMNS = new Set(['enter_long', 'enter_tag'])
const EXIT_COLUMNS = new Set(['exit_long', 'exit_tag'])
const CANDLE_COLUMNS = new Set<string>(OHLCV_FIELDS)

/**
 * freqtrade's `lookahead-analysis`: whether a strategy reads candles it could not have seen. The strategy analyses each
 * pair's candles once in full; then, for its first signals inside the timerange (entries and exits, oldest first, up
 * to `targetedSignals`), it analyses again only the candles up to the signal's (and the informative candles closed by
 * then), as the bot would have had them. Every column the strategy made must hold the same value on the signal's
 * candle both times (tags compared as their names); one that differs was computed from later candles.
 */
export async function lookaheadAnalysis(opts: LookaheadOptions): Promise<LookaheadReport> {
  const { config } = opts
  const targeted = opts.targetedSignals ?? 20
  const minimum = opts.minimumSignals ?? 10
  const search = strategySearchOf(config)
  const { strategy, settings, file } = await loadReadyStrategy(opts.strategy, search, config)
  const tf = settings.timeframe
  const tfMs = timeframeToMs(tf)
  const range = opts.timerange ? parseTimerange(opts.timerange) : {}
  const datadir = configDatadir(config)
  const cacheDir = candleCacheDir(config)
  const pairs = opts.pairs ?? config.exchange.pair_whitelist
  const startup = settings.startupCandleCount
  const informative = new StoredInformative({
    datadir,
    cacheDir,
    timerange: {
      startMs: range.startMs === undefined ? undefined : range.startMs - startup * tfMs,
      endMs: range.endMs,
    },
  })

  // every pair's candles and full analysis, and the signals inside the timerange
  const candles = new Map<string, Frame>()
  const full = new Map<string, Frame>()
  const signals: { pair: string; row: number; dateMs: number; kind: 'entry' | 'exit' }[] = []
  for (const pair of pairs) {
    const { candles: c } = await loadPairCandles({
      datadir,
      cacheDir,
      pair,
      timeframe: tf,
      timerange: range,
      startupCandles: startup,
      fillMissing: true,
    })
    const frame = Frame.fromOhlcv(c)
    candles.set(pair, frame)
    const df = analyze(strategy, frame.slice(), { pair, timeframe: tf }, informative)
    full.set(pair, df)
    const date = df.col('date')
    const enter = df.col('enter_long')
    const exit = df.col('exit_long')
    for (let i = startup; i < df.length; i++) {
      if (range.startMs !== undefined && date[i] < range.startMs) continue
      if (enter[i] === 1) signals.push({ pair, row: i, dateMs: date[i], kind: 'entry' })
      if (exit[i] === 1) signals.push({ pair, row: i, dateMs: date[i], kind: 'exit' })
    }
  }
  signals.sort((a, b) => a.dateMs - b.dateMs)

  const checked: SignalCheck[] = []
  const indicators: string[] = []
  let biasedEntries = 0
  let biasedExits = 0
  for (const s of signals.slice(0, targeted)) {
    const whole = full.get(s.pair) as Frame
    const cut = analyze(
      strategy,
      (candles.get(s.pair) as Frame).slice(0, s.row + 1),
      { pair: s.pair, timeframe: tf },
      closedBy(informative, s.dateMs + tfMs),
    )
    const columns = changedColumns(whole, cut, s.row)
    checked.push({ pair: s.pair, dateMs: s.dateMs, kind: s.kind, columns })
    if (s.kind === 'entry' && columns.some((c) => ENTRY_COLUMNS.has(c))) biasedEntries++
    if (s.kind === 'exit' && columns.some((c) => EXIT_COLUMNS.has(c))) biasedExits++
    for (const c of columns) {
      if (!ENTRY_COLUMNS.has(c) && !EXIT_COLUMNS.has(c) && !indicators.includes(c)) indicators.push(c)
    }
  }
  return {
    strategy: opts.strategy,
    file: basename(file),
    checked,
    biasedEntries,
    biasedExits,
    biasedIndicators: indicators,
    hasBias: checked.some((c) => c.columns.length > 0),
    enough: checked.length >= minimum,
  }
}

/** The columns the strategy made whose value on `row` differs between the two analyses (tags by name). */
function changedColumns(whole: Frame, cut: Frame, row: number): string[] {
  const tagged = tagDictionaries(whole)
  const out: string[] = []
  for (const name of whole.columns()) {
    if (CANDLE_COLUMNS.has(name)) continue
    if (!cut.has(name)) {
      out.push(name)
      continue
    }
    const same =
      name in tagged
        ? tagAt(whole, name, row) === tagAt(cut, name, row)
        : Object.is(whole.col(name)[row], cut.col(name)[row])
    if (!same) out.push(name)
  }
  return out
}

/** The informative candles closed by `endMs` (a candle opening at D of timeframe T closes at D + T). */
function closedBy(source: InformativeFrames, endMs: number): InformativeFrames {
  const cut = new Map<string, Frame>()
  return {
    get(key: string): Frame | undefined {
      const known = cut.get(key)
      if (known !== undefined) return known
      const frame = source.get(key)
      if (frame === undefined) return undefined
      const tfMs = timeframeToMs(key.slice(key.lastIndexOf('|') + 1))
      // the candles opening at or before endMs − tfMs (dates are whole ms)
      const part = frame.slice(0, lowerBound(frame.col('date'), endMs - tfMs + 1))
      cut.set(key, part)
      return part
    },
    keys: () => source.keys(),
  }
}
