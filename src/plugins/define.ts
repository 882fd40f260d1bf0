/**
 * The plugin contract. A plugin is one file that default-exports the result of `definePairList`,
 * `defineProtection` or `defineNotifier`: its name, a TypeBox schema of its config block, what data it needs,
 * and a `create` that turns a validated config block into a handler.
 */
import type { Static, TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { BotEvent } from './events.ts'
import type {
  CandleSource,
  ClosedTradeInfo,
  LockSide,
  MarketInfo,
  PairPerformance,
  PrecisionMode,
  TickerInfo,
  TradeSide,
} from './inputs.ts'
import type { TelegramCommands } from './telegramCommands.ts'

export type PluginKind = 'pairlist' | 'protection' | 'notifier'

interface PluginBase<S extends TObject, K extends PluginKind> {
  kind: K
  /** The name config blocks use (`"method": "AgeFilter"`). */
  name: string
  /** One line for `tern list-plugins` and FreqUI's pairlist builder. */
  description: string
  /** Schema of the config block (without `method`); defaults are filled before `create`. */
  config: S
  /** Checks across keys that a schema cannot express; returns the problem, naming the key. */
  check?: (cfg: Static<S>) => string | undefined
}

// ---------- pairlists ----------

/** What a pairlist handler knows about the bot, fixed for its lifetime. */
export interface PairlistEnv {
  stakeCurrency: string
  /** `exchange.pair_whitelist` of the config (StaticPairList's list). */
  pairWhitelist: string[]
  /** The strategy's timeframe (ShuffleFilter reshuffles once per candle). */
  timeframe?: string
  /** The strategy's stoploss (PrecisionFilter). */
  stoploss?: number
  precisionMode: PrecisionMode
  /** True in a backtest: filters that need live data refuse to run. */
  backtest: boolean
  log: Logger
  /** Logs a message once per hour at most (pairlists refresh often and repeat themselves). */
  logOnce: (message: string, level?: 'info' | 'warn') => void
}

/** The data of one refresh. */
export interface PairlistContext {
  nowMs: number
  markets: Record<string, MarketInfo>
  /** Empty unless some handler of the chain needs tickers. */
  tickers: Record<string, TickerInfo>
  candles: CandleSource
  /** Per-pair performance of closed trades of the last `minutes` (0 = all). */
  performance: (minutes: number) => PairPerformance[]
  /** Removes blacklisted pairs (wildcards expanded against the markets). */
  verifyBlacklist: (pairs: string[]) => string[]
  /** Keeps pairs that exist, are active, are quoted in the stake currency; removes duplicates. */
  whitelistForActiveMarkets: (pairs: string[]) => string[]
}

export interface PairlistHandler {
  /** Generators produce the first list of the chain. */
  generate?(ctx: PairlistContext): string[] | Promise<string[]>
  /** Reduce (or re-order) the list of the previous handler. */
  filter(pairs: string[], ctx: PairlistContext): string[] | Promise<string[]>
  /** A short sentence for the startup log. */
  describe?(): string
}

export interface PairListPlugin<S extends TObject = TObject> extends PluginBase<S, 'pairlist'> {
  isGenerator: boolean
  needsTickers: boolean
  needsCandles: boolean
  create(cfg: Static<S>, env: PairlistEnv): PairlistHandler
}

// ---------- protections ----------

export interface ProtectionEnv {
  /** The strategy's timeframe, for the `*_candles` keys. */
  timeframe?: string
  log: Logger
}

/** One evaluation: the side of the trade that just closed, the time, and a view of the closed trades. */
export interface ProtectionQuery {
  nowMs: number
  side: TradeSide
  /** Closed trades with `closeDateMs > closedAfterMs`, optionally of one pair. */
  trades(filter: { pair?: string; closedAfterMs: number }): ClosedTradeInfo[]
}

export interface ProtectionResult {
  untilMs: number
  reason: string
  /** Default `*` (both sides). */
  side?: LockSide
}

export interface ProtectionHandler {
  hasGlobalStop: boolean
  hasLocalStop: boolean
  globalStop?(q: ProtectionQuery): ProtectionResult | undefined
  stopPerPair?(pair: string, q: ProtectionQuery): ProtectionResult | undefined
  describe(): string
}

export interface ProtectionPlugin<S extends TObject = TObject> extends PluginBase<S, 'protection'> {
  create(cfg: Static<S>, env: ProtectionEnv): ProtectionHandler
}

// ---------- notifiers ----------

export interface NotifierEnv {
  botName: string
  strategy?: string
  timeframe?: string
  stakeCurrency: string
  /** The bot's commands, for notifiers that take commands (telegram). */
  commands?: TelegramCommands
  log: Logger
}

export interface NotifierHandler {
  /** Delivers one event in one attempt; throws to have the queue retry. Events it is not set up for are ignored. */
  send(event: BotEvent): Promise<void>
  /** Attempts after the first, and the pause between them. */
  retries: number
  retryDelayMs: number
  start?(): Promise<void>
  stop?(): Promise<void>
}

export interface NotifierPlugin<S extends TObject = TObject> extends PluginBase<S, 'notifier'> {
  create(cfg: Static<S>, env: NotifierEnv): NotifierHandler
}

export type AnyPlugin = PairListPlugin | ProtectionPlugin | NotifierPlugin

// The definers keep the schema's static type for `create`, and stamp the kind.

export function definePairList<S extends TObject>(def: Omit<PairListPlugin<S>, 'kind'>): PairListPlugin<S> {
  return { ...def, kind: 'pairlist' }
}

export function defineProtection<S extends TObject>(def: Omit<ProtectionPlugin<S>, 'kind'>): ProtectionPlugin<S> {
  return { ...def, kind: 'protection' }
}

export function defineNotifier<S extends TObject>(def: Omit<NotifierPlugin<S>, 'kind'>): NotifierPlugin<S> {
  return { ...def, kind: 'notifier' }
}

const KINDS = new Set<string>(['pairlist', 'protection', 'notifier'])

/** Whether a module export looks like a plugin made by one of the definers. */
export function isPlugin(v: unknown): v is AnyPlugin {
  if (typeof v !== 'object' || v === null) return false
  const p = v as Record<string, unknown>
  return (
    typeof p.kind === 'string' &&
    KINDS.has(p.kind) &&
    typeof p.name === 'string' &&
    typeof p.create === 'function' &&
    typeof p.config === 'object'
  )
}
