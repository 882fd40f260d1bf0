import { randomUUID } from 'node:crypto'
import type { Config } from '../config/schema.ts'
import type { NewOrderRow, OrderRow } from '../db/schema.ts'
import type { Broker, OrderInfo, OrderType } from '../exchange/broker.ts'
import { OrderNotFoundError, TemporaryError } from '../exchange/errors.ts'
import type { Exchange, OrderBook, Ticker } from '../exchange/exchange.ts'
import { type CcxtOrder, LiveBroker, toOrderInfo } from '../exchange/liveBroker.ts'
import type { Frame } from '../frame/frame.ts'
import { protectionTriggerEvent } from '../plugins/evaluate.ts'
import type { EntryEvent, ExitEvent } from '../plugins/events.ts'
import type { ProtectionManager } from '../plugins/protectionManager.ts'
import { notifyOrderFilled } from '../strategy/orderFilled.ts'
import type { StrategySettings } from '../strategy/settings.ts'
import type { Strategy } from '../strategy/strategy.ts'
import { tagAt } from '../strategy/tags.ts'
import type { Clock } from '../util/clock.ts'
import { timeframeToMs } from '../util/dates.ts'
import { getLogger } from '../util/logger.ts'
import type { Bot } from './bot.ts'
import type { MarketPrices } from './commands.ts'
import { ExchangeStops } from './exchangeStops.ts'
import { applyOrderInfo, isPendingOrder, type LiveTrade, orderViewOf, PENDING_PREFIX } from './liveTrade.ts'
import { pricingRate } from './pricing.ts'
import {
  adjustedEntry,
  adjustStopAfterFill,
  availableStake,
  checkStoploss,
  compileRoi,
  customPriceWithin,
  entryAmount,
  entryConfirmed,
  exitConfirmed,
  exitSignalAllowed,
  isEntrySignal,
  isOrderTimedOut,
  maxPairStake,
  minPairStake,
  positionChange,
  type RoiSteps,
  replacementAmount,
  roiApplies,
  roiThreshold,
  stakeLimitsOf,
  tradeAgeMinutes,
  tradeStakeAmount,
  validateStake,
} from './rules/index.ts'
import { stopOnExchangeSettings } from './stoplossOnExchange.ts'
import type { TradeStore } from './tradeStore.ts'

const log = getLogger('tern.engine')

export interface TraderOptions {
  config: Config
  exchange: Exchange
  broker: Broker
  store: TradeStore
  /** A local instance of the strategy, for its callbacks (analysis may run in workers). */
  strategy: Strategy
  settings: StrategySettings
  clock: Clock
  /** Protections that lock pairs after trades close (the config's `protections`). */
  protections?: ProtectionManager
}

/** Time the trader spent on the database in the current iteration, ms (the steps' own times are the bot's). */
export interface IterationTimings {
  db: number
}

/**
 * The trading side of the bot: open trades and their orders, exits by the shared rules, entries on fresh signals,
 * the order lifecycle (fills by polling, timeouts, cancels) and the commands of the API. Every state change is
 * written to the database before the next exchange call that depends on it: an order is recorded (with a pending
 * id) before it is placed, so a crash can never leave an exchange order the database does not know about.
 */
export class Trader implements MarketPrices {
  readonly open = new Map<number, LiveTrade>()
  /** Analysed frames by pair (set by the analysis step). */
  frames = new Map<string, Frame>()
  /** Set once open trades were loaded and reconciled with the exchange after a start. */
  reconciled = false
  timings: IterationTimings = { db: 0 }
  private bot: Bot | undefined
  /** Steps and commands take turns: an API command never interleaves with a step working on the same trades. */
  private turn: Promise<unknown> = Promise.resolve()
  private tickers: Record<string, Ticker> = {}
  private readonly exitRates = new Map<string, number>()
  private readonly roi: RoiSteps
  private readonly tfMs: number
  /** The stop-loss order kept on the exchange for every open position, when the order types ask for one. */
  private readonly stops: ExchangeStops

  constructor(readonly opts: TraderOptions) {
    this.roi = compileRoi(opts.settings.minimalRoi)
    this.tfMs = timeframeToMs(opts.settings.timeframe)
    this.stops = new ExchangeStops(stopOnExchangeSettings(opts.settings.orderTypes), {
      exchange: opts.exchange,
      now: () => this.now(),
      isOpen: (t) => this.open.has(t.id),
      refreshOrder: (t, o) => this.refreshOrder(t, o),
      cancelOrder: (t, o, reason) => this.cancelOrder(t, o, reason),
      addOrder: async (t, row) => {
        const start = performance.now()
        const o = await opts.store.addOrder(t, row)
        this.timings.db += performance.now() - start
        return o
      },
      pendingOrder: (pair, amount, stopPrice) =>
        this.pendingOrder(pair, 'stoploss', 'stop_loss_limit', amount, stopPrice, null),
      submit: (t, o, send) => this.submit(t, o, send),
      createStoploss: (pair, amount, stopPrice, limitPrice) =>
        opts.broker.createStoploss(pair, amount, stopPrice, limitPrice),
      emergencyExit: (t) => {
        const type = this.config.order_types?.emergency_exit ?? opts.settings.orderTypes.emergency_exit ?? 'market'
        return this.exit(t, 'emergency_exit', type)
      },
    })
  }

  attach(bot: Bot): void {
    this.bot = bot
  }

  /** The bot's state and its max_open_trades in force (the config's until a bot is attached). */
  get botState(): Bot['state'] | undefined {
    return this.bot?.state
  }
  get maxOpenTrades(): number {
    return this.bot?.maxOpenTrades ?? this.opts.config.max_open_trades
  }

  /** Fetches tickers unless some are cached (a command arriving before the first iteration). */
  async ensurePrices(): Promise<void> {
    if (Object.keys(this.tickers).length === 0) await this.refreshPrices()
  }

  /** Runs `fn` once every step or command started before it has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn)
    this.turn = run.catch(() => undefined)
    return run
  }

  private get config(): Config {
    return this.opts.config
  }
  private now(): number {
    return this.opts.clock.now()
  }
  get isLive(): boolean {
    return this.opts.broker instanceof LiveBroker
  }

  /** Pairs of open trades (their candles and prices are needed even off the whitelist). */
  openPairs(): string[] {
    return [...new Set([...this.open.values()].map((t) => t.pair))]
  }

