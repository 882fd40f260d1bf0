import type { Frame } from '../frame/frame.ts'

/**
 * What a strategy callback may read about a trade. The live engine's and the backtester's trade objects satisfy it;
 * strategies never change a trade through it.
 */
export interface TradeView {
  readonly id: number
  readonly pair: string
  readonly isOpen: boolean
  /** Average entry price. */
  readonly openRate: number
  /** Open time, ms UTC. */
  readonly openDateMs: number
  readonly closeRate?: number
  readonly closeDateMs?: number
  /** Base-currency amount held. */
  readonly amount: number
  /** Quote-currency amount put in. */
  readonly stakeAmount: number
  readonly enterTag?: string
  readonly exitReason?: string
  /** Current absolute stop price, if one is set. */
  readonly stopLoss?: number
  /** Highest and lowest price seen since the trade opened. */
  readonly maxRate?: number
  readonly minRate?: number
  /** Entry orders that filled (1 until a position adjustment added to the trade). */
  readonly nrOfSuccessfulEntries: number
  /** Exit orders that filled (partial exits included). */
  readonly nrOfSuccessfulExits: number
  /** Profit ratio (after fees) if the trade were closed at `rate`, e.g. 0.02 for +2%. */
  profitRatio(rate: number): number
  /**
   * The trade's orders that filled (anything), oldest first; only entries (`buy`) or exits (`sell`) with a side
   * (freqtrade's `select_filled_orders`). An order's stake is `filled × average`.
   */
  filledOrders(side?: 'buy' | 'sell'): OrderView[]
}

/** Fields every per-pair callback gets. `df` is the pair's analyzed frame when the caller has it at hand. */
interface PairContext {
  pair: string
  /** The current time (ms UTC): the clock live, the candle's time in a backtest. */
  nowMs: number
  df?: Frame
}

/** `customStoploss`: return a new stop as a negative ratio below `currentRate` (freqtrade's meaning). */
export interface CustomStoplossContext extends PairContext {
  trade: TradeView
  currentRate: number
  currentProfit: number
  /**
   * True on the call right after an order filled and left the trade open (entry, position adjustment, partial exit),
   * made only for a strategy with `customStoplossAfterFill`; the stop is then put where asked, lower too.
   */
  afterFill: boolean
}

/** `customExit`: return a non-empty string (the exit reason) or true to exit now; undefined/false to hold. */
export interface CustomExitContext extends PairContext {
  trade: TradeView
  currentRate: number
  currentProfit: number
}

/** `customStakeAmount`: return the stake (quote currency); values outside [minStake, maxStake] are clamped by the caller. */
export interface CustomStakeAmountContext extends PairContext {
  currentRate: number
  proposedStake: number
  minStake: number | undefined
  maxStake: number
  entryTag: string | undefined
  side: 'long'
}

/** `confirmTradeEntry`: return false to skip this entry. */
export interface ConfirmTradeEntryContext extends PairContext {
  orderType: 'limit' | 'market'
  amount: number
  rate: number
  timeInForce: string
  entryTag: string | undefined
  side: 'long'
}

/** `confirmTradeExit`: return false to keep the trade open (not consulted for force exits by freqtrade's rules). */
export interface ConfirmTradeExitContext extends PairContext {
  trade: TradeView
  orderType: 'limit' | 'market'
  amount: number
  rate: number
  timeInForce: string
  exitReason: string
}

/**
 * `customEntryPrice`: the limit price for a new entry order; undefined keeps `proposedRate` (live: the entry pricing's
 * rate; backtest: the open of the candle after the signal). Live, the price is kept within
 * `custom_price_max_distance_ratio` (default 2 %) of `proposedRate`; in a backtest it is capped at the candle's high
 * and an order below the candle's low stays open until a candle reaches it or `unfilledtimeout.entry` cancels it.
 */
export interface CustomEntryPriceContext extends PairContext {
  /** The trade being added to (a position adjustment); undefined for a new trade. */
  trade?: TradeView
  proposedRate: number
  entryTag: string | undefined
  side: 'long'
}

