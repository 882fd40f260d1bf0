import pkg from '../../package.json' with { type: 'json' }
import { HttpError, RpcError } from '../api/errors.ts'
import type {
  AvailablePairs,
  DataFrameResponse,
  PairCandlesRequest,
  PairHistoryRequest,
} from '../api/schemas/candles.ts'
import type { Health, Logs, ShowConfig, SysInfo } from '../api/schemas/info.ts'
import type { Blacklist, Whitelist } from '../api/schemas/lists.ts'
import type { DeleteLockRequest, LockRequest, Locks } from '../api/schemas/locks.ts'
import type {
  Balance,
  EntryRow,
  ExitRow,
  MixTagRow,
  PerformanceRow,
  PeriodicProfit,
  Profit,
  Stats,
} from '../api/schemas/stats.ts'
import type { PlotConfigResponse, StrategyDetail, StrategyList } from '../api/schemas/strategies.ts'
import type {
  DeleteTradeResult,
  ForceEnterRequest,
  ForceEnterResponse,
  ForceExitRequest,
  ResultMessage,
  TradeCount,
  TradeList,
  TradeObject,
} from '../api/schemas/trade.ts'
import type { Config } from '../config/schema.ts'
import type { Db } from '../db/database.ts'
import type { MarketPrices, TradeCommands } from '../engine/commands.ts'
import type { EventBus } from '../engine/events.ts'
import type { PairLocks } from '../engine/pairLocks.ts'
import { pairlistsAvailable } from '../plugins/index.ts'
import { clock } from '../util/clock.ts'
import { isoUtc } from '../util/dates.ts'
import type { LogRing } from '../util/logger.ts'
import { type AvailablePairsFilter, availablePairs } from './availablePairs.ts'
import { BacktestService } from './backtest.ts'
import { type AnalyzedFrameSource, defaultCandleType, pairCandles, pairHistory } from './candles.ts'
import { configView, type Runmode } from './configView.ts'
import { BackgroundJobs, type Job } from './jobs.ts'
import { addToBlacklist, blacklistView, removeFromBlacklist, whitelistView } from './lists.ts'
import { addLocks, deleteLocks, listLocks } from './locks.ts'
import { type EvaluateBody, PluginCatalogue, pairlistEvaluationResult, startPairlistEvaluation } from './pairlists.ts'
import {
  balance,
  entries,
  exits,
  mixTags,
  performance,
  periodicProfit,
  profitSummary,
  type StatsSources,
  type Timeunit,
  tradeStats,
  type Wallet,
} from './stats.ts'
import { plotConfig, strategyDetail, strategyList } from './strategies.ts'
import { SysInfoSampler } from './sysinfo.ts'
import {
  cancelOpenOrders,
  deleteTrade,
  forceEnter,
  forceExit,
  openTradesStatus,
  reloadTrade,
  tradeCount,
  tradeDetail,
  tradeHistory,
} from './trades.ts'

export const TERN_VERSION: string = pkg.version

/** What the RPC layer reads from a running bot. */
export interface BotView {
  readonly state: 'running' | 'paused' | 'stopped' | 'reload_config'
  /** ms of the last completed iteration, if any. */
  readonly lastProcessMs: number | undefined
  /** ms of the bot's first-ever start (persisted). */
  readonly botStartMs: number | undefined
  /** ms when this process started the bot. */
  readonly startupMs: number
  /** max_open_trades in force (0 after stopentry). */
  readonly maxOpenTrades: number
  readonly strategyName: string | undefined
  readonly strategyVersion: string | undefined
  /** Position adjustment in force (the strategy's, after the config's overrides). */
  readonly positionAdjustment?: { enabled: boolean; maxEntries: number }
  readonly timeframe: string | undefined
  readonly pairLocks: PairLocks
  readonly events: EventBus
  readonly whitelist: string[]
  start(): 'already running' | 'started'
  stop(): 'already stopped' | 'stopped'
  pause(): void
  stopEntry(): void
  requestReload(): void
  /** The engine's newest analysed frame per pair (for `/pair_candles`); absent until the engine analyses. */
  readonly analyzedFrames?: AnalyzedFrameSource
  /** The database the engine writes trades, orders and locks to; trade reads go straight to it. */
  readonly db?: Db
  /** Commands on trades (force entry/exit, delete, cancel, reload); absent until the engine offers them. */
  readonly trades?: TradeCommands
  /** Cached exit-side prices; without them open trades show no current rate or profit. */
  readonly prices?: MarketPrices
  /** The account's balances per currency (for `/balance` and the starting balance). */
  readonly wallet?: Wallet
  /** Blacklist entries (pairs or patterns); `/blacklist` edits this array in place. */
  readonly blacklist?: string[]
  /** The exchange's market symbols, to expand blacklist patterns against. */
  marketPairs?(): string[]
}