  // ---- start-up -------------------------------------------------------------------------------------------------

  /** Loads open trades and brings every open order up to date with the exchange; throws while the exchange fails. */
  async reconcile(): Promise<void> {
    const trades = await this.opts.store.loadOpen()
    this.open.clear()
    for (const t of trades) this.open.set(t.id, t)
    for (const t of trades) {
      for (const o of [...t.orders]) if (o.ftIsOpen) await this.refreshOrder(t, o)
      // an entry order cancelled to be replaced, the process ending before the new one was recorded: nothing holds
      // the trade any more
      const lastEntry = t.orders.filter((o) => o.ftOrderSide === 'buy').at(-1)
      if (this.open.has(t.id) && lastEntry && !t.hasFilledEntry() && t.openOrders().length === 0) {
        await this.removeUnfilled(t, lastEntry, lastEntry.ftCancelReason ?? 'entry ended without a fill')
      }
    }
    this.reconciled = true
    log.info(`${this.open.size} open trades loaded and reconciled with the exchange`)
  }

  // ---- prices ---------------------------------------------------------------------------------------------------

  /** Refreshes the cached tickers (once per iteration, answered from the exchange's cache when recent). */
  async refreshPrices(): Promise<void> {
    this.tickers = await this.opts.exchange.fetchTickers()
    for (const [pair, t] of Object.entries(this.tickers)) {
      const r = pricingRate('exit', this.config.exit_pricing ?? {}, t, undefined)
      if (r !== undefined) this.exitRates.set(pair, r)
    }
  }

  exitRate(pair: string): number | undefined {
    return this.exitRates.get(pair)
  }

  private async book(pair: string, kind: 'entry' | 'exit'): Promise<OrderBook | undefined> {
    const cfg = (kind === 'entry' ? this.config.entry_pricing : this.config.exit_pricing) ?? {}
    if (cfg.use_order_book === false) return undefined
    return this.opts.exchange.fetchOrderBook(pair, Math.max(5, cfg.order_book_top ?? 1))
  }

  /** A fresh rate for an entry or exit order on `pair`. */
  async rate(pair: string, kind: 'entry' | 'exit'): Promise<number | undefined> {
    const cfg = (kind === 'entry' ? this.config.entry_pricing : this.config.exit_pricing) ?? {}
    const r = pricingRate(kind, cfg, this.tickers[pair], await this.book(pair, kind))
    if (r !== undefined && kind === 'exit') this.exitRates.set(pair, r)
    return r
  }

  // ---- orders ---------------------------------------------------------------------------------------------------

  /**
   * Polls every open order of every open trade and cancels those that timed out: past `unfilledtimeout`, or timed out
   * by the strategy's `checkEntryTimeout` / `checkExitTimeout`. An entry order still open may then be moved by the
   * strategy's `adjustEntryPrice`.
   */
  async manageOrders(): Promise<void> {
    for (const t of [...this.open.values()]) {
      for (const o of t.openOrders()) {
        if (!this.open.has(t.id)) break
        try {
          await this.refreshOrder(t, o)
          if (o.ftIsOpen && this.timedOut(t, o)) await this.cancelOrder(t, o, 'cancelled due to timeout')
          else if (o.ftIsOpen && o.ftOrderSide === 'buy') await this.replaceEntry(t, o)
        } catch (err) {
          if (err instanceof TemporaryError) throw err
          log.warn(`trade ${t.id}: managing order ${o.orderId} failed: ${(err as Error).message}`)
        }
      }
    }
  }

  /** The shared timeout rule; a side without `unfilledtimeout` times out after 10 (minutes by default). */
  private timedOut(t: LiveTrade, o: OrderRow): boolean {
    if (o.orderDate === null) return false
    const u = this.config.unfilledtimeout ?? {}
    const timeouts = { entry: u.entry ?? 10, exit: u.exit ?? 10, unit: u.unit }
    return isOrderTimedOut(
      t,
      orderViewOf(o, o.orderDate),
      this.now(),
      timeouts,
      this.opts.strategy,
      this.frames.get(t.pair),
    )
  }

  /**
   * freqtrade's `replace_order` for an open entry order that nothing filled yet, asked once a candle closed after the
   * order was placed: the shared `adjustedEntry` rule decides. A new price cancels the order and places one for the
   * same stake there (the trade takes its rate and amount, and a new stop on the fill); no price, or a replacement
   * that cannot be placed (minimum stake, `confirmTradeEntry`), cancels it and removes the trade. A partly filled
   * order is left as it is.
   */
  private async replaceEntry(t: LiveTrade, o: OrderRow): Promise<void> {
    const strategy = this.opts.strategy
    if (!strategy.adjustEntryPrice || o.orderDate === null || isPendingOrder(o) || (o.filled ?? 0) > 0) return
    const df = this.frames.get(t.pair)
    if (!df || df.length === 0 || df.col('date')[df.length - 1]! + this.tfMs <= o.orderDate) return
    const proposed = await this.rate(t.pair, 'entry')
    if (proposed === undefined) return
    const current = o.price ?? o.ftPrice
    const tag = t.row.enterTag ?? undefined
    const adjusted = adjustedEntry(strategy, {
      pair: t.pair,
      nowMs: this.now(),
      df,
      trade: t,
      order: orderViewOf(o, o.orderDate),
      proposedRate: proposed,
      currentOrderRate: current,
      entryTag: tag,
      side: 'long',
    })
    if (adjusted.keep) return
    const replacing = adjusted.rate !== undefined
    await this.cancelOrder(t, o, replacing ? 'cancelled to be replaced' : 'cancelled by the strategy', replacing)
    if (o.ftIsOpen || !replacing || !this.open.has(t.id)) return
    const m = this.opts.exchange.market(t.pair)
    const price = this.opts.exchange.priceToPrecision(t.pair, adjusted.rate as number)
    const mode = this.opts.exchange.ccxt.precisionMode
    const amount = replacementAmount(
      ((o.amount ?? o.ftAmount) - (o.filled ?? 0)) * current,
      price,
      stakeLimitsOf(m),
      m.precision.amount,
      mode,
    )
    const type = this.opts.settings.orderTypes.entry ?? 'limit'
    if (
      amount === undefined ||
      !entryConfirmed(this.opts.strategy, {
        pair: t.pair,
        nowMs: this.now(),
        df,
        orderType: type,
        amount,
        rate: price,
        entryTag: tag,
      })
    ) {
      if (!t.hasFilledEntry()) await this.removeUnfilled(t, o, 'the replacement order could not be placed')
      return
    }
    if (!t.hasFilledEntry()) {
      // nothing held yet: the trade is the new order's, with its stop set again on the fill
      t.row.openRate = price
      t.row.amount = amount
      t.recalc()
      t.core.resetEntry(price, amount)
      t.syncFromCore()
    }
    t.row.openRateRequested = price
    t.row.amountRequested = amount
    const start = performance.now()
    const next = await this.opts.store.addOrder(t, this.pendingOrder(t.pair, 'buy', type, amount, price, tag ?? null))
    this.timings.db += performance.now() - start
    this.emitEntry('entry', t, next)
    log.info(`trade ${t.id}: entry order replaced by the strategy, ${type} buy ${amount} at ${price} (was ${current})`)
    await this.place(t, next, type, amount, price)
  }

