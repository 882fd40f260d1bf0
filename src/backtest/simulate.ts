import type { Order } from '../domain/order.ts'
import { amountToPrecision, priceToPrecision, TICK_SIZE } from '../domain/precision.ts'
import { Trade, type TradeInit } from '../domain/trade.ts'
import {
  adjustedEntry,
  adjustStopAfterFill,
  availableStake,
  checkStoploss,
  compileRoi,
  entryAmount,
  entryConfirmed,
  exitConfirmed,
  isEntrySignal,
  isOrderTimedOut,
  limitOrderFills,
  maxPairStake,
  minPairStake,
  positionChange,
  ROI_PRICE_RULES,
  type RoiPriceRules,
  type RoiSteps,
  replacementAmount,
  roiExitPrice,
  roiStepIndex,
  type StakeLimits,
  stoplossExitPrice,
  tradeStakeAmount,
  type UnfilledTimeout,
  usableCustomPrice,
  validateStake,
} from '../engine/rules/index.ts'
import type { Frame } from '../frame/frame.ts'
import { notifyOrderFilled } from '../strategy/orderFilled.ts'
import type { StrategySettings } from '../strategy/settings.ts'
import type { TagCodes } from '../strategy/storedColumns.ts'
import type { Strategy } from '../strategy/strategy.ts'
import { nextExitCandidate, roiPrices, type TrailingScan, trailingScan } from './quietCandles.ts'

/** Precision and limits of one market, as the simulation needs them. */
export interface MarketRules {
  pricePrecision?: number
  amountPrecision?: number
  precisionMode?: number
  limits: StakeLimits
}

/** Candles detail of one pair for `--timeframe-detail`: sorted columns of the lower timeframe. */
export interface DetailCandles {
  date: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
}

/**
 * One pair's analyzed candles for the simulation, already cut to the backtest range (startup candles removed).
 * Signals are those of each candle itself; the simulation applies candle t's signals at candle t+1.
 */
export interface PairInput {
  pair: string
  date: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  /** Signals as one byte per candle: 1 where the strategy set `enter_long` / `exit_long` to 1. */
  enter: Uint8Array
  exit: Uint8Array
  /** Tag codes per candle (−1 = none) and their strings. */
  enterTag?: TagCodes
  enterTagNames?: readonly string[]
  exitTag?: TagCodes
  exitTagNames?: readonly string[]
  market: MarketRules
  /** The analyzed frame (handed to callbacks as `df`). */
  frame?: Frame
  detail?: DetailCandles
}

export interface SimulationOptions {
  settings: StrategySettings
  /** The strategy instance, for its callbacks (optional). */
  strategy?: Strategy
  stakeAmount: number | 'unlimited'
  /** -1 or Infinity = unlimited. */
  maxOpenTrades: number
  startingBalance: number
  tradableBalanceRatio: number
  availableCapital?: number
  fee: number
  timeframeMs: number
  detailTimeframeMs?: number
  /** `--eps`: several open trades per pair. */
  positionStacking?: boolean
  exitProfitOffset?: number
  /** First and last candle date of the backtest range. */
  startMs: number
  endMs: number
  /** Pair locks from protections (`enable_protections`): asked after every closed trade. */
  protections?: ProtectionHook
  /** Polled once per candle step; true stops the run. */
  shouldAbort?: () => boolean
  /** Called every few thousand steps with (steps done, steps total, closed trades so far). */
  onProgress?: (done: number, total: number, trades: number) => void
  /** Rules of earlier freqtrade releases, for reproducing results made with them; default: today's rules. */
  legacy?: LegacyRules
  /**
   * The config's `unfilledtimeout`: how long an entry / exit order at a custom price may rest unfilled before it is
   * cancelled. A side left out never times out by age (its order waits until the end of the run, unless the
   * strategy's `checkEntryTimeout` / `checkExitTimeout` cancels it).
   */
  unfilledTimeout?: UnfilledTimeout
  /**
   * Check every open trade on every candle, even where `quietCandles.ts` shows no exit can fire (the results are the
   * same; for tests that compare the two).
   */
  checkEveryCandle?: boolean
}

export type { UnfilledTimeout }

/**
 * Backtest rules that freqtrade has changed since its early releases. A result file made with an older freqtrade is
 * only reproduced with the rules it was made with; every flag defaults to today's behaviour. (Early releases also
 * ignored exit signals by default and dropped each pair's last candle as incomplete: those are the config's
 * `use_exit_signal` and the candles handed in.)
 */
export interface LegacyRules {
  /** Exits are checked on the candle the trade opened on (today); before, only from the next candle on. */
  exitOnEntryCandle?: boolean
  /** A ROI step that begins on a candle opening above its rate exits at that open (today); before, at the rate. */
  roiNewStepAtOpen?: boolean
  /** The ROI exit price is bound to the candle's range (today); before, the ROI rate itself was the price. */
  roiWithinCandle?: boolean
}

/** A pair lock in a backtest (`pair` `*` = all pairs). */
export interface SimLock {
  pair: string
  side: 'long' | 'short' | '*'
  reason: string
  lockMs: number
  untilMs: number
}

/** Protections as the simulation sees them: new locks after a trade closed at `nowMs`. */
export interface ProtectionHook {
  afterTradeClosed(trade: SimTrade, nowMs: number, locks: readonly SimLock[]): SimLock[]
}