export interface RpcOptions {
  config: Config
  runmode: Runmode
  logRing: LogRing
  bot?: BotView
}

export const NOT_IN_STATE = 'Bot is not in the correct state'

/** The service behind the API: reads and commands, with no HTTP in it. */
export class Rpc {
  private readonly sysinfoSampler = new SysInfoSampler()
  readonly jobs = new BackgroundJobs()
  readonly backtests = new BacktestService(() => this.opts.config, this.jobs)
  private readonly plugins = new PluginCatalogue(() => this.opts.config)
  constructor(private opts: RpcOptions) {}

  get runmode(): Runmode {
    return this.opts.runmode
  }

  get config(): Config {
    return this.opts.config
  }

  private requireBot(): BotView {
    if (!this.opts.bot) throw new RpcError(NOT_IN_STATE)
    return this.opts.bot
  }

  /** Webserver-only routes answer 503 in trade mode (§12.4). */
  requireWebserver(): void {
    if (this.opts.runmode !== 'webserver') throw new HttpError(503, 'Bot is not in the correct state.')
  }

  async pairlistsAvailable() {
    return pairlistsAvailable(await this.plugins.get())
  }

  evaluatePairlists(body: EvaluateBody) {
    return startPairlistEvaluation(this.jobs, this.plugins, this.opts.config, body)
  }

  pairlistEvaluation(jobId: string) {
    return pairlistEvaluationResult(this.jobs, jobId)
  }

  backgroundJobs(): Omit<Job, 'result'>[] {
    return this.jobs.list().map(({ result: _, ...job }) => job)
  }

  backgroundJob(jobId: string): Omit<Job, 'result'> {
    const job = this.jobs.get(jobId)
    if (!job) throw new HttpError(404, 'Job not found.')
    const { result: _, ...view } = job
    return view
  }

  /** Attaches the (re)built engine; `undefined` while it is being rebuilt, when engine routes answer 502. */
  attach(bot: BotView | undefined, config?: Config): void {
    this.opts.bot = bot
    if (config) this.opts.config = config
  }

  start(): { status: string } {
    return { status: this.requireBot().start() === 'started' ? 'starting trader ...' : 'already running' }
  }

  stop(): { status: string } {
    return { status: this.requireBot().stop() === 'stopped' ? 'stopping trader ...' : 'already stopped' }
  }

  pause(): { status: string } {
    this.requireBot().pause()
    return { status: 'paused, no more entries will occur from now. Run /start to enable entries.' }
  }

  stopEntry(): { status: string } {
    const bot = this.requireBot()
    if (bot.state === 'running') bot.stopEntry()
    return { status: 'No more entries will occur from now. Run /reload_config to reset.' }
  }

  reloadConfig(): { status: string } {
    this.requireBot().requestReload()
    return { status: 'Reloading config ...' }
  }

  locks(): Promise<Locks> {
    return listLocks(this.requireBot().pairLocks, clock.now())
  }

  addLocks(requests: LockRequest[]): Promise<Locks> {
    const bot = this.requireBot()
    return addLocks(bot.pairLocks, requests, bot.timeframe ?? this.opts.config.timeframe ?? '5m', clock.now())
  }

  async deleteLock(id: number): Promise<Locks> {
    const locks = this.requireBot().pairLocks
    await locks.unlockById(id, clock.now())
    return listLocks(locks, clock.now())
  }

  deleteLocks(req: DeleteLockRequest): Promise<Locks> {
    return deleteLocks(this.requireBot().pairLocks, req, clock.now())
  }

  /** The engine for the websocket: its events and whitelist (undefined in webserver mode or during a reload). */
  get bot(): BotView | undefined {
    return this.opts.bot
  }

  version(): { version: string } {
    return { version: TERN_VERSION }
  }

  showConfig(): ShowConfig {
    return configView(this.opts.config, this.opts.runmode, TERN_VERSION, this.opts.bot)
  }

  sysinfo(): Promise<SysInfo> {
    return this.sysinfoSampler.read()
  }