  /** Fetches one order and applies it; a pending order is looked up among the exchange's orders or dropped. */
  private async refreshOrder(t: LiveTrade, o: OrderRow): Promise<void> {
    if (isPendingOrder(o)) {
      const found = await this.findPlaced(t, o)
      if (found) {
        log.warn(`trade ${t.id}: adopting order ${found.id} placed before a restart`)
        // the order list carries no fees; the order itself does
        await this.applyInfo(t, o, await this.opts.broker.fetchOrder(found.id, t.pair))
      } else {
        log.warn(`trade ${t.id}: ${o.ftOrderSide} order was recorded but never placed; dropping it`)
        await this.orderGone(t, o, 'order was never placed')
      }
      return
    }
    let info: OrderInfo
    try {
      info = await this.opts.broker.fetchOrder(o.orderId, o.ftPair)
    } catch (err) {
      if (!(err instanceof OrderNotFoundError)) throw err
      // a dry-run order does not outlive its process: keep what it filled, stop waiting for the rest
      log.warn(`trade ${t.id}: order ${o.orderId} is unknown to the exchange; closing it as cancelled`)
      await this.orderGone(t, o, 'order not found on the exchange')
      return
    }
    await this.applyInfo(t, o, info)
  }

  /** The exchange order a pending row stands for, if the exchange took it (live only). */
  private async findPlaced(t: LiveTrade, o: OrderRow): Promise<OrderInfo | undefined> {
    if (!this.isLive) return undefined
    const list = await this.ordersSince(t.pair, (o.orderDate ?? this.now()) - 60_000)
    const side = o.ftOrderSide === 'buy' ? 'buy' : 'sell'
    const wantStop = o.ftOrderSide === 'stoploss'
    for (const raw of list) {
      if (!raw.clientOrderId?.startsWith('tern-') || raw.side !== side) continue
      // a stop-loss row stands for a stop order only, an exit row never for one
      if ((raw.triggerPrice ?? raw.stopPrice ?? 0) > 0 !== wantStop) continue
      if (await this.opts.store.knowsOrder(t.pair, String(raw.id))) continue
      return toOrderInfo(raw, t.pair)
    }
    return undefined
  }

  /** The exchange's orders of `pair` placed since `sinceMs` (ccxt's `fetchOrders`), open and closed. */
  async ordersSince(pair: string, sinceMs: number): Promise<CcxtOrder[]> {
    const ex = this.opts.exchange
    return (await ex.call(`fetchOrders ${pair}`, () => ex.ccxt.fetchOrders(pair, sinceMs))) as unknown as CcxtOrder[]
  }

  /** An order that will not fill any further without the exchange saying how: closed as cancelled. */
  private async orderGone(t: LiveTrade, o: OrderRow, reason: string): Promise<void> {
    o.ftIsOpen = false
    o.status = 'canceled'
    o.ftCancelReason = reason
    o.remaining = 0
    await this.afterOrderChange(t, o, false, reason)
  }

  async applyInfo(t: LiveTrade, o: OrderRow, info: OrderInfo): Promise<void> {
    const base = this.opts.exchange.market(t.pair).base
    const { changed, feeRate } = applyOrderInfo(o, info, base, this.now())
    if (info.fee && info.filled > 0) {
      if (o.ftOrderSide === 'buy') t.row.feeOpenCurrency = info.fee.currency
      else t.row.feeCloseCurrency = info.fee.currency
    }
    if (feeRate !== undefined && info.filled > 0) {
      if (o.ftOrderSide === 'buy') {
        t.row.feeOpen = feeRate
        if (!t.orders.some((x) => x.ftOrderSide !== 'buy' && (x.filled ?? 0) > 0)) t.row.feeClose = feeRate
      } else t.row.feeClose = feeRate
    }
    await this.afterOrderChange(t, o, changed)
  }

