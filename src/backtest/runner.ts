import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { Config } from '../config/schema.ts'
import {
  candleCacheDir,
  defaultDatadir,
  enoughWork,
  findDataFile,
  loadPairHistory,
  logFillup,
  NoDataError,
  parseTimerange,
  type TimeRange,
} from '../data/index.ts'
import { type MarketChangeRow, marketChange, marketChangeSeries } from '../metrics/index.ts'
import { type ClosedTradeInfo, type LockLike, loadPlugins, ProtectionManager } from '../plugins/index.ts'
import {
  type Analyzer,
  createAnalyzer,
  forgetStoredInformative,
  InProcessAnalyzer,
  loadReadyStrategy,
  loadStrategy,
  type ProtectionSpec,
  parameterFileOf,
  protectionsOf,
  type StoredAnalysisResult,
  type StrategyOverrides,
  strategyFile,
  strategySearchOf,
  strategySource,
} from '../strategy/index.ts'
import { clock } from '../util/clock.ts'
import { timeframeToMs } from '../util/dates.ts'
import { getLogger } from '../util/logger.ts'
import { type BacktestCache, cachedResult, cacheMinStartMs } from './cache.ts'
import { DateGrid } from './dateGrid.ts'
import { loadMarkets, type PairMarkets } from './markets.ts'
import { SIMULATION_KEPT, toPairInput } from './pairInput.ts'
import {
  type BacktestMetadata,
  type BacktestResult,
  buildStrategyResult,
  comparisonLine,
  type StrategyResult,
} from './result.ts'
import {
  type DetailCandles,
  type PairInput,
  type ProtectionHook,
  type SimLock,
  type SimulationResult,
  simulate,
} from './simulate.ts'
import { type MarketChangeTable, resultsDir, writeBacktestResult, writeMarketChange } from './storage.ts'

const log = getLogger('tern.backtest')

/** Phases reported while a backtest runs (the API's `step`). */
export type BacktestStep = 'startup' | 'dataload' | 'analyze' | 'convert' | 'backtest' | 'finished'

export interface BacktestProgress {
  step: BacktestStep
  /** 0..1 within the step. */
  progress: number
  /** Trades simulated so far. */
  tradeCount: number | null
  strategy?: string
}

export interface BacktestOptions {
  config: Config
  /** Strategy names; default the config's `strategy`. */
  strategies?: string[]
  /** freqtrade's timerange text (`20180110-20180130`, open ends allowed). */
  timerange?: string
  timeframe?: string
  timeframeDetail?: string
  maxOpenTrades?: number
  stakeAmount?: number | 'unlimited'
  dryRunWallet?: number
  /** Fee ratio for both sides; default the market's taker fee. */
  fee?: number
  /** `--eps`. */
  enablePositionStacking?: boolean
  enableProtections?: boolean
  /** Pairs; default the config's whitelist. */
  pairs?: string[]
  /** Analysis worker threads (0 = in process); default the config's `analysis_workers`. */
  workers?: number
  /** Market rules to use instead of loading them (tests, benchmarks). */
  markets?: PairMarkets
  /** Polled during the run; true aborts it. */
  shouldAbort?: () => boolean
  /** Write the result to this results directory (or `exportFilename`) and set `metadata.<s>.filename`. */
  exportDir?: string
  exportFilename?: string
  /**
   * freqtrade's `backtest_cache`: reuse a stored result of the same run (see `runIdOf`) started at most this long ago
   * instead of running again, found in `exportDir` (default the user data's results). Default `none`.
   */
  cache?: BacktestCache
  /** freqtrade's `--notes`: stored in each strategy's metadata (as `PATCH /backtest/history/{file}` sets them). */
  notes?: string
}

/** A run that was stopped by `shouldAbort`. */
export class BacktestAbortedError extends Error {
  override name = 'BacktestAbortedError'
}

/** Seconds spent per phase, for benchmarks and the log. */
export interface BacktestTimings {
  /** Reading and analysing the candles (together: each worker reads and analyses its own pairs). */
  loadS: number
  /** Loading the market rules. */
  marketsS: number
  simulateS: number
  /** Building the result (statistics, tables). */
  resultS: number
  candles: number
}

/** The result of `runBacktest`, with where it was written and how long its phases took. */
export interface BacktestRun {
  result: BacktestResult
  file?: string
  timings: BacktestTimings
}

/**
 * Runs a backtest of one or more strategies over stored candles and returns freqtrade's result object. Candles are
 * loaded with the strategy's startup candles before the timerange and gaps filled, analysed once per pair (worker
 * pool or in process), cut to the timerange and simulated with the shared rules.
 */