/** A simulated trade, with the index of its pair. */
export class SimTrade extends Trade {
  /** The entry order while it rests unfilled (a custom entry price no candle has reached yet). */
  openEntry: Order | undefined = undefined
  /** The exit order while it rests unfilled (a custom exit price above the candle); its tag is the exit reason. */
  openExit: Order | undefined = undefined
  /** The date of the next candle on which an exit can fire (0: every candle is checked). */
  nextCheckMs = 0
  /** The price each ROI step needs (`roiPrices`), once the entry has filled. */
  roiPrices: Float64Array | undefined = undefined
  /** How its trailing stop can move (`trailingScan`), once the entry has filled. */
  trailing: TrailingScan | undefined = undefined

  constructor(
    init: TradeInit,
    readonly pairIndex: number,
  ) {
    super(init)
  }
}

/** freqtrade's order counters of a backtest result. */
export interface OrderCounters {
  /**
   * Entry orders cancelled after `unfilledtimeout.entry` or by `checkEntryTimeout` (their trades are dropped: no
   * entry filled).
   */
  timedoutEntryOrders: number
  /**
   * Exit orders cancelled after `unfilledtimeout.exit` or by `checkExitTimeout` (the trade stays open and exits on a
   * later signal).
   */
  timedoutExitOrders: number
  /** Trades dropped because `adjustEntryPrice` cancelled their unfilled entry order (or its replacement failed). */
  canceledTradeEntries: number
  /** Entry orders cancelled by `adjustEntryPrice` (replaced or not). */
  canceledEntryOrders: number
  /** Entry orders `adjustEntryPrice` replaced by one at a new price. */
  replacedEntryOrders: number
}

export interface SimulationResult {
  /** Closed trades in the order they closed (force exits last). */
  trades: SimTrade[]
  rejectedSignals: number
  finalBalance: number
  aborted: boolean
  /** Locks set by protections, in the order they were set. */
  locks: SimLock[]
  orderCounters: OrderCounters
  /** How often the exit rules ran (one open trade on one candle): the simulation's work, for tests and benchmarks. */
  exitChecks: number
}

const EXIT_SIGNAL = 1
const CUSTOM_EXIT = 2

/**
 * The backtest loop, freqtrade's rules: one step per candle of the strategy timeframe from `startMs + tf` to `endMs`;
 * in each step pairs with open trades first (in the order their trades opened), then the whitelist order; per pair
 * entries (with the previous candle's signals, under `max_open_trades` counted at the start of the step) before exits
 * (stop-loss, ROI, exit signal, custom exit in freqtrade's priority). Trades still open at the end are closed at the
 * last candle's open with `force_exit`.
 */
export function simulate(pairs: readonly PairInput[], o: SimulationOptions): SimulationResult {
  return new Simulation(pairs, o).run()
}

class Simulation {
  private readonly s: StrategySettings
  private readonly roi: RoiSteps
  private readonly tfMinutes: number
  private readonly maxOpen: number
  private readonly openTrades: SimTrade[] = []
  private readonly openByPair: SimTrade[][]
  private readonly closed: SimTrade[] = []
  private readonly locks: SimLock[] = []
  private readonly rowPtr: Int32Array
  private readonly detailPtr: Int32Array
  private readonly stamp: Int32Array
  private readonly order: Int32Array
  private closedProfit = 0
  private rejected = 0
  private nextId = 1
  private openCountStart = 0
  private readonly customExit: Strategy['customExit']
  private readonly customStoploss: Strategy['customStoploss']
  private readonly customStake: Strategy['customStakeAmount']
  private readonly botLoopStart: Strategy['botLoopStart']
  /** Set only for limit orders: freqtrade prices market orders at the candle whatever the strategy asks. */
  private readonly customEntryPrice: Strategy['customEntryPrice']
  private readonly customExitPrice: Strategy['customExitPrice']
  /** Orders resting unfilled across all pairs; while 0, no candle looks for timeouts. */
  private resting = 0
  private timedoutEntry = 0
  private timedoutExit = 0
  private canceledTradeEntries = 0
  private canceledEntryOrders = 0
  private replacedEntryOrders = 0
  private exitChecks = 0
  private readonly exitOnEntryCandle: boolean
  private readonly roiRules: RoiPriceRules
  /** Whether open trades are checked only on the candles where an exit can fire (see `quietCandles.ts`). */
  private readonly skipQuiet: boolean
  /** Whether `adjustTradePosition` is asked on every candle of every open trade. */
  private readonly adjustPositions: boolean