  /**
   * Folds an order's new state into its trade and writes both: fills update the position (and the initial stop);
   * a finished entry without any fill removes the trade; a finished exit closes the trade when nothing is left.
   */
  private async afterOrderChange(
    t: LiveTrade,
    o: OrderRow,
    changed: boolean,
    cancelReason?: string,
    replacing = false,
  ): Promise<void> {
    const start = performance.now()
    const s = this.opts.settings
    const finished = !o.ftIsOpen
    if (o.ftOrderSide === 'buy') {
      if (finished && !t.hasFilledEntry() && !replacing) {
        await this.removeUnfilled(t, o, cancelReason ?? `order ${o.status}`)
        return
      }
      if (changed || (o.filled ?? 0) > 0) {
        t.recalc()
        t.core.adjustStopLoss(t.row.openRate, s.stoploss, true)
        // a position adjustment moved the open rate: the stop follows it up, never down (freqtrade's recalc)
        if (t.nrOfSuccessfulEntries > 1) t.core.adjustStopLoss(t.row.openRate, t.core.stopLossPct ?? s.stoploss)
        if (finished && (o.filled ?? 0) > 0) this.stopAfterFill(t, o)
        t.syncFromCore()
      }
      if (finished) t.row.amountRequested ??= o.amount
      await this.opts.store.save(t, [o])
      this.timings.db += performance.now() - start
      if (finished && (o.filled ?? 0) > 0) {
        this.emitEntry('entry_fill', t, o)
        this.orderFilled(t, o)
        // protect the position on the exchange at once rather than an iteration later
        if (this.stops.settings.enabled) await this.stops.ensureQuietly(t)
      } else if (finished && !replacing) {
        // an addition to a held position that ended without a fill: the trade stays as it was
        this.emitEntry('entry_cancel', t, o, cancelReason ?? `order ${o.status}`)
      }
      return
    }
    // exit (sell or stoploss)
    const isStop = o.ftOrderSide === 'stoploss'
    if (isStop && (o.filled ?? 0) > 0) t.row.exitReason = 'stoploss_on_exchange'
    const left = t.recalc().held
    const minAmount = this.opts.exchange.market(t.pair).limits.amount.min ?? 0
    const fullyExited = finished && (o.filled ?? 0) > 0 && (left <= 1e-12 || left < minAmount)
    if (fullyExited) {
      t.close(o.average ?? o.price ?? o.ftPrice, o.orderFilledDate ?? this.now(), t.row.exitReason ?? 'exit_signal')
      t.row.closeRateRequested ??= o.ftPrice
      await this.opts.store.save(t, [o])
      this.open.delete(t.id)
      this.timings.db += performance.now() - start
      this.emitExit('exit_fill', t, o, true)
      this.orderFilled(t, o)
      await this.autoLock(t.pair)
      await this.protect(t)
      return
    }
    if (isStop && (o.filled ?? 0) === 0) {
      // a stop order placed, waiting, replaced or gone: nothing was sold, the trade is as it was
      await this.opts.store.save(t, [o])
      this.timings.db += performance.now() - start
      return
    }
    if (finished) {
      t.row.exitOrderStatus = o.status
      // an exit that ended without a fill leaves the trade as it was; a partial one leaves it with the rest
      if ((o.filled ?? 0) === 0) t.row.exitReason = null
      else {
        this.stopAfterFill(t, o)
        t.syncFromCore()
      }
    }
    await this.opts.store.save(t, [o])
    this.timings.db += performance.now() - start
    if (finished && (o.filled ?? 0) === 0) this.emitExit('exit_cancel', t, o, false, cancelReason ?? 'cancelled')
    else if (finished) {
      this.emitExit('exit_fill', t, o, false)
      this.orderFilled(t, o)
    }
  }

  /**
   * The custom stop of a strategy asking to be told of fills (`customStoplossAfterFill`), right after an order filled
   * and left the trade open: the shared `adjustStopAfterFill` at the current exit rate (the fill's price before one is
   * known). A callback that throws leaves the stop as it was.
   */
  private stopAfterFill(t: LiveTrade, o: OrderRow): void {
    const custom = this.customStop(t, this.now(), true)
    if (!this.opts.strategy.customStoplossAfterFill || custom === undefined) return
    const rate = this.exitRate(t.pair) ?? o.average ?? o.price ?? o.ftPrice
    try {
      adjustStopAfterFill(t.core, this.opts.settings, rate, custom)
    } catch (err) {
      log.warn(`trade ${t.id}: customStoploss after the fill failed: ${(err as Error).message}`)
    }
  }

  /** The strategy's `customStoploss` for trade `t` (when in use), as the stop-loss rules ask it: (rate, profit) → ratio. */
  private customStop(
    t: LiveTrade,
    nowMs: number,
    afterFill: boolean,
  ): ((rate: number, profit: number) => number | undefined) | undefined {
    const strategy = this.opts.strategy
    const custom = strategy.customStoploss
    if (custom === undefined || !this.opts.settings.useCustomStoploss) return undefined
    return (rate, profit) =>
      custom.call(strategy, {
        pair: t.pair,
        nowMs,
        df: this.frames.get(t.pair),
        trade: t,
        currentRate: rate,
        currentProfit: profit,
        afterFill,
      })
  }

  /** The strategy's `orderFilled` for an order that finished with a fill. */
  private orderFilled(t: LiveTrade, o: OrderRow): void {
    notifyOrderFilled(this.opts.strategy, {
      pair: t.pair,
      nowMs: this.now(),
      df: this.frames.get(t.pair),
      trade: t,
      order: orderViewOf(o, o.orderDate ?? this.now()),
    })
  }

  /** Removes a trade whose entry ended without any fill (there is no position to keep). */
  private async removeUnfilled(t: LiveTrade, o: OrderRow, reason: string): Promise<void> {
    const start = performance.now()
    await this.opts.store.delete(t.id)
    this.open.delete(t.id)
    this.timings.db += performance.now() - start
    this.emitEntry('entry_cancel', t, o, reason)
    log.info(`trade ${t.id} (${t.pair}) removed: its entry ended without a fill`)
  }

  /** Locks the pair until the next candle after a trade closed, so it is not entered again on the same signal. */
  private async autoLock(pair: string): Promise<void> {
    if (!this.bot) return
    const now = this.now()
    const until = Math.floor(now / this.tfMs) * this.tfMs + this.tfMs
    await this.bot.pairLocks.lock(pair, until, now, 'Auto lock', '*')
  }

  /** Runs the protections after a trade closed and stores the locks they set. */
  private async protect(t: LiveTrade): Promise<void> {
    const p = this.opts.protections
    if (!p || !this.bot) return
    const now = this.now()
    const closed = await this.opts.store.closedSince(now - 30 * 86_400_000)
    const active = await this.bot.pairLocks.active(now)
    const locks = p.afterTradeClosed(
      { pair: t.pair, isShort: false },
      closed,
      now,
      active.map((l) => ({ pair: l.pair, untilMs: l.lockEndTime, side: l.side })),
    )
    for (const lock of locks) {
      const id = await this.bot.pairLocks.lock(lock.pair, lock.untilMs, now, lock.reason, lock.side)
      this.bot.events.emit(protectionTriggerEvent(lock, now, id))
      log.info(`protection locked ${lock.pair} until ${new Date(lock.untilMs).toISOString()}: ${lock.reason}`)
    }
  }

  /** Cancels an order on the exchange and applies the outcome; `replacing` keeps a trade that filled nothing. */
  async cancelOrder(t: LiveTrade, o: OrderRow, reason: string, replacing = false): Promise<void> {
    const info = await this.opts.broker.cancelOrder(o.orderId, o.ftPair)
    o.ftCancelReason = reason
    const base = this.opts.exchange.market(t.pair).base
    const { changed } = applyOrderInfo(o, info, base, this.now())
    if (info.status === 'open') return
    await this.afterOrderChange(t, o, changed, reason, replacing)
  }