export async function runBacktest(
  opts: BacktestOptions,
  onProgress?: (p: BacktestProgress) => void,
): Promise<BacktestResult> {
  return (await runBacktestDetailed(opts, onProgress)).result
}

/** `runBacktest` plus the written file and phase timings. */
export async function runBacktestDetailed(
  opts: BacktestOptions,
  onProgress?: (p: BacktestProgress) => void,
): Promise<BacktestRun> {
  const config = opts.config
  const names = opts.strategies?.length ? opts.strategies : config.strategy ? [config.strategy] : []
  if (names.length === 0) throw new Error("no strategy given: pass --strategy or set 'strategy' in the config")
  const pairs = opts.pairs ?? config.exchange.pair_whitelist
  if (pairs.length === 0) throw new Error('no pairs to backtest: set exchange.pair_whitelist in the config')
  const report = (p: BacktestProgress) => onProgress?.(p)
  report({ step: 'startup', progress: 0, tradeCount: null })
  const runStartMs = clock.now()
  let markets = opts.markets
  const range: TimeRange = opts.timerange ? parseTimerange(opts.timerange) : {}

  const result: BacktestResult = { metadata: {}, strategy: {}, strategy_comparison: [] }
  let marketRows: MarketChangeRow[] = []
  const timings: BacktestTimings = { loadS: 0, marketsS: 0, simulateS: 0, resultS: 0, candles: 0 }
  const minStartMs = cacheMinStartMs(opts.cache ?? 'none', runStartMs)
  const cacheDir = opts.exportDir ?? resultsDir(config.user_data_dir)
  let ran = 0
  for (const name of names) {
    const runId = await runIdOf(name, opts, pairs)
    if (minStartMs !== undefined) {
      const prior = await cachedResult(cacheDir, name, runId, minStartMs)
      if (prior) {
        log.info(`Reusing result of previous backtest for ${name} (${prior.metadata[name]?.filename})`)
        result.strategy[name] = prior.strategy[name] as StrategyResult
        result.metadata[name] = prior.metadata[name] as BacktestMetadata
        result.strategy_comparison.push(comparisonLine(name, result.strategy[name]))
        continue
      }
    }
    ran++
    const { strategyResult, startMs, endMs, timeframe, market } = await runOne(
      name,
      opts,
      pairs,
      async (prices) => {
        markets ??= await loadMarkets(config, pairs, prices)
        return markets
      },
      range,
      timings,
      report,
    )
    result.strategy[name] = strategyResult
    if (marketRows.length === 0) marketRows = market
    result.metadata[name] = {
      run_id: runId,
      backtest_start_time: Math.floor(runStartMs / 1000),
      timeframe,
      timeframe_detail: opts.timeframeDetail ?? null,
      backtest_start_ts: Math.floor(startMs / 1000),
      backtest_end_ts: Math.floor(endMs / 1000),
      ...(opts.notes === undefined ? {} : { notes: opts.notes }),
    }
    result.strategy_comparison.push(comparisonLine(name, strategyResult))
  }
  let file: string | undefined
  // as freqtrade: a run whose every strategy came from the cache writes nothing new
  if (ran > 0 && (opts.exportDir !== undefined || opts.exportFilename !== undefined)) {
    file = await writeBacktestResult(opts.exportDir ?? '.', result, runStartMs, opts.exportFilename)
    if (marketRows.length > 0) await writeMarketChange(file, marketChangeTable(marketRows))
  }
  report({ step: 'finished', progress: 1, tradeCount: null })
  return { result, file, timings }
}