  health(): Health {
    const bot = this.requireBot()
    const iso = (ms: number | undefined) => (ms === undefined ? null : isoUtc(ms))
    const secs = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000))
    return {
      last_process: iso(bot.lastProcessMs),
      last_process_ts: secs(bot.lastProcessMs),
      bot_start: iso(bot.botStartMs),
      bot_start_ts: secs(bot.botStartMs),
      bot_startup: iso(bot.startupMs),
      bot_startup_ts: secs(bot.startupMs),
    }
  }

  logs(limit?: number): Logs {
    const logs = this.opts.logRing.last(limit)
    return { log_count: logs.length, logs }
  }

  strategies(): Promise<StrategyList> {
    return strategyList(this.opts.config)
  }

  strategy(name: string): Promise<StrategyDetail> {
    return strategyDetail(this.opts.config, name)
  }

  plotConfig(strategy?: string): Promise<PlotConfigResponse> {
    return plotConfig(this.opts.config, strategy, this.opts.bot)
  }

  availablePairs(filter: AvailablePairsFilter): Promise<AvailablePairs> {
    return availablePairs(this.opts.config, defaultCandleType(this.opts.config), filter)
  }

  pairCandles(req: PairCandlesRequest): DataFrameResponse {
    return pairCandles(this.opts.config, this.requireBot(), req)
  }

  pairHistory(req: PairHistoryRequest): Promise<DataFrameResponse> {
    return pairHistory(this.opts.config, req)
  }

  /** The engine and the database it writes to; 502 while either is missing. */
  private requireStore(): { bot: BotView; db: Db } {
    const bot = this.requireBot()
    if (!bot.db) throw new RpcError(NOT_IN_STATE)
    return { bot, db: bot.db }
  }

  private statsSources(): StatsSources {
    const { bot, db } = this.requireStore()
    return {
      db,
      config: this.opts.config,
      prices: bot.prices,
      wallet: bot.wallet,
      botStartMs: bot.botStartMs,
      nowMs: clock.now(),
    }
  }

  status(): Promise<TradeObject[]> {
    const { bot, db } = this.requireStore()
    return openTradesStatus(db, bot.prices)
  }

  trades(limit?: number, offset?: number): Promise<TradeList> {
    return tradeHistory(this.requireStore().db, limit, offset)
  }

  trade(id: number): Promise<TradeObject> {
    const { bot, db } = this.requireStore()
    return tradeDetail(db, bot.prices, id)
  }

  deleteTrade(id: number): Promise<DeleteTradeResult> {
    const { bot, db } = this.requireStore()
    return deleteTrade(db, bot, id)
  }

  cancelOpenOrder(id: number): Promise<TradeObject> {
    const { bot, db } = this.requireStore()
    return cancelOpenOrders(db, bot, bot.prices, id)
  }

  reloadTrade(id: number): Promise<TradeObject> {
    const { bot, db } = this.requireStore()
    return reloadTrade(db, bot, bot.prices, id)
  }

  count(): Promise<TradeCount> {
    const { bot, db } = this.requireStore()
    return tradeCount(db, bot)
  }

  forceEnter(req: ForceEnterRequest): Promise<ForceEnterResponse> {
    const { bot, db } = this.requireStore()
    return forceEnter(db, bot, this.opts.config, req)
  }

  forceExit(req: ForceExitRequest): Promise<ResultMessage> {
    return forceExit(this.requireBot(), req)
  }

  profit(): Promise<Profit> {
    return profitSummary(this.statsSources())
  }

  performance(): Promise<PerformanceRow[]> {
    return performance(this.requireStore().db)
  }

  entries(pair?: string): Promise<EntryRow[]> {
    return entries(this.requireStore().db, pair)
  }

  exits(pair?: string): Promise<ExitRow[]> {
    return exits(this.requireStore().db, pair)
  }

  mixTags(pair?: string): Promise<MixTagRow[]> {
    return mixTags(this.requireStore().db, pair)
  }

  stats(): Promise<Stats> {
    return tradeStats(this.requireStore().db)
  }

  periodicProfit(unit: Timeunit, timescale: number): Promise<PeriodicProfit> {
    return periodicProfit(this.statsSources(), unit, timescale)
  }

  balance(): Promise<Balance> {
    const src = this.statsSources()
    if (!src.wallet) throw new RpcError(NOT_IN_STATE)
    return balance(src, src.wallet)
  }

  whitelist(): Whitelist {
    return whitelistView(this.requireBot(), this.opts.config)
  }

  blacklist(): Blacklist {
    return blacklistView(this.requireBot(), this.opts.config)
  }

  addBlacklist(pairs: string[]): Blacklist {
    const bot = this.requireBot()
    if (!bot.blacklist) throw new RpcError(NOT_IN_STATE)
    return addToBlacklist(bot, this.opts.config, pairs)
  }

  deleteBlacklist(pairs: string[]): Blacklist {
    const bot = this.requireBot()
    if (!bot.blacklist) throw new RpcError(NOT_IN_STATE)
    return removeFromBlacklist(bot, this.opts.config, pairs)
  }
}