  /**
   * Records an order with a pending id, places it, then records what the exchange answered. A definite refusal
   * removes the pending row (and throws); an answer lost to the network leaves it pending for the next poll, which
   * adopts the order if the exchange took it.
   */
  private place(
    t: LiveTrade,
    o: OrderRow,
    type: OrderType,
    amount: number,
    price: number,
  ): Promise<OrderInfo | undefined> {
    const side = o.ftOrderSide === 'buy' ? 'buy' : 'sell'
    return this.submit(t, o, () => this.opts.broker.createOrder(t.pair, type, side, amount, price))
  }

  /** `place` for any kind of order: `send` asks the broker for it. */
  private async submit(t: LiveTrade, o: OrderRow, send: () => Promise<OrderInfo>): Promise<OrderInfo | undefined> {
    let info: OrderInfo
    try {
      info = await send()
    } catch (err) {
      if (err instanceof TemporaryError && this.isLive) {
        log.warn(`trade ${t.id}: placing the ${o.ftOrderSide} order failed without a clear answer; will look it up`)
        return undefined
      }
      await this.orderGone(t, o, `order refused: ${(err as Error).message}`)
      throw err
    }
    if (info.filled > 0 && !info.fee) {
      // filled at once, but the answer does not say what it cost in fees: ask for the order (the record of what was
      // placed is written first, so a failure here only delays the fee to the next poll)
      try {
        await this.applyInfo(t, o, info)
        info = await this.opts.broker.fetchOrder(info.id, t.pair)
      } catch (err) {
        log.warn(`trade ${t.id}: fetching the fee of order ${info.id} failed: ${(err as Error).message}`)
        return info
      }
    }
    await this.applyInfo(t, o, info)
    return info
  }

  pendingOrder(
    pair: string,
    side: 'buy' | 'sell' | 'stoploss',
    type: OrderType | 'stop_loss_limit',
    amount: number,
    price: number,
    tag: string | null,
  ): Omit<NewOrderRow, 'ftTradeId'> {
    return {
      ftOrderSide: side,
      ftPair: pair,
      ftIsOpen: true,
      ftAmount: amount,
      ftPrice: price,
      ftOrderTag: tag,
      orderId: `${PENDING_PREFIX}${randomUUID()}`,
      status: null,
      symbol: pair,
      orderType: type,
      side: side === 'buy' ? 'buy' : 'sell',
      price,
      amount,
      filled: 0,
      remaining: amount,
      cost: 0,
      orderDate: this.now(),
    }
  }

  // ---- entries --------------------------------------------------------------------------------------------------

  /** Opens trades for whitelisted pairs with a fresh entry signal, while slots, locks and the wallet allow. */
  async enterPositions(): Promise<void> {
    const bot = this.bot
    if (bot === undefined) return
    if (bot.state !== 'running') return
    const now = this.now()
    const slots = () => (bot.maxOpenTrades < 0 ? Number.POSITIVE_INFINITY : bot.maxOpenTrades - this.open.size)
    if (slots() <= 0) return
    const held = new Set(this.openPairs())
    let balance: number | undefined
    for (const pair of bot.whitelist) {
      if (slots() <= 0) break
      if (held.has(pair)) continue
      const df = this.frames.get(pair)
      if (!df || df.length === 0) continue
      const i = df.length - 1
      const candleEnd = df.col('date')[i]! + this.tfMs
      // the signal candle must be the last closed one (freqtrade allows a candle of lateness)
      if (now - candleEnd >= 2 * this.tfMs) continue
      if (!isEntrySignal(df.col('enter_long')[i]!, df.col('exit_long')[i]!)) continue
      if (await bot.pairLocks.isLocked(pair, 'long', now)) continue
      balance ??= await this.freeStake()
      const tag = tagAt(df, 'enter_tag', i)
      try {
        await this.enter(pair, { free: balance, tag, df })
        balance = undefined
      } catch (err) {
        log.warn(`entry on ${pair} failed: ${(err as Error).message}`)
      }
    }
  }

  private async freeStake(): Promise<number> {
    const bal = await this.opts.broker.fetchBalance()
    return bal[this.config.stake_currency]?.free ?? 0
  }

  /**
   * The stake for a new trade on `pair` at `rate` (or `wanted`, as asked), or 0 when the wallet or the market does not
   * allow one; an addition to a trade that ties up `heldStake` is held to the market's maximum for the whole position.
   */
  async stakeFor(
    pair: string,
    rate: number,
    free: number,
    opts: { tag?: string; df?: Frame; wanted?: number; heldStake?: number } = {},
  ): Promise<number> {
    const { tag, df, wanted, heldStake = 0 } = opts
    const { available, tiedUp } = await this.stakeAvailable(free)
    const maxTrades = this.maxOpenTrades
    let stake =
      wanted ??
      tradeStakeAmount(
        this.config.stake_amount,
        available,
        tiedUp,
        maxTrades < 0 ? Number.POSITIVE_INFINITY : maxTrades,
      )
    const m = this.opts.exchange.market(pair)
    const limits = stakeLimitsOf(m)
    const minStake = minPairStake(limits, rate, this.opts.settings.stoploss)
    const maxStake = maxPairStake(limits, rate)
    const strategy = this.opts.strategy
    if (strategy.customStakeAmount && wanted === undefined && stake > 0) {
      const custom = strategy.customStakeAmount({
        pair,
        nowMs: this.now(),
        df,
        currentRate: rate,
        proposedStake: stake,
        minStake,
        maxStake: Math.min(maxStake, available),
        entryTag: tag,
        side: 'long',
      })
      if (Number.isFinite(custom)) stake = custom
    }
    return validateStake(stake, minStake, maxStake, available, heldStake)
  }

  /** The stake new orders may use with `free` quote in the wallet (`availableStake`), and what open trades tie up. */
  private async stakeAvailable(free: number): Promise<{ available: number; tiedUp: number }> {
    const tiedUp = [...this.open.values()].reduce((s, t) => s + t.row.stakeAmount, 0)
    const available = availableStake(
      { free, tiedUp },
      this.config.tradable_balance_ratio,
      this.config.available_capital,
      this.config.available_capital !== undefined ? await this.opts.store.closedProfit() : 0,
    )
    return { available, tiedUp }
  }