async function runOne(
  name: string,
  opts: BacktestOptions,
  pairs: readonly string[],
  getMarkets: (prices: Record<string, number>) => Promise<PairMarkets>,
  range: TimeRange,
  timings: BacktestTimings,
  report: (p: BacktestProgress) => void,
): Promise<{
  strategyResult: StrategyResult
  startMs: number
  endMs: number
  timeframe: string
  market: MarketChangeRow[]
}> {
  const config = opts.config
  const overrides: StrategyOverrides = { ...config, ...(opts.timeframe ? { timeframe: opts.timeframe } : {}) }
  const { strategy, settings } = await loadReadyStrategy(name, strategySearchOf(config), overrides)
  const tf = settings.timeframe
  const tfMs = timeframeToMs(tf)
  const datadir = config.datadir ?? defaultDatadir(config.user_data_dir, config.exchange.name)
  const startup = settings.startupCandleCount

  // 1. candles (startup candles before the range, gaps filled) read and analysed where the analysis runs: each pool
  // worker reads its own pairs' files, so reading spreads over the workers as well
  const t0Load = performance.now()
  report({ step: 'dataload', progress: 0, tradeCount: null, strategy: name })
  const cacheDir = candleCacheDir(config)
  const load = { datadir, timeframe: tf, timerange: range, startupCandles: startup, fillMissing: true, cacheDir }
  // informative candles the strategy asks for are read from the same folder over the same span, startup included
  const informative = {
    run: randomUUID(),
    datadir,
    cacheDir,
    timerange: {
      startMs: range.startMs === undefined ? undefined : range.startMs - startup * tfMs,
      endMs: range.endMs,
    },
  }
  // a few small files are read and analysed here sooner than workers start (the result is the same either way)
  const workers =
    opts.workers ?? (enoughWork(load, pairs) ? (config.analysis_workers ?? navigator.hardwareConcurrency) : 0)
  log.info(
    `${name}: reading and analysing ${pairs.length} pairs ${workers === 0 ? 'in process' : `on ${workers} worker threads`}`,
  )
  const analyzer: Analyzer =
    workers === 0
      ? new InProcessAnalyzer(strategy, overrides)
      : await createAnalyzer({ strategy: name, ...strategySearchOf(config), overrides, workers })
  const chunkSize = workers === 0 ? 1 : Math.max(1, Math.ceil(pairs.length / (workers * 4)))
  const keepFrames = [
    strategy.customExit,
    strategy.customStoploss,
    strategy.customStakeAmount,
    strategy.confirmTradeEntry,
    strategy.confirmTradeExit,
    strategy.customEntryPrice,
    strategy.customExitPrice,
    strategy.adjustEntryPrice,
    strategy.checkEntryTimeout,
    strategy.checkExitTimeout,
    strategy.orderFilled,
    strategy.adjustTradePosition,
  ].some((f) => f !== undefined)
  // without callbacks reading the frame, only what the simulation reads comes back, and regular dates as their span
  const kept = keepFrames ? {} : { ...SIMULATION_KEPT, gridDates: tfMs }
  const grid = new DateGrid()
  const prices: Record<string, number> = {}
  let done = 0
  let failedAnalyses = 0
  // each analysed frame is cut to what the simulation reads as soon as it arrives
  const cutResult = (a: StoredAnalysisResult): PairInput | undefined => {
    if ('loadError' in a) {
      if (a.loadError instanceof NoDataError) {
        log.warn(`${a.loadError.message}; pair skipped`)
        return undefined
      }
      throw a.loadError
    }
    if (a.error) {
      log.error(`${a.pair}: ${a.error.message}; pair skipped`)
      failedAnalyses++
      return undefined
    }
    if (a.dates) a.frame.set('date', grid.view(a.dates))
    const close = a.frame.col('close')
    if (close.length === 0) {
      log.warn(`no candles for ${a.pair} ${tf} in the timerange; pair skipped`)
      return undefined
    }
    if (a.fill) logFillup(a.pair, tf, a.fill)
    // price levels for markets described by level only (the simulator's generated markets)
    prices[a.pair] = close[close.length - 1]
    return toPairInput(a.pair, a.frame, range, startup, keepFrames, a.narrow)
  }
  const pending: Promise<(PairInput | undefined)[]>[] = []
  let analyzed: (PairInput | undefined)[]
  let closing: Promise<void> = Promise.resolve()
  try {
    for (let k = 0; k < pairs.length; k += chunkSize) {
      const chunk = pairs.slice(k, k + chunkSize).map((pair) => ({
        load: { ...load, pair },
        informative,
        ...kept,
      }))
      pending.push(
        analyzer.analyzeStored(chunk).then((results) => {
          done += results.length
          report({ step: 'dataload', progress: done / pairs.length, tradeCount: null, strategy: name })
          if (opts.shouldAbort?.()) throw new BacktestAbortedError('backtest aborted')
          return results.map(cutResult)
        }),
      )
      // in process, one pair at a time between checks for an abort
      if (workers === 0) await pending[pending.length - 1]
    }
    analyzed = (await Promise.all(pending)).flat()
  } finally {
    // informative frames read on this thread (analysis in process) are not needed past the analysis
    forgetStoredInformative(informative)
    // ending the workers takes ~15 ms: they end while the simulation runs, and are waited for before returning
    if (workers !== 0) {
      closing = analyzer
        .destroy()
        .catch((err) => log.warn(`ending the analysis workers failed: ${err?.message ?? err}`))
    }
  }
  timings.loadS += (performance.now() - t0Load) / 1000
  let t0 = performance.now()
  if (analyzed.length === 0) throw new Error(`no candle data for any pair in ${datadir} (timeframe ${tf})`)
  const markets = await getMarkets(prices)
  timings.marketsS += (performance.now() - t0) / 1000
  if (opts.shouldAbort?.()) throw new BacktestAbortedError('backtest aborted')

  // 3. cut to the range: from the range's start, or after the startup candles when the range has no start
  report({ step: 'convert', progress: 0, tradeCount: null, strategy: name })
  const inputs: PairInput[] = []
  for (const input of analyzed) {
    if (!input) continue
    input.market = markets.rules[input.pair] ?? { limits: {} }
    inputs.push(input)
  }
  if (inputs.length === 0 && failedAnalyses > 0) {
    throw new Error(`the strategy's analysis failed on every pair with candles (${failedAnalyses}; see the log)`)
  }
  if (inputs.length === 0) throw new Error('no pair has candles left in the timerange after the startup candles')
  let startMs = Number.POSITIVE_INFINITY
  let endMs = Number.NEGATIVE_INFINITY
  for (const p of inputs) {
    startMs = Math.min(startMs, p.date[0])
    endMs = Math.max(endMs, p.date[p.date.length - 1])
    timings.candles += p.date.length
  }
  if (opts.timeframeDetail)
    await attachDetail(inputs, { datadir, cacheDir }, opts.timeframeDetail, startMs, endMs + tfMs)

  // 4. simulation
  t0 = performance.now()
  const fee = opts.fee ?? markets.fees[inputs[0].pair] ?? 0.001
  const maxOpen = opts.maxOpenTrades ?? config.max_open_trades
  const stake = opts.stakeAmount ?? config.stake_amount
  const wallet = opts.dryRunWallet ?? config.dry_run_wallet
  const exitProfitOffset = Number((config as Record<string, unknown>).exit_profit_offset ?? 0)
  const runStart = clock.now()
  const enableProtections = opts.enableProtections ?? config.enable_protections
  const protectionBlocks = protectionsOf(strategy, config.protections)
  const protections =
    enableProtections && protectionBlocks.length > 0 ? await protectionHook(config, protectionBlocks, tf) : undefined
  const sim: SimulationResult = simulate(inputs, {
    protections,
    settings,
    strategy,
    stakeAmount: stake,
    maxOpenTrades: maxOpen,
    startingBalance: wallet,
    tradableBalanceRatio: config.tradable_balance_ratio,
    availableCapital: config.available_capital,
    fee,
    timeframeMs: tfMs,
    detailTimeframeMs: opts.timeframeDetail ? timeframeToMs(opts.timeframeDetail) : undefined,
    positionStacking: opts.enablePositionStacking ?? false,
    exitProfitOffset,
    unfilledTimeout: config.unfilledtimeout,
    startMs,
    endMs,
    shouldAbort: opts.shouldAbort,
    onProgress: (done, total, trades) =>
      report({ step: 'backtest', progress: done / total, tradeCount: trades, strategy: name }),
  })
  if (sim.aborted) throw new BacktestAbortedError('backtest aborted')
  timings.simulateS += (performance.now() - t0) / 1000

  t0 = performance.now()
  const strategyResult = buildStrategyResult({
    strategyName: name,
    trades: sim.trades,
    pairlist: pairs,
    settings,
    startMs,
    endMs,
    runStartS: Math.floor(runStart / 1000),
    runEndS: Math.floor(clock.now() / 1000),
    startingBalance: wallet,
    finalBalance: sim.finalBalance,
    rejectedSignals: sim.rejectedSignals,
    marketChange: marketChange(inputs.map((p) => p.close)),
    stakeAmount: stake,
    stakeCurrency: config.stake_currency,
    maxOpenTrades: maxOpen,
    timeframeDetail: opts.timeframeDetail,
    timerange: opts.timerange,
    enableProtections,
    locks: sim.locks,
    orderCounters: sim.orderCounters,
    exitProfitOffset,
    tradingMode: config.trading_mode,
    marginMode: config.margin_mode ?? '',
  })
  timings.resultS += (performance.now() - t0) / 1000
  const market = opts.exportDir !== undefined || opts.exportFilename !== undefined ? marketChangeSeries(inputs) : []
  await closing
  return { strategyResult, startMs, endMs, timeframe: tf, market }
}