  constructor(
    private readonly pairs: readonly PairInput[],
    private readonly o: SimulationOptions,
  ) {
    this.s = o.settings
    this.roi = compileRoi(o.settings.minimalRoi)
    this.tfMinutes = o.timeframeMs / 60_000
    this.maxOpen = o.maxOpenTrades < 0 ? Number.POSITIVE_INFINITY : o.maxOpenTrades
    this.openByPair = pairs.map(() => [])
    this.rowPtr = new Int32Array(pairs.length).fill(1)
    this.detailPtr = new Int32Array(pairs.length)
    this.stamp = new Int32Array(pairs.length).fill(-1)
    this.order = new Int32Array(pairs.length)
    const st = o.strategy
    this.customExit = st?.customExit?.bind(st)
    this.customStoploss =
      st?.useCustomStoploss || o.settings.useCustomStoploss ? st?.customStoploss?.bind(st) : undefined
    this.customStake = st?.customStakeAmount?.bind(st)
    this.botLoopStart = st?.botLoopStart?.bind(st)
    this.customEntryPrice = o.settings.orderTypes.entry === 'limit' ? st?.customEntryPrice?.bind(st) : undefined
    this.customExitPrice = o.settings.orderTypes.exit === 'limit' ? st?.customExitPrice?.bind(st) : undefined
    this.exitOnEntryCandle = o.legacy?.exitOnEntryCandle ?? true
    this.roiRules = {
      newStepAtOpen: o.legacy?.roiNewStepAtOpen ?? ROI_PRICE_RULES.newStepAtOpen,
      withinCandle: o.legacy?.roiWithinCandle ?? ROI_PRICE_RULES.withinCandle,
    }
    this.adjustPositions = o.settings.positionAdjustmentEnable && st?.adjustTradePosition !== undefined
    // a custom stop, a callback asked on every candle, resting exits, several trades a pair or candles in detail can act
    // on any candle
    this.skipQuiet =
      !o.checkEveryCandle &&
      !this.adjustPositions &&
      this.customStoploss === undefined &&
      this.customExit === undefined &&
      this.customExitPrice === undefined &&
      !o.positionStacking &&
      this.exitOnEntryCandle &&
      o.detailTimeframeMs === undefined &&
      pairs.every((d) => d.detail === undefined)
  }

  run(): SimulationResult {
    const { startMs, endMs, timeframeMs } = this.o
    const total = Math.max(1, Math.floor((endMs - startMs) / timeframeMs))
    const events = this.entryEvents(total)
    let step = 0
    let aborted = false
    for (let now = startMs + timeframeMs; now <= endMs; now += timeframeMs, step++) {
      if (this.o.shouldAbort?.()) {
        aborted = true
        break
      }
      if ((step & 4095) === 0) this.o.onProgress?.(step, total, this.closed.length)
      this.openCountStart = this.openTrades.length
      this.botLoopStart?.({ nowMs: now })
      // pairs with open trades first, in the order their trades opened (those with a trade that can exit now)
      let n = 0
      for (let k = 0; k < this.openTrades.length; k++) {
        const t = this.openTrades[k]
        const p = t.pairIndex
        if (this.stamp[p] !== step && t.nextCheckMs <= now) {
          this.stamp[p] = step
          this.order[n++] = p
        }
      }
      for (let k = 0; k < n; k++) this.stepPair(this.order[k], now)
      // then, in whitelist order, the pairs with an entry signal on this step; a pair with neither has nothing to do
      if (step + 1 < events.start.length - 1) {
        for (let e = events.start[step + 1], end = events.start[step + 2]; e < end; e++) {
          const p = events.pair[e]
          if (this.stamp[p] !== step) {
            this.stamp[p] = step
            this.stepPair(p, now)
          }
        }
      }
    }
    if (!aborted) this.closeLeftOpen()
    this.o.onProgress?.(total, total, this.closed.length)
    return {
      trades: this.closed,
      rejectedSignals: this.rejected,
      finalBalance: this.o.startingBalance + this.closedProfit,
      aborted,
      locks: this.locks,
      exitChecks: this.exitChecks,
      orderCounters: {
        timedoutEntryOrders: this.timedoutEntry,
        timedoutExitOrders: this.timedoutExit,
        canceledTradeEntries: this.canceledTradeEntries,
        canceledEntryOrders: this.canceledEntryOrders,
        replacedEntryOrders: this.replacedEntryOrders,
      },
    }
  }

  /**
   * Every candle that carries the previous candle's entry signal, grouped by the loop step that handles it (the step
   * is k − 1 for a candle k timeframes after the start): the pairs of step k − 1 are `pair[start[k] .. start[k + 1])`,
   * in whitelist order. Built by counting, as signals are few and steps many.
   */
  private entryEvents(total: number): { start: Int32Array; pair: Int32Array } {
    const P = this.pairs.length
    const { startMs, timeframeMs } = this.o
    const steps = total + 2
    const start = new Int32Array(steps + 1)
    let ks = new Int32Array(1024)
    let ps = new Int32Array(1024)
    let count = 0
    for (let p = 0; p < P; p++) {
      const { date, enter, exit } = this.pairs[p]
      // signals are a few in a hundred candles: the native search skips the rest (candle i acts on row i − 1)
      for (let sig = enter.indexOf(1); sig >= 0 && sig < date.length - 1; sig = enter.indexOf(1, sig + 1)) {
        if (!isEntrySignal(enter[sig], exit[sig])) continue
        const i = sig + 1
        const k = Math.ceil((date[i] - startMs) / timeframeMs)
        if (k < 1 || k >= steps) continue
        if (count === ks.length) {
          ks = grow(ks)
          ps = grow(ps)
        }
        ks[count] = k
        ps[count++] = p
        start[k + 1]++
      }
    }
    for (let k = 1; k <= steps; k++) start[k] += start[k - 1]
    // stable placement: pairs were visited in whitelist order
    const pair = new Int32Array(count)
    const next = start.slice(0, steps)
    for (let e = 0; e < count; e++) pair[next[ks[e]]++] = ps[e]
    return { start, pair }
  }