/**
 * `customExitPrice`: the limit price for an exit order; undefined keeps `proposedRate`. Live it is asked for every
 * exit and kept within `custom_price_max_distance_ratio` of `proposedRate`; in a backtest only for exit signals and
 * custom exits (stop-loss and ROI keep their own prices), raised to the candle's low, and an order above the candle's
 * high stays open until a candle reaches it or `unfilledtimeout.exit` cancels it.
 */
export interface CustomExitPriceContext extends PairContext {
  trade: TradeView
  proposedRate: number
  /** Profit ratio at `proposedRate`. */
  currentProfit: number
  /** The exit reason the order is placed for (`exit_signal`, an exit tag, a custom exit's reason...). */
  exitTag: string | undefined
}

/**
 * What a strategy callback may read about one order of a trade: the backtester's orders and the live engine's order
 * rows both map to it.
 */
export interface OrderView {
  /** `buy` for an entry order, `sell` for an exit order (spot, long only). */
  readonly side: 'buy' | 'sell'
  /** Limit price. */
  readonly price: number
  /** Base-currency amount ordered. */
  readonly amount: number
  readonly filled: number
  readonly remaining: number
  /** Average fill price, once something filled (where known). */
  readonly average?: number
  /** When the order was placed, ms UTC (freqtrade's `order_date`). */
  readonly createdMs: number
  /** `open` while the order rests; `closed`, `canceled` (or an exchange's own word) after. */
  readonly status: string
}

/**
 * `checkEntryTimeout` / `checkExitTimeout`: asked for an open entry / exit order that `unfilledtimeout` has not timed
 * out yet (live on every iteration, in a backtest on every candle); true cancels the order as a timeout would.
 */
export interface OrderTimeoutContext extends PairContext {
  trade: TradeView
  order: OrderView
}

/**
 * `adjustEntryPrice` (backtest only): asked on every candle after the one an entry order was placed on while it rests
 * unfilled. Return `currentOrderRate` to keep the order, another price to replace it by an order at that price with
 * the same stake, or undefined / null / 0 to cancel it (a trade with nothing filled is then dropped).
 */
export interface AdjustEntryPriceContext extends PairContext {
  trade: TradeView
  order: OrderView
  /** The open of the current candle. */
  proposedRate: number
  /** The resting order's price. */
  currentOrderRate: number
  entryTag: string | undefined
  side: 'long'
}

/**
 * `orderFilled`: an order of the trade finished with a fill (entry, exit or stop), live and in a backtest; `nowMs` is
 * when that was seen (the candle's time in a backtest). After an exit that closed the trade, `trade.isOpen` is false.
 */
export interface OrderFilledContext extends PairContext {
  trade: TradeView
  order: OrderView
}

/**
 * `adjustTradePosition` (with `positionAdjustmentEnable`): asked for every open trade without open orders, live on
 * every iteration and in a backtest on every candle (at its open), before the exit checks. Return a positive stake
 * (quote currency) to add to the position, a negative one to sell that much of it (a partial exit, reason
 * `partial_exit`), or undefined / null / 0 to leave it; `[stake, tag]` also names the order. Added stakes are held
 * within `minStake` / `maxStake` like any stake, and at most `maxEntryPositionAdjustment` additions are made (−1:
 * no limit).
 */
export interface AdjustTradePositionContext extends PairContext {
  trade: TradeView
  /** The entry rate (live: the entry pricing's; backtest: the candle's open) and the profit ratio there. */
  currentRate: number
  currentProfit: number
  /** Smallest and largest stake an addition may have (the largest also bound by the wallet). */
  minStake: number | undefined
  maxStake: number
  currentEntryRate: number
  currentExitRate: number
  currentEntryProfit: number
  currentExitProfit: number
}

/** What `adjustTradePosition` may return: a stake, a stake with an order tag, or nothing. */
export type PositionAdjustmentReply = number | readonly [number, string] | null | undefined

/** `botLoopStart`: called once at the start of every bot iteration (every candle in a backtest). */
export interface BotLoopStartContext {
  nowMs: number
}