/**
 * freqtrade's run id: a hash of what decides a strategy's result, so that a stored result with the same id can stand
 * for a new run (`backtest_cache`): the strategy's file, the config and the run's options, and the size and time of
 * every pair's candle file (so new candles make a new run, which freqtrade's id leaves to the cache's age).
 */
async function runIdOf(name: string, opts: BacktestOptions, pairs: readonly string[]): Promise<string> {
  const config = opts.config
  const source = await strategySource(name, strategySearchOf(config)).catch(() => '')
  // the strategy's parameter file changes its values as much as its source does
  const paramsFile = await strategyFile(name, strategySearchOf(config))
    .then((f) => parameterFileOf(f))
    .catch(() => undefined)
  const params = paramsFile !== undefined && existsSync(paramsFile) ? readFileSync(paramsFile, 'utf8') : ''
  const datadir = config.datadir ?? defaultDatadir(config.user_data_dir, config.exchange.name)
  const timeframe = opts.timeframe ?? config.timeframe ?? (await loadStrategy(name, strategySearchOf(config))).timeframe
  const files = pairs.map((pair) => {
    const found = findDataFile(datadir, pair, timeframe)
    if (!found) return null
    const st = statSync(found.file, { throwIfNoEntry: false })
    return st ? [found.file, st.size, st.mtimeMs] : null
  })
  // where decoded candles are kept changes nothing in the result
  const {
    api_server: _api,
    telegram: _telegram,
    candle_cache: _cache,
    ...settings
  } = config as Config & { telegram?: unknown }
  const options = {
    timerange: opts.timerange,
    timeframe: opts.timeframe,
    timeframeDetail: opts.timeframeDetail,
    maxOpenTrades: opts.maxOpenTrades,
    stakeAmount: opts.stakeAmount,
    dryRunWallet: opts.dryRunWallet,
    fee: opts.fee,
    enablePositionStacking: opts.enablePositionStacking,
    enableProtections: opts.enableProtections,
  }
  return createHash('sha1')
    .update(JSON.stringify({ name, source, params, settings, options, pairs, files }))
    .digest('hex')
}