  /** One candle of one pair: the row at the pair's pointer when its date has come. */
  private stepPair(p: number, now: number): void {
    const d = this.pairs[p]
    const date = d.date
    // rows without a trade or signal were skipped; catch up to the candle of this step
    const i = seekRow(date, this.rowPtr[p], now, this.o.timeframeMs)
    if (i >= date.length || date[i] > now) {
      this.rowPtr[p] = i
      return
    }
    this.rowPtr[p] = i + 1
    const det = d.detail
    if (det !== undefined && (this.openByPair[p].length > 0 || this.entrySignal(d, i - 1))) {
      const tfEnd = d.date[i] + this.o.timeframeMs
      let j = this.detailPtr[p]
      while (j < det.date.length && det.date[j] < d.date[i]) j++
      this.detailPtr[p] = j
      if (j < det.date.length && det.date[j] < tfEnd) {
        let first = true
        let t = now
        for (; j < det.date.length && det.date[j] < tfEnd; j++) {
          this.candle(p, d, t, det.open[j], det.high[j], det.low[j], det.close[j], i - 1, first)
          first = false
          t += this.o.detailTimeframeMs ?? 0
        }
        this.detailPtr[p] = j
        return
      }
    }
    this.candle(p, d, now, d.open[i], d.high[i], d.low[i], d.close[i], i - 1, true)
    if (this.skipQuiet) this.scheduleChecks(p, d, i + 1)
  }

  /**
   * The next candle, from row `from` on, on which each open trade of the pair can exit (see `quietCandles.ts`). The
   * rows are on the steps' grid, as the loader gives them, so that candle's step is the one that checks it.
   */
  private scheduleChecks(p: number, d: PairInput, from: number): void {
    const trades = this.openByPair[p]
    for (let k = 0; k < trades.length; k++) {
      const t = trades[k]
      if (t.openEntry !== undefined || t.openExit !== undefined) continue
      if (t.roiPrices === undefined) {
        t.roiPrices = roiPrices(t, this.roi)
        t.trailing = trailingScan(t, this.s)
      }
      const row = nextExitCandidate(t, d, from, this.roi, t.roiPrices, this.s.useExitSignal, t.trailing)
      t.nextCheckMs = row < d.date.length ? d.date[row] : Number.POSITIVE_INFINITY
    }
  }

  private entrySignal(d: PairInput, sig: number): boolean {
    return isEntrySignal(d.enter[sig], d.exit[sig])
  }

  /**
   * freqtrade's `backtest_loop` for one (detail) candle: resting orders past their timeout are cancelled, entries
   * placed, resting entry orders filled, exits checked for trades without resting orders, resting exits filled.
   */
  private candle(
    p: number,
    d: PairInput,
    now: number,
    open: number,
    high: number,
    low: number,
    close: number,
    sig: number,
    isFirst: boolean,
  ): void {
    const trades = this.openByPair[p]
    if (this.resting > 0 && trades.length > 0) this.manageOpenOrders(trades, d, now, open)
    if (
      (this.o.positionStacking || trades.length === 0) &&
      isFirst &&
      now !== this.o.endMs &&
      this.entrySignal(d, sig) &&
      !this.isLocked(d.pair, now)
    ) {
      if (this.openCountStart < this.maxOpen) {
        if (this.enter(p, d, now, open, high, low, sig)) this.openCountStart++
      } else this.rejected++
    }
    for (let k = 0; k < trades.length; k++) {
      const t = trades[k]
      // nothing can fire before its next check (its price range up to there is already taken in)
      if (t.nextCheckMs > now) continue
      const entry = t.openEntry
      if (entry !== undefined) {
        if (!limitOrderFills(entry.price, low, high)) continue
        entry.fill(now)
        t.openEntry = undefined
        this.resting--
        if (t.nrOfSuccessfulEntries > 1) t.recalcFromOrders()
        this.orderFilled(t, entry, d, now)
      }
      const exit = t.openExit
      if (exit !== undefined) {
        if (limitOrderFills(exit.price, low, high)) {
          exit.fill(now)
          t.openExit = undefined
          this.resting--
          if (this.exitFilled(t, exit, d, now)) k--
        }
        continue
      }
      if (!this.exitOnEntryCandle && t.openDateMs === now) continue
      if (this.adjustPositions) {
        if (this.adjustPosition(t, d, now, open, high, low)) {
          k--
          continue
        }
        // a partial exit resting above the candle: nothing else is placed while it waits
        if (t.openExit !== undefined) continue
      }
      if (this.checkExit(t, d, now, open, high, low, close, sig)) k--
    }
  }

