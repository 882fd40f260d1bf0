import { min } from 'drizzle-orm'
import type { Config } from '../config/schema.ts'
import type { Db } from '../db/database.ts'
import { getKvDatetime, setKvDatetime } from '../db/kv.ts'
import { trades } from '../db/schema.ts'
import type { AnalyzedFrameSource } from '../rpc/candles.ts'
import type { BotView } from '../rpc/rpc.ts'
import type { Wallet } from '../rpc/stats.ts'
import { type Clock, wallClock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import type { MarketPrices, TradeCommands } from './commands.ts'
import { EventBus } from './events.ts'
import { PairLocks } from './pairLocks.ts'

const log = getLogger('tern.engine')

export type BotState = 'running' | 'paused' | 'stopped' | 'reload_config'

/** One stage of an iteration (refresh pairs, candles, exits, entries ...), run in order. */
export interface IterationStep {
  readonly name: string
  /** A critical step that fails ends the iteration there: later steps would act on stale or unknown state. */
  readonly critical?: boolean
  run(bot: Bot): Promise<void>
}

export interface BotOptions {
  config: Config
  db: Db
  clock: Clock
  /** Where the bot announces what it does (websocket, notifiers); one bus outlives config reloads. */
  events?: EventBus
  /** Paces the loop: `process_throttle_secs` are wall seconds even when the trading clock runs accelerated. */
  loopClock?: Clock
  steps?: IterationStep[]
}

export const BOT_START_KEY = 'bot_start_time'

/**
 * The bot's state machine and loop: every `internals.process_throttle_secs` it runs its iteration steps
 * (while running or paused) and records when the last iteration completed. A failing step is logged and
 * the loop goes on.
 */
export class Bot implements BotView {
  state: BotState
  lastProcessMs: number | undefined
  maxOpenTrades: number
  readonly startupMs: number
  readonly pairLocks: PairLocks
  readonly events: EventBus
  /** Pairs the bot trades now: the configured whitelist without blacklisted pairs (pairlist plugins refine it). */
  whitelist: string[]
  /** Blacklist entries (pairs or patterns), editable through the API until the next config reload. */
  blacklist: string[]
  /** Set when the loop ended for `/reload_config`: the caller rebuilds the bot from the re-read config. */
  reloadRequested = false
  /** How long each step of the latest iteration took, ms, by step name (steps that failed are absent). */
  lastStepMs: Readonly<Record<string, number>> = {}
  /** The trading engine's commands and cached prices, once one is attached. */
  trades?: TradeCommands
  prices?: MarketPrices
  /** The strategy's `version()`, once a trading engine with a strategy is attached (`/show_config`). */
  strategyVersion: string | undefined
  /** The strategy's position adjustment after the config's overrides, once a trading engine is attached. */
  positionAdjustment: { enabled: boolean; maxEntries: number } | undefined = undefined
  /** The engine's analysed frames, for `/pair_candles`. */
  analyzedFrames?: AnalyzedFrameSource
  /** The account's balances (simulated in dry-run), for `/balance`. */
  wallet?: Wallet
  /** Every market symbol of the exchange, for expanding blacklist patterns. */
  marketPairs?: () => string[]
  /** Called when the loop ends (the engine frees its analysis workers). */
  onShutdown?: () => Promise<void>
  private steps: IterationStep[]
  private stopSignal = new AbortController()
  private wake: (() => void) | undefined

  private constructor(
    private readonly opts: BotOptions,
    readonly botStartMs: number,
  ) {
    this.state = opts.config.initial_state
    this.maxOpenTrades = opts.config.max_open_trades
    this.startupMs = opts.clock.now()
    this.steps = opts.steps ?? []
    this.pairLocks = new PairLocks(opts.db)
    this.events = opts.events ?? new EventBus()
    this.blacklist = [...opts.config.exchange.pair_blacklist]
    this.whitelist = opts.config.exchange.pair_whitelist.filter((p) => !this.blacklist.includes(p))
  }

  /** Replaces the whitelist and tells subscribers when it changed. */
  setWhitelist(pairs: string[]): void {
    if (pairs.length === this.whitelist.length && pairs.every((p, i) => p === this.whitelist[i])) return
    this.whitelist = pairs
    this.events.emit({ type: 'whitelist', data: pairs })
  }

  /** Loads the persisted first-start time (initialised from the oldest trade, or now, on first use). */
  static async create(opts: BotOptions): Promise<Bot> {
    let botStart = await getKvDatetime(opts.db, BOT_START_KEY)
    if (botStart === undefined) {
      const oldest = (await opts.db.select({ first: min(trades.openDate) }).from(trades))[0]?.first
      botStart = oldest ?? opts.clock.now()
      await setKvDatetime(opts.db, BOT_START_KEY, botStart)
    }
    return new Bot(opts, botStart)
  }

  /** Where trades, orders and locks are stored; the RPC layer reads them from here. */
  get db(): Db {
    return this.opts.db
  }

  get config(): Config {
    return this.opts.config
  }
  get strategyName(): string | undefined {
    return this.opts.config.strategy
  }
  get timeframe(): string | undefined {
    return this.opts.config.timeframe
  }

  start(): 'already running' | 'started' {
    if (this.state === 'running') return 'already running'
    this.setState('running')
    return 'started'
  }

  stop(): 'already stopped' | 'stopped' {
    if (this.state === 'stopped') return 'already stopped'
    this.setState('stopped')
    return 'stopped'
  }

  pause(): void {
    this.setState('paused')
  }

  /** Ends the loop so the caller can rebuild the bot from the re-read configuration (freqtrade's reload_config). */
  requestReload(): void {
    this.setState('reload_config')
    this.reloadRequested = true
    this.shutdown()
  }

  /** No new entries until the config is reloaded (freqtrade's stopentry). */
  stopEntry(): void {
    this.maxOpenTrades = 0
  }

  private setState(next: BotState): void {
    if (next === this.state) return
    log.info(`state ${this.state} -> ${next}`)
    this.state = next
    this.events.emit({ type: 'status', status: `state changed to ${next}` })
    this.wake?.()
  }

  /**
   * One iteration: every step in order; a step that throws is logged and the others still run, except after a
   * critical step, which ends the iteration without counting it as completed (`lastProcessMs` stays).
   */
  async iterate(): Promise<boolean> {
    const started = performance.now()
    const stepMs: Record<string, number> = {}
    this.lastStepMs = stepMs
    for (const step of this.steps) {
      const stepStart = performance.now()
      try {
        await step.run(this)
        stepMs[step.name] = performance.now() - stepStart
      } catch (err) {
        if (step.critical) {
          log.warn(`iteration step '${step.name}' failed, iteration delayed: ${(err as Error).message}`)
          return false
        }
        log.error({ err }, `iteration step '${step.name}' failed`)
      }
    }
    this.lastProcessMs = this.opts.clock.now()
    log.debug(
      {
        ms: Math.round(performance.now() - started),
        steps: Object.fromEntries(Object.entries(stepMs).map(([name, ms]) => [name, Math.round(ms)])),
      },
      'iteration completed',
    )
    return true
  }

  /** Runs until `shutdown()`; iterations happen only while running or paused. */
  async run(): Promise<void> {
    const throttleMs = (this.opts.config.internals.process_throttle_secs ?? 5) * 1000
    log.info(`bot loop started in state ${this.state} (every ${throttleMs / 1000} s)`)
    this.events.emit({ type: 'startup', status: `bot started in state ${this.state}` })
    const pace = this.opts.loopClock ?? wallClock
    while (!this.stopSignal.signal.aborted) {
      const started = pace.now()
      if (this.state === 'running' || this.state === 'paused') await this.iterate()
      const wait = Math.max(0, throttleMs - (pace.now() - started))
      await new Promise<void>((resolve) => {
        this.wake = resolve
        pace.sleep(wait).then(resolve)
      })
      this.wake = undefined
    }
    await this.onShutdown?.()
    log.info('bot loop ended')
  }

  shutdown(): void {
    this.stopSignal.abort()
    this.wake?.()
  }
}