  /**
   * freqtrade's `process_open_trade_positions`, before the exits of an iteration: with `positionAdjustmentEnable`,
   * every open trade holding a position and without open orders is offered to the strategy's `adjustTradePosition`
   * (the shared `positionChange` rule); an addition places an entry order on the trade, a partial exit an exit order
   * with reason `partial_exit`.
   */
  async adjustPositions(): Promise<void> {
    if (!this.adjustsPositions) return
    // the wallet is asked once, and again only after an order changed it
    let free: number | undefined
    for (const t of [...this.open.values()]) {
      if (!this.open.has(t.id) || !t.hasFilledEntry() || t.openOrders().length > 0) continue
      try {
        free ??= await this.freeStake()
        if (await this.adjustPosition(t, free)) free = undefined
      } catch (err) {
        if (err instanceof TemporaryError) throw err
        log.warn(`trade ${t.id}: position adjustment failed: ${(err as Error).message}`)
      }
    }
  }

  /** Whether the strategy adjusts positions (`positionAdjustmentEnable` with an `adjustTradePosition`). */
  get adjustsPositions(): boolean {
    return this.opts.settings.positionAdjustmentEnable && this.opts.strategy.adjustTradePosition !== undefined
  }

  /** Asks the strategy about one trade with `free` quote in the wallet; true when an order was placed. */
  private async adjustPosition(t: LiveTrade, free: number): Promise<boolean> {
    const entryRate = await this.rate(t.pair, 'entry')
    const exitRate = this.exitRates.get(t.pair) ?? (await this.rate(t.pair, 'exit'))
    if (entryRate === undefined || exitRate === undefined) return false
    const m = this.opts.exchange.market(t.pair)
    const limits = stakeLimitsOf(m)
    const { available } = await this.stakeAvailable(free)
    const entryProfit = t.profitRatio(entryRate)
    const change = positionChange(
      this.opts.strategy,
      {
        pair: t.pair,
        nowMs: this.now(),
        df: this.frames.get(t.pair),
        trade: t,
        currentRate: entryRate,
        currentProfit: entryProfit,
        minStake: minPairStake(limits, entryRate, 0),
        maxStake: Math.min(maxPairStake(limits, entryRate), available),
        currentEntryRate: entryRate,
        currentExitRate: exitRate,
        currentEntryProfit: entryProfit,
        currentExitProfit: t.profitRatio(exitRate),
      },
      {
        entries: t.nrOfSuccessfulEntries,
        amount: t.row.amount,
        stakeAmount: t.row.stakeAmount,
        amountPrecision: m.precision.amount,
        precisionMode: this.opts.exchange.ccxt.precisionMode,
        minExitStake: minPairStake(limits, exitRate, this.opts.settings.stoploss),
      },
    )
    if (change === undefined) return false
    if (change.kind === 'decrease') {
      await this.exit(t, 'partial_exit', this.opts.settings.orderTypes.exit ?? 'limit', change.amount)
      return true
    }
    if (this.bot?.state !== 'running') return false
    return this.addToPosition(t, { stake: change.stake, tag: change.tag, free })
  }

  /**
   * Places an entry order that adds to an open trade (a position adjustment or a force entry on a held pair); false
   * when the wallet or the market allow no stake. The order is not confirmed by `confirmTradeEntry` (freqtrade asks
   * it for new trades only). Its fill is folded into the trade's amount and average open rate by `recalc`.
   */
  async addToPosition(
    t: LiveTrade,
    opts: { stake?: number; tag?: string; price?: number; ordertype?: OrderType; free?: number },
  ): Promise<boolean> {
    const e = await this.entryOrder(t.pair, { ...opts, df: this.frames.get(t.pair) }, t)
    if (!(e.stake > 0)) {
      log.info(`trade ${t.id}: no addition to ${t.pair}: the wallet or the market's minimum does not allow a stake`)
      return false
    }
    if (!(e.amount > 0)) return false
    const start = performance.now()
    const o = await this.opts.store.addOrder(
      t,
      this.pendingOrder(t.pair, 'buy', e.type, e.amount, e.price, opts.tag ?? null),
    )
    this.timings.db += performance.now() - start
    this.emitEntry('entry', t, o)
    log.info(`trade ${t.id}: adding to ${t.pair}, ${e.type} buy ${e.amount} at ${e.price} (stake ${e.stake})`)
    await this.place(t, o, e.type, e.amount, e.price)
    return true
  }

  /**
   * The order of an entry into `pair`, new or adding to `held`: at the given price (a force entry's, used as is, as
   * freqtrade does) or the strategy's custom entry price, with the stake the wallet and the market allow (0: none),
   * price and amount to the market's precision.
   */
  private async entryOrder(
    pair: string,
    opts: { free?: number; tag?: string; df?: Frame; price?: number; ordertype?: OrderType; stake?: number },
    held?: LiveTrade,
  ): Promise<{ stake: number; price: number; amount: number; type: OrderType }> {
    const proposed = opts.price ?? (await this.rate(pair, 'entry'))
    if (proposed === undefined || !(proposed > 0)) throw new Error(`no entry price for ${pair}`)
    const rate = opts.price === undefined ? this.customEntryRate(pair, proposed, opts.tag, opts.df, held) : proposed
    const stake = await this.stakeFor(pair, rate, opts.free ?? (await this.freeStake()), {
      tag: opts.tag,
      df: opts.df,
      wanted: opts.stake,
      heldStake: held?.row.stakeAmount,
    })
    const type = opts.ordertype ?? this.opts.settings.orderTypes.entry ?? 'limit'
    const price = this.opts.exchange.priceToPrecision(pair, rate)
    if (!(stake > 0)) return { stake: 0, price, amount: 0, type }
    const precision = this.opts.exchange.market(pair).precision.amount
    const amount = entryAmount(stake, price, precision, this.opts.exchange.ccxt.precisionMode)
    return { stake, price, amount, type }
  }