  /**
   * freqtrade's `manage_open_orders` for the resting orders of one pair's trades. First `check_order_cancel`, by the
   * shared timeout rule (`unfilledtimeout`, then the strategy's `checkEntryTimeout` / `checkExitTimeout`): a timed-out
   * entry order takes its trade with it (no entry filled, so no trade is recorded and its slot and stake are free
   * again); a timed-out exit order is dropped and the trade exits again on a later signal. Then, for an entry order
   * still resting, `check_order_replace` (`adjustEntryPrice`), which may drop the trade too.
   */
  private manageOpenOrders(trades: SimTrade[], d: PairInput, now: number, open: number): void {
    for (let k = 0; k < trades.length; k++) {
      const t = trades[k]
      const entry = t.openEntry
      if (entry !== undefined) {
        // an addition's order gone: the trade holds what it held
        if (this.keepsEntry(t, entry, d, now, open) || t.nrOfSuccessfulEntries > 0) continue
        // nothing filled: no trade is recorded, and its slot and stake are free again
        this.openTrades.splice(this.openTrades.indexOf(t), 1)
        trades.splice(k--, 1)
        this.openCountStart--
        continue
      }
      const exit = t.openExit
      if (
        exit !== undefined &&
        isOrderTimedOut(t, exit.view(), now, this.o.unfilledTimeout, this.o.strategy, d.frame)
      ) {
        t.orders.splice(t.orders.indexOf(exit), 1)
        t.openExit = undefined
        this.resting--
        this.timedoutExit++
      }
    }
  }

  /**
   * `check_order_cancel`, then `check_order_replace`, for a resting entry order; false when its trade is to be dropped
   * (the order timed out, or `adjustEntryPrice` cancelled it without a replacement).
   */
  private keepsEntry(t: SimTrade, entry: Order, d: PairInput, now: number, open: number): boolean {
    if (isOrderTimedOut(t, entry.view(), now, this.o.unfilledTimeout, this.o.strategy, d.frame)) {
      entry.status = 'canceled'
      t.openEntry = undefined
      this.resting--
      this.timedoutEntry++
      return false
    }
    // freqtrade asks only on candles after the one the order was placed on
    if (now <= entry.createdMs || this.replaceEntry(t, entry, d, now, open)) return true
    if (t.nrOfSuccessfulEntries === 0) this.canceledTradeEntries++
    return false
  }

  /**
   * freqtrade's `check_order_replace` for a resting entry order, asked on every candle after the one it was placed on;
   * false when the trade is to be dropped. The strategy's price equal to the order's keeps it (as does a callback that
   * throws); any other answer cancels it, and a usable price places a new order there with the same stake
   * (remaining × old price; amount cut to the step) — the trade then takes the new order's amount, rate and initial
   * stop. The new order may fill on this very candle. Nothing placed (no price, below the market's minimum stake, no
   * amount left, `confirmTradeEntry` refusing) leaves the trade without an order: dropped.
   */
  private replaceEntry(t: SimTrade, entry: Order, d: PairInput, now: number, open: number): boolean {
    const adjusted = adjustedEntry(this.o.strategy, {
      pair: t.pair,
      nowMs: now,
      df: d.frame,
      trade: t,
      order: entry.view(),
      proposedRate: open,
      currentOrderRate: entry.price,
      entryTag: t.enterTag,
      side: 'long',
    })
    if (adjusted.keep) return true
    t.orders.splice(t.orders.indexOf(entry), 1)
    entry.status = 'canceled'
    t.openEntry = undefined
    this.resting--
    this.canceledEntryOrders++
    const rate = adjusted.rate
    if (rate === undefined) return false
    const stake = (entry.amount - entry.filled) * entry.price
    const amount = replacementAmount(stake, rate, d.market.limits, t.amountPrecision, t.precisionMode)
    if (amount === undefined) return false
    if (
      !entryConfirmed(this.o.strategy, {
        pair: t.pair,
        nowMs: now,
        df: d.frame,
        orderType: this.s.orderTypes.entry,
        amount,
        rate,
        entryTag: t.enterTag,
      })
    )
      return false
    if (t.nrOfSuccessfulEntries === 0) {
      // the trade takes the new order's amount and rate, and a new initial stop (freqtrade sets both on the fill)
      t.resetEntry(rate, amount)
      t.adjustStopLoss(rate, this.s.stoploss, true)
    }
    t.openEntry = t.addOrder('buy', amount, rate, now, entry.tag)
    this.resting++
    this.replacedEntryOrders++
    return true
  }

  /** freqtrade's `PairLocks.is_pair_locked` for a long entry at `atMs`. */
  private isLocked(pair: string, atMs: number): boolean {
    for (let k = 0; k < this.locks.length; k++) {
      const l = this.locks[k]
      if ((l.pair === pair || l.pair === '*') && l.untilMs > atMs && l.lockMs <= atMs && l.side !== 'short') return true
    }
    return false
  }

  private wallet(): { free: number; tiedUp: number } {
    let tied = 0
    for (const t of this.openTrades) tied += t.stakeAmount
    return { free: this.o.startingBalance + this.closedProfit - tied, tiedUp: tied }
  }