/** Loads the `--timeframe-detail` candles of every pair over the backtest range. */
async function attachDetail(
  inputs: PairInput[],
  where: { datadir: string; cacheDir?: string },
  timeframe: string,
  startMs: number,
  endMs: number,
): Promise<void> {
  for (const p of inputs) {
    try {
      const c = await loadPairHistory({
        ...where,
        pair: p.pair,
        timeframe,
        timerange: { startMs, endMs: endMs - 1 },
        fillMissing: true,
      })
      const detail: DetailCandles = { date: c.date, open: c.open, high: c.high, low: c.low, close: c.close }
      p.detail = detail
    } catch (e) {
      if (e instanceof NoDataError) log.warn(`${e.message}; ${p.pair} simulated on ${timeframe}-less candles`)
      else throw e
    }
  }
}

/** The market-change rows as the API serves them. */
export function marketChangeTable(rows: readonly MarketChangeRow[]): MarketChangeTable {
  return {
    columns: ['date', 'count', 'mean', 'rel_mean', '__date_ts'],
    length: rows.length,
    data: rows.map((r) => [
      new Date(r.dateMs).toISOString().replace('.000Z', '+00:00'),
      r.count,
      r.mean,
      r.relMean,
      r.dateMs,
    ]),
  }
}

const lockLike = (l: SimLock): LockLike => ({ pair: l.pair, untilMs: l.untilMs, side: l.side })

/** The protections in force as the simulation's lock hook; they see every trade closed so far. */
async function protectionHook(config: Config, blocks: ProtectionSpec[], timeframe: string): Promise<ProtectionHook> {
  const registry = await loadPlugins({ pluginPaths: config.plugin_paths })
  const manager = ProtectionManager.create(registry, blocks, { timeframe })
  const closed: ClosedTradeInfo[] = []
  return {
    afterTradeClosed(trade, nowMs, locks) {
      closed.push({
        pair: trade.pair,
        openDateMs: trade.openDateMs,
        closeDateMs: trade.closeDateMs as number,
        profitRatio: trade.closeProfit ?? 0,
        profitAbs: trade.closeProfitAbs ?? 0,
        exitReason: trade.exitReason ?? '',
        isShort: false,
      })
      return manager
        .afterTradeClosed({ pair: trade.pair, isShort: false }, closed, nowMs, locks.map(lockLike))
        .map((l) => ({ pair: l.pair, side: l.side, reason: l.reason, lockMs: nowMs, untilMs: l.untilMs }))
    },
  }
}