  /** Places an entry; resolves with the new trade (its order may still be open). */
  async enter(
    pair: string,
    opts: { free?: number; tag?: string; df?: Frame; price?: number; ordertype?: OrderType; stake?: number },
  ): Promise<LiveTrade | undefined> {
    const { stake, price, amount, type } = await this.entryOrder(pair, opts)
    if (!(stake > 0)) {
      log.info(`no entry on ${pair}: the wallet or the market's minimum does not allow a stake`)
      return undefined
    }
    if (!(amount > 0)) return undefined
    if (
      !entryConfirmed(this.opts.strategy, {
        pair,
        nowMs: this.now(),
        df: opts.df,
        orderType: type,
        amount,
        rate: price,
        entryTag: opts.tag,
      })
    )
      return undefined
    const m = this.opts.exchange.market(pair)
    const fee = type === 'market' ? m.taker : m.maker
    const now = this.now()
    const start = performance.now()
    const t = await this.opts.store.createTrade(
      {
        exchange: this.opts.exchange.id,
        pair,
        baseCurrency: m.base,
        stakeCurrency: m.quote,
        isOpen: true,
        feeOpen: fee,
        feeClose: fee,
        openRate: price,
        openRateRequested: price,
        openTradeValue: 0,
        stakeAmount: stake,
        amount,
        amountRequested: amount,
        openDate: now,
        strategy: this.opts.strategy.constructor.name,
        enterTag: opts.tag ?? null,
        timeframe: Math.round(this.tfMs / 60_000),
        tradingMode: 'spot',
        amountPrecision: m.precision.amount ?? null,
        pricePrecision: m.precision.price ?? null,
        precisionMode: this.opts.exchange.ccxt.precisionMode,
        precisionModePrice: this.opts.exchange.ccxt.precisionMode,
        leverage: 1,
        isShort: false,
      },
      this.pendingOrder(pair, 'buy', type, amount, price, opts.tag ?? null),
    )
    this.timings.db += performance.now() - start
    this.open.set(t.id, t)
    this.emitEntry('entry', t, t.orders[0]!)
    log.info(`trade ${t.id}: entering ${pair}, ${type} buy ${amount} at ${price} (stake ${stake})`)
    await this.place(t, t.orders[0]!, type, amount, price)
    return this.open.get(t.id) ?? t
  }

  // ---- exits ----------------------------------------------------------------------------------------------------

  /**
   * Checks every open trade without open orders against stop-loss, ROI, exit signal and custom exit. With
   * `stoploss_on_exchange`, the trade's stop order is looked at first (a filled one closes the trade), then placed,
   * re-placed or trailed up, and the software stop-loss stands aside while the exchange holds a stop.
   */
  async exitPositions(): Promise<void> {
    const s = this.opts.settings
    const strategy = this.opts.strategy
    const now = this.now()
    // trades whose stop or price range moved: written together at the end
    const moved: LiveTrade[] = []
    for (const t of [...this.open.values()]) {
      if (!t.hasFilledEntry()) continue
      // followed even with the setting turned off since they were placed: a stop that fills closes the trade
      if (t.openStopOrders().length > 0) {
        try {
          if (await this.stops.follow(t)) continue
        } catch (err) {
          if (err instanceof TemporaryError) throw err
          log.warn(`trade ${t.id}: checking its stop-loss order failed: ${(err as Error).message}`)
        }
      }
      if (t.openOrders().length > 0 || !this.open.has(t.id)) continue
      const rate = this.exitRates.get(t.pair) ?? (await this.rate(t.pair, 'exit'))
      if (rate === undefined) continue
      const before = [t.core.stopLoss, t.core.maxRate, t.core.minRate]
      t.core.adjustMinMax(rate, rate)
      const hit = checkStoploss(t.core, s, rate, rate, this.customStop(t, now, false))
      t.syncFromCore()
      if (this.stops.settings.enabled && hit === 'none') {
        try {
          await this.stops.ensure(t)
        } catch (err) {
          if (err instanceof TemporaryError) throw err
          log.warn(`trade ${t.id}: keeping its stop-loss on the exchange failed: ${(err as Error).message}`)
        }
        // the stop could not be placed and the trade is being exited instead
        if (!this.open.has(t.id) || t.openOrders().length > 0) continue
      }
      let reason: string | undefined
      // the exchange's stop order acts for the software stop while it rests there
      if (hit !== 'none' && t.openStopOrders().length === 0) reason = hit
      const df = this.frames.get(t.pair)
      const i = df ? df.length - 1 : -1
      const enter = df && i >= 0 ? df.col('enter_long')[i]! : 0
      const exitSig = df && i >= 0 ? df.col('exit_long')[i]! : 0
      if (!reason && roiApplies(enter, s.ignoreRoiIfEntrySignal)) {
        const threshold = roiThreshold(this.roi, tradeAgeMinutes(t.openDateMs, now))
        if (threshold !== undefined && t.core.profitAbove(rate, threshold)) reason = 'roi'
      }
      if (
        !reason &&
        s.useExitSignal &&
        exitSignalAllowed(enter, exitSig, s.exitProfitOnly, () => t.core.profitAbove(rate, 0))
      ) {
        reason = (df && tagAt(df, 'exit_tag', i)) || 'exit_signal'
      }
      if (!reason && strategy.customExit) {
        const out = strategy.customExit({
          pair: t.pair,
          nowMs: now,
          df,
          trade: t,
          currentRate: rate,
          currentProfit: t.profitRatio(rate),
        })
        if (typeof out === 'string' && out.length > 0) reason = out
        else if (out === true) reason = 'custom_exit'
      }
      if (reason) {
        const ot = this.opts.settings.orderTypes
        const type = (reason.includes('stop_loss') ? ot.stoploss : ot.exit) ?? 'limit'
        try {
          await this.exit(t, reason, type)
        } catch (err) {
          // the exchange is unreachable: the iteration is delayed; a refused order only holds this trade back
          if (err instanceof TemporaryError) throw err
          log.warn(`trade ${t.id}: exit (${reason}) failed: ${(err as Error).message}`)
        }
      } else if (t.core.stopLoss !== before[0] || t.core.maxRate !== before[1] || t.core.minRate !== before[2]) {
        moved.push(t)
      }
    }
    const start = performance.now()
    await this.opts.store.saveStops(moved)
    this.timings.db += performance.now() - start
  }