  /**
   * freqtrade's `_enter_trade` at the candle's open, or at the strategy's custom entry price (rounded to the tick,
   * capped at the candle's high); true when a trade opened. A custom price below the candle's low leaves the entry
   * order resting: the trade holds its slot and stake until a candle reaches the price or the order times out.
   */
  private enter(p: number, d: PairInput, now: number, open: number, high: number, low: number, sig: number): boolean {
    const tag = tagOf(d.enterTag, d.enterTagNames, sig)
    const mode = d.market.precisionMode ?? TICK_SIZE
    const customPrice = this.customEntryPrice
    const rate = this.customEntryRate(d, now, open, high, tag, undefined)
    const w = this.wallet()
    const available = availableStake(w, this.o.tradableBalanceRatio, this.o.availableCapital, this.closedProfit)
    let stake = tradeStakeAmount(this.o.stakeAmount, available, w.tiedUp, this.maxOpen)
    if (!stake) return false
    const minStake = minPairStake(d.market.limits, rate, this.s.stoploss) ?? 0
    const maxStake = maxPairStake(d.market.limits, rate)
    if (this.customStake) {
      stake = this.customStake({
        pair: d.pair,
        nowMs: now,
        df: d.frame,
        currentRate: rate,
        proposedStake: stake,
        minStake,
        maxStake: Math.min(available, maxStake),
        entryTag: tag,
        side: 'long',
      })
    }
    stake = validateStake(stake, minStake, maxStake, available)
    if (!stake || (minStake && stake < minStake)) return false
    const amount = entryAmount(stake, rate, d.market.amountPrecision, mode)
    if (!amount) return false
    if (
      !entryConfirmed(this.o.strategy, {
        pair: d.pair,
        nowMs: now,
        df: d.frame,
        orderType: this.s.orderTypes.entry,
        amount,
        rate,
        entryTag: tag,
      })
    )
      return false
    const trade = new SimTrade(
      {
        id: this.nextId++,
        pair: d.pair,
        openDateMs: now,
        openRate: rate,
        amount,
        feeOpen: this.o.fee,
        feeClose: this.o.fee,
        enterTag: tag,
        pricePrecision: d.market.pricePrecision,
        amountPrecision: d.market.amountPrecision,
        precisionMode: mode,
      },
      p,
    )
    trade.adjustStopLoss(rate, this.s.stoploss, true)
    const order = trade.addOrder('buy', amount, rate, now, tag)
    const filled = customPrice === undefined || limitOrderFills(rate, low, high)
    if (filled) order.fill(now)
    else {
      trade.openEntry = order
      this.resting++
    }
    this.openTrades.push(trade)
    this.openByPair[p].push(trade)
    if (filled) this.orderFilled(trade, order, d, now)
    return true
  }

  /**
   * freqtrade's `_get_adjust_trade_entry_for_candle`, before the exit checks of a trade without resting orders: the
   * strategy's `adjustTradePosition` at the candle's open (`positionChange`). An addition is an entry order of the
   * validated stake at the open, filled at once (not confirmed, as freqtrade does not ask for additions); a partial
   * exit sells its amount at the open with reason `partial_exit`. True when the trade closed (all of it was sold).
   */
  private adjustPosition(t: SimTrade, d: PairInput, now: number, open: number, high: number, low: number): boolean {
    const limits = d.market.limits
    const w = this.wallet()
    const available = availableStake(w, this.o.tradableBalanceRatio, this.o.availableCapital, this.closedProfit)
    const maxStake = maxPairStake(limits, open)
    const profit = t.profitRatio(open)
    // freqtrade's backtest offers the minimum for a 10 % stop, and holds a partial exit to it too
    const minStake = minPairStake(limits, open, -0.1)
    const change = positionChange(
      this.o.strategy as Strategy,
      {
        pair: d.pair,
        nowMs: now,
        df: d.frame,
        trade: t,
        currentRate: open,
        currentProfit: profit,
        minStake,
        maxStake: Math.min(maxStake, available),
        currentEntryRate: open,
        currentExitRate: open,
        currentEntryProfit: profit,
        currentExitProfit: profit,
      },
      {
        entries: t.nrOfSuccessfulEntries,
        amount: t.amount,
        stakeAmount: t.stakeAmount,
        amountPrecision: t.amountPrecision,
        precisionMode: t.precisionMode,
        minExitStake: minStake,
      },
    )
    if (change === undefined) return false
    if (change.kind === 'decrease') {
      const reason = change.tag ?? 'partial_exit'
      // a limit exit is priced by the strategy's custom exit price, as freqtrade does for partial exits too
      const rate = this.customExitRate(t, d, now, open, low, reason)
      const order = t.addOrder('sell', change.amount, rate, now, reason)
      if (rate > high) {
        t.openExit = order
        this.resting++
        return false
      }
      order.fill(now)
      return this.exitFilled(t, order, d, now)
    }
    // a limit addition is priced by the strategy's custom entry price, capped at the candle's high, as a new entry
    const rate = this.customEntryRate(d, now, open, high, change.tag, t)
    const minEntryStake = minPairStake(limits, rate, this.s.stoploss)
    const stake = validateStake(change.stake, minEntryStake, maxStake, available, t.stakeAmount)
    if (!stake || (minEntryStake && stake < minEntryStake)) return false
    const amount = entryAmount(stake, rate, d.market.amountPrecision, t.precisionMode)
    if (!amount) return false
    const order = t.addOrder('buy', amount, rate, now, change.tag)
    if (!limitOrderFills(rate, low, high)) {
      // below the candle: it rests (the trade's exits wait, as for any open order) until reached or timed out
      t.openEntry = order
      this.resting++
      return false
    }
    order.fill(now)
    t.recalcFromOrders()
    this.orderFilled(t, order, d, now)
    return false
  }

  /**
   * An exit order of `t` that filled: all of the position closes the trade (its tag the reason), less is a partial exit
   * whose profit goes to the wallet at once. Then the strategy is told. True when the trade closed.
   */
  private exitFilled(t: SimTrade, order: Order, d: PairInput, now: number): boolean {
    if (order.amount >= t.amount) this.close(t, now, order.price, order.tag ?? 'exit_signal', false)
    else {
      const before = t.realizedProfit
      t.recalcFromOrders()
      this.closedProfit += t.realizedProfit - before
    }
    this.orderFilled(t, order, d, now)
    return !t.isOpen
  }

  /**
   * freqtrade's custom entry price for a limit entry at the candle's open (a new trade, or an addition to `trade`):
   * rounded to the tick and capped at the candle's high; the open (at most the high) without the callback.
   */
  private customEntryRate(
    d: PairInput,
    now: number,
    open: number,
    high: number,
    tag: string | undefined,
    trade: SimTrade | undefined,
  ): number {
    const customPrice = this.customEntryPrice
    if (customPrice === undefined) return Math.min(open, high)
    const asked = usableCustomPrice(
      customPrice({ pair: d.pair, nowMs: now, df: d.frame, trade, proposedRate: open, entryTag: tag, side: 'long' }),
    )
    if (asked === undefined || asked === open) return Math.min(open, high)
    return Math.min(priceToPrecision(asked, d.market.pricePrecision, d.market.precisionMode ?? TICK_SIZE), high)
  }

  /**
   * freqtrade's custom exit price for a limit exit proposed at `proposed` (exit signals, custom and partial exits):
   * rounded to the tick and raised to the candle's low; `proposed` without the callback.
   */
  private customExitRate(t: SimTrade, d: PairInput, now: number, proposed: number, low: number, reason: string) {
    const customPrice = this.customExitPrice
    if (customPrice === undefined) return proposed
    let rate = proposed
    const asked = usableCustomPrice(
      customPrice({
        pair: d.pair,
        nowMs: now,
        df: d.frame,
        trade: t,
        proposedRate: proposed,
        currentProfit: t.profitRatio(proposed),
        exitTag: reason,
      }),
    )
    if (asked !== undefined && asked !== proposed) rate = priceToPrecision(asked, t.pricePrecision, t.precisionMode)
    return Math.max(rate, low)
  }

  /** freqtrade's `_check_trade_exit` + `should_exit`; true when the trade closed. */
  private checkExit(
    t: SimTrade,
    d: PairInput,
    now: number,
    open: number,
    high: number,
    low: number,
    close: number,
    sig: number,
  ): boolean {
    const s = this.s
    const enter = d.enter[sig] === 1
    this.exitChecks++
    t.adjustMinMax(high, low)
    const hit = checkStoploss(t, s, low, high, this.customStop(t, d, now, false))
    const dur = Math.floor((now - t.openDateMs) / 60_000)
    let roiIdx = -1
    if (!(enter && s.ignoreRoiIfEntrySignal)) {
      const k = roiStepIndex(this.roi, dur)
      if (k >= 0 && t.profitAbove(high, this.roi.ratios[k])) roiIdx = k
    }
    let signal = 0
    let customReason: string | undefined
    if (s.useExitSignal) {
      if (d.exit[sig] === 1 && !enter) signal = EXIT_SIGNAL
      else if (this.customExit) {
        const r = this.customExit({
          pair: d.pair,
          nowMs: now,
          df: d.frame,
          trade: t,
          currentRate: open,
          currentProfit: t.profitRatio(open),
        })
        if (r) {
          signal = CUSTOM_EXIT
          customReason = typeof r === 'string' ? r.slice(0, 255) : undefined
        }
      }
      if (signal === EXIT_SIGNAL && s.exitProfitOnly && !t.profitAbove(open, this.o.exitProfitOffset ?? 0)) signal = 0
    }
    // freqtrade's order: exit signal / custom exit, stop-loss, ROI, trailing stop
    if (signal !== 0) {
      const reason =
        signal === EXIT_SIGNAL
          ? (tagOf(d.exitTag, d.exitTagNames, sig) ?? 'exit_signal')
          : (customReason ?? 'custom_exit')
      if (this.customExitPrice === undefined) {
        if (this.exit(t, now, open, reason)) return true
      } else {
        // freqtrade's custom exit price: for exit signals and custom exits (not stop-loss or ROI)
        const rate = this.customExitRate(t, d, now, open, low, reason)
        // an order placed above the candle rests: no other exit is looked at while it waits
        if (this.exit(t, now, rate, reason, false, rate > high)) return !t.isOpen
      }
    }
    if (hit === 'stop_loss') {
      const rate = stoplossExitPrice(t.stopLoss as number, open, high, low, hit, dur, s)
      if (this.exit(t, now, rate, 'stop_loss')) return true
    }
    if (roiIdx >= 0) {
      const rate = roiExitPrice(
        { open, high, low, close },
        t.openRate,
        t.feeOpen,
        t.feeClose,
        this.roi.minutes[roiIdx],
        this.roi.ratios[roiIdx],
        dur,
        this.tfMinutes,
        this.roiRules,
      )
      if (rate !== undefined && this.exit(t, now, rate, 'roi')) return true
    }
    if (hit === 'trailing_stop_loss') {
      const rate = stoplossExitPrice(t.stopLoss as number, open, high, low, hit, dur, s)
      if (this.exit(t, now, rate, 'trailing_stop_loss')) return true
    }
    return false
  }