  /** Places an exit order for the whole position (or `amount` of it). */
  async exit(t: LiveTrade, reason: string, type: OrderType, amount?: number): Promise<void> {
    const proposed = await this.rate(t.pair, 'exit')
    if (proposed === undefined) throw new Error(`no exit price for ${t.pair}`)
    const rate = this.customExitRate(t, proposed, reason)
    const price = this.opts.exchange.priceToPrecision(t.pair, rate)
    let qty = this.opts.exchange.amountToPrecision(t.pair, Math.min(amount ?? t.row.amount, t.row.amount))
    if (!(qty > 0)) return
    if (
      reason !== 'force_exit' &&
      reason !== 'partial_exit' &&
      !exitConfirmed(this.opts.strategy, {
        pair: t.pair,
        nowMs: this.now(),
        df: this.frames.get(t.pair),
        trade: t,
        orderType: type,
        amount: qty,
        rate: price,
        exitReason: reason,
      })
    ) {
      return
    }
    if (t.openStopOrders().length > 0) {
      // the coins an exchange stop holds must be free before they can be sold
      if (!(await this.stops.cancelAll(t, reason))) return
      qty = this.opts.exchange.amountToPrecision(t.pair, Math.min(amount ?? t.row.amount, t.row.amount))
      if (!(qty > 0)) return
    }
    t.row.exitReason = reason
    t.row.closeRateRequested = price
    const start = performance.now()
    const o = await this.opts.store.addOrder(t, this.pendingOrder(t.pair, 'sell', type, qty, price, null))
    this.timings.db += performance.now() - start
    this.emitExit('exit', t, o, qty >= t.row.amount)
    log.info(`trade ${t.id}: exiting ${t.pair} (${reason}), ${type} sell ${qty} at ${price}`)
    await this.place(t, o, type, qty, price)
  }

  /** The config's `custom_price_max_distance_ratio` (freqtrade's default 0.02). */
  private get customPriceMaxDistance(): number | undefined {
    return this.config.custom_price_max_distance_ratio
  }

  /**
   * freqtrade's custom entry price: the strategy's `customEntryPrice` for `proposed` (the entry pricing's rate), kept
   * within `custom_price_max_distance_ratio` of it; `proposed` when the strategy has no such callback or it fails.
   */
  private customEntryRate(
    pair: string,
    proposed: number,
    tag: string | undefined,
    df: Frame | undefined,
    trade?: LiveTrade,
  ): number {
    const strategy = this.opts.strategy
    if (!strategy.customEntryPrice) return proposed
    let asked: number | undefined
    try {
      asked = strategy.customEntryPrice({
        pair,
        nowMs: this.now(),
        df,
        trade,
        proposedRate: proposed,
        entryTag: tag,
        side: 'long',
      })
    } catch (err) {
      log.warn(`customEntryPrice for ${pair} failed, using ${proposed}: ${(err as Error).message}`)
    }
    return customPriceWithin(asked, proposed, this.customPriceMaxDistance)
  }

  /** freqtrade's custom exit price, asked for every exit: the same rule as `customEntryRate`. */
  private customExitRate(t: LiveTrade, proposed: number, reason: string): number {
    const strategy = this.opts.strategy
    if (!strategy.customExitPrice) return proposed
    let asked: number | undefined
    try {
      asked = strategy.customExitPrice({
        pair: t.pair,
        nowMs: this.now(),
        df: this.frames.get(t.pair),
        trade: t,
        proposedRate: proposed,
        currentProfit: t.profitRatio(proposed),
        exitTag: reason,
      })
    } catch (err) {
      log.warn(`customExitPrice for trade ${t.id} failed, using ${proposed}: ${(err as Error).message}`)
    }
    return customPriceWithin(asked, proposed, this.customPriceMaxDistance)
  }

  // ---- events ---------------------------------------------------------------------------------------------------

  private base(t: LiveTrade, o: OrderRow) {
    const r = t.row
    const m = this.opts.exchange.market(t.pair)
    return {
      trade_id: r.id,
      pair: r.pair,
      exchange: capitalise(r.exchange),
      direction: 'Long' as const,
      leverage: 1,
      enter_tag: r.enterTag,
      buy_tag: r.enterTag,
      order_type: o.orderType ?? 'limit',
      amount: o.filled || o.ftAmount,
      open_rate: r.openRate,
      current_rate: this.exitRates.get(r.pair) ?? null,
      open_date: new Date(r.openDate),
      stake_amount: r.stakeAmount,
      stake_currency: this.config.stake_currency,
      base_currency: m.base,
      quote_currency: m.quote,
      fiat_currency: this.config.fiat_display_currency ?? null,
      sub_trade: false,
    }
  }

  private emitEntry(type: 'entry' | 'entry_fill' | 'entry_cancel', t: LiveTrade, o: OrderRow, reason?: string): void {
    const ev = { ...this.base(t, o), type, limit: o.ftPrice } as EntryEvent
    if (type === 'entry_cancel') this.bot?.events.emit({ ...ev, type: 'entry_cancel', reason: reason ?? '' })
    else this.bot?.events.emit(ev)
  }

  private emitExit(
    type: 'exit' | 'exit_fill' | 'exit_cancel',
    t: LiveTrade,
    o: OrderRow,
    final: boolean,
    reason?: string,
  ): void {
    const r = t.row
    const rate = o.average ?? o.ftPrice
    const profitAbs = r.isOpen ? t.core.profitAbs(rate) : (r.closeProfitAbs ?? 0)
    const profitRatio = r.isOpen ? t.core.profitRatio(rate) : (r.closeProfit ?? 0)
    const ev: ExitEvent = {
      ...this.base(t, o),
      type: type === 'exit_cancel' ? 'exit' : type,
      gain: profitAbs >= 0 ? 'profit' : 'loss',
      limit: o.ftPrice,
      order_rate: o.ftPrice,
      close_rate: r.closeRate ?? rate,
      profit_amount: profitAbs,
      profit_ratio: profitRatio,
      exit_reason: r.exitReason ?? reason ?? '',
      close_date: new Date(r.closeDate ?? this.now()),
      cumulative_profit: r.isOpen ? r.realizedProfit : (r.closeProfitAbs ?? 0),
      final_profit_ratio: r.isOpen ? undefined : (r.closeProfit ?? undefined),
      is_final_exit: final,
    }
    if (type === 'exit_cancel') this.bot?.events.emit({ ...ev, type: 'exit_cancel', reason: reason ?? '' })
    else this.bot?.events.emit(ev)
  }
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1)
}