  /**
   * Places the exit order and fills it, or with `rests` leaves it resting in `t.openExit`; false when
   * `confirmTradeExit` refuses.
   */
  private exit(t: SimTrade, now: number, rate: number, reason: string, force = false, rests = false): boolean {
    const amount = amountToPrecision(t.amount, t.amountPrecision, t.precisionMode)
    if (
      !force &&
      !exitConfirmed(this.o.strategy, {
        pair: t.pair,
        nowMs: now,
        trade: t,
        orderType: this.s.orderTypes.exit,
        amount,
        rate,
        exitReason: reason,
      })
    ) {
      return false
    }
    const order = t.addOrder('sell', amount, rate, now, reason)
    if (rests) {
      t.openExit = order
      this.resting++
      return true
    }
    order.fill(now)
    this.close(t, now, rate, reason, force)
    this.orderFilled(t, order, this.pairs[t.pairIndex], now)
    return true
  }

  /**
   * After an order filled: the strategy's `orderFilled` (for an exit, once its trade closed), then, while the trade
   * stays open, the custom stop of a strategy asking to be told of fills (`adjustStopAfterFill`, at the fill price).
   */
  private orderFilled(t: SimTrade, order: Order, d: PairInput, now: number): void {
    const strategy = this.o.strategy
    if (strategy === undefined) return
    if (strategy.orderFilled !== undefined) {
      notifyOrderFilled(strategy, { pair: t.pair, nowMs: now, df: d.frame, trade: t, order: order.view() })
    }
    if (!strategy.customStoplossAfterFill || !t.isOpen) return
    const custom = this.customStop(t, d, now, true)
    if (custom !== undefined) adjustStopAfterFill(t, this.s, order.price, custom)
  }

  /** The strategy's `customStoploss` for trade `t` at `now`, as the stop-loss rules ask it: (rate, profit) → ratio. */
  private customStop(
    t: SimTrade,
    d: PairInput,
    now: number,
    afterFill: boolean,
  ): ((rate: number, profit: number) => number | undefined) | undefined {
    const custom = this.customStoploss
    if (custom === undefined) return undefined
    return (rate, profit) =>
      custom({ pair: d.pair, nowMs: now, df: d.frame, trade: t, currentRate: rate, currentProfit: profit, afterFill })
  }

  /** Closes a trade whose exit order filled at `rate`, and asks the protections for new locks. */
  private close(t: SimTrade, now: number, rate: number, reason: string, force: boolean): void {
    // partial exits already paid their profit into the wallet
    const realized = t.realizedProfit
    t.close(rate, now, reason)
    this.closedProfit += (t.closeProfitAbs as number) - realized
    this.openTrades.splice(this.openTrades.indexOf(t), 1)
    const list = this.openByPair[t.pairIndex]
    list.splice(list.indexOf(t), 1)
    this.closed.push(t)
    if (!force && this.o.protections) {
      for (const l of this.o.protections.afterTradeClosed(t, now, this.locks)) this.locks.push(l)
    }
  }

  /**
   * Trades open at the end: closed at the open of the pair's last candle, reason `force_exit`. A trade whose entry
   * order never filled is left out (freqtrade's `handle_left_open`); a resting exit order, or a resting addition to a
   * held position, gives way to the force exit.
   */
  private closeLeftOpen(): void {
    for (let p = 0; p < this.pairs.length; p++) {
      const d = this.pairs[p]
      const last = d.date.length - 1
      for (const t of [...this.openByPair[p]]) {
        const entry = t.openEntry
        if (entry !== undefined) {
          if (t.nrOfSuccessfulEntries === 0) continue
          // an addition still resting: dropped, and the position held is closed like any other
          t.orders.splice(t.orders.indexOf(entry), 1)
          t.openEntry = undefined
        }
        const exit = t.openExit
        if (exit !== undefined) {
          t.orders.splice(t.orders.indexOf(exit), 1)
          t.openExit = undefined
        }
        this.exit(t, d.date[last], d.open[last], 'force_exit', true)
      }
    }
  }
}

/** Twice the room, same contents. */
function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}

/**
 * The first row at or after `i` dated `now` or later. Rows are one timeframe apart where no candle is missing, so
 * the row is usually found by arithmetic; missing candles only make dates run ahead of rows, which a binary search
 * below the guess settles.
 */
export function seekRow(date: Float64Array, i: number, now: number, timeframeMs: number): number {
  const n = date.length
  if (i >= n || date[i] >= now) return i
  let hi = Math.min(n - 1, i + Math.ceil((now - date[i]) / timeframeMs))
  // no candle missing since row i: the guess is the row (one look instead of a search through cold memory)
  if (date[hi] >= now && date[hi - 1] < now) return hi
  if (date[hi] < now) {
    // rows closer than a timeframe (not produced by the loader): walk on
    while (hi < n && date[hi] < now) hi++
    return hi
  }
  let lo = i
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1
    if (date[mid] < now) lo = mid
    else hi = mid
  }
  return hi
}

function tagOf(codes: TagCodes | undefined, names: readonly string[] | undefined, i: number): string | undefined {
  if (codes === undefined || names === undefined || i < 0) return undefined
  const c = codes[i]
  return c < 0 ? undefined : names[c]
}
