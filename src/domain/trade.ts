import type { OrderView, TradeView } from '../strategy/callbacks.ts'
import { Order } from './order.ts'
import {
  type Dec,
  decAdd,
  decMul,
  fromDec,
  preciseMul,
  preciseMulAdd,
  priceToPrecision,
  round8,
  TICK_SIZE,
  toDec,
} from './precision.ts'

export interface TradeInit {
  id: number
  pair: string
  openDateMs: number
  /** Entry price (the entry order's price). */
  openRate: number
  /** Base amount, already cut to the market's step. */
  amount: number
  feeOpen: number
  feeClose: number
  enterTag?: string
  /** Market precision, ccxt style (tick size for TICK_SIZE markets); undefined = no rounding. */
  pricePrecision?: number
  amountPrecision?: number
  precisionMode?: number
}

/**
 * A spot long trade with freqtrade's money math (§6.4 of the API contract): open value, close value, profit, and the
 * stop-loss that only walks up. Values that freqtrade computes with its `FtPrecise` decimals are computed here exactly
 * on the same decimal texts, so stored figures agree to the last digit.
 */
export class Trade implements TradeView {
  readonly id: number
  readonly pair: string
  readonly openDateMs: number
  readonly feeOpen: number
  readonly feeClose: number
  readonly enterTag: string | undefined
  readonly pricePrecision: number | undefined
  readonly amountPrecision: number | undefined
  readonly precisionMode: number
  openRate: number
  amount: number
  /** open_rate × amount (decimal product), the quote tied up. */
  stakeAmount: number
  /** amount × open_rate × (1 + fee_open): the cost basis incl. entry fee. */
  openTradeValue: number
  isOpen = true
  closeRate: number | undefined = undefined
  closeDateMs: number | undefined = undefined
  exitReason: string | undefined = undefined
  /** Realised profit ratio / absolute profit once closed. */
  closeProfit: number | undefined = undefined
  closeProfitAbs: number | undefined = undefined
  stopLoss: number | undefined = undefined
  /** Negative ratio of the current stop (−0.10). */
  stopLossPct: number | undefined = undefined
  initialStopLoss: number | undefined = undefined
  initialStopLossPct: number | undefined = undefined
  /** True once the stop moved up from its initial place. */
  isStopLossTrailing = false
  maxRate: number
  minRate: number
  /** Entry stake over all filled entries (more than `stakeAmount` once a position adjustment added to it). */
  maxStakeAmount: number
  /** Profit realised by partial exits while the trade is open (0 without them). */
  realizedProfit = 0
  readonly orders: Order[] = []
  /** `toDec(feeClose)`, asked for by every close value (the fee is fixed at construction). */
  readonly #feeCloseDec: Dec | undefined

  constructor(init: TradeInit) {
    this.id = init.id
    this.pair = init.pair
    this.openDateMs = init.openDateMs
    this.feeOpen = init.feeOpen
    this.feeClose = init.feeClose
    this.#feeCloseDec = toDec(init.feeClose)
    this.enterTag = init.enterTag
    this.pricePrecision = init.pricePrecision
    this.amountPrecision = init.amountPrecision
    this.precisionMode = init.precisionMode ?? TICK_SIZE
    this.openRate = init.openRate
    this.amount = init.amount
    this.stakeAmount = preciseMul(init.amount, init.openRate)
    this.maxStakeAmount = this.stakeAmount
    this.openTradeValue = openValue(init.amount, init.openRate, init.feeOpen)
    this.maxRate = init.openRate
    this.minRate = init.openRate
  }

  get nrOfSuccessfulEntries(): number {
    return this.filledCount('buy')
  }

  get nrOfSuccessfulExits(): number {
    return this.filledCount('sell')
  }

  private filledCount(side: 'buy' | 'sell'): number {
    let n = 0
    for (let i = 0; i < this.orders.length; i++) if (this.orders[i].side === side && this.orders[i].filled > 0) n++
    return n
  }

  filledOrders(side?: 'buy' | 'sell'): OrderView[] {
    const out: OrderView[] = []
    for (const o of this.orders) if (o.filled > 0 && (side === undefined || o.side === side)) out.push(o.view())
    return out
  }

  /**
   * After an order of a position adjustment filled (freqtrade's `recalc_trade_from_orders`): amount, average open
   * rate, stake and open value from the filled orders (`replayFills`), the profit partial exits realised, and the stop
   * raised to the new open rate's distance if that is higher (it never moves down).
   */
  recalcFromOrders(): void {
    const p = replayFills(this.orders, this.feeOpen, this.feeClose)
    if (p.amount > 0) {
      this.openRate = p.openRate
      this.amount = p.amount
    }
    this.stakeAmount = preciseMul(this.amount, this.openRate)
    this.openTradeValue = openValue(this.amount, this.openRate, this.feeOpen)
    this.maxStakeAmount = p.maxStake
    this.realizedProfit = round8(p.realized)
    if (this.stopLossPct !== undefined) this.adjustStopLoss(this.openRate, this.stopLossPct)
  }

  /**
   * Puts the entry at `rate` for `amount` before anything filled (an unfilled entry order replaced by one at another
   * price): the values derived from them as at construction, and the stop cleared, to be set again below the new rate.
   */
  resetEntry(rate: number, amount: number): void {
    this.openRate = rate
    this.amount = amount
    this.stakeAmount = preciseMul(amount, rate)
    this.openTradeValue = openValue(amount, rate, this.feeOpen)
    this.maxRate = rate
    this.minRate = rate
    this.stopLoss = undefined
    this.stopLossPct = undefined
    this.initialStopLoss = undefined
    this.initialStopLossPct = undefined
    this.isStopLossTrailing = false
  }

  /** Close value at `rate` after the exit fee: amount × rate × (1 − fee_close). */
  closeValue(rate: number, amount = this.amount): number {
    const ctd = decMul(toDec(amount), toDec(rate))
    const fast = decAdd(ctd, decMul(ctd, this.#feeCloseDec), -1)
    const f = fast && fromDec(fast)
    return f ?? preciseMulAdd(amount, rate, this.feeClose, -1)
  }

  /** Absolute profit if closed at `rate`, rounded to 8 decimals. */
  profitAbs(rate: number): number {
    return round8(this.closeValue(rate) - this.openTradeValue)
  }

  /** Profit ratio if closed at `rate`: CV / OV − 1 (not rounded, as freqtrade's `calc_profit_ratio`). */
  profitRatio(rate: number): number {
    if (this.openTradeValue === 0) return 0
    return this.closeValue(rate) / this.openTradeValue - 1
  }

  /**
   * `profitRatio(rate) > threshold`, decided in floats and re-checked on decimals only when the two are within
   * rounding distance: the hot loop asks this for every candle of every open trade.
   */
  profitAbove(rate: number, threshold: number): boolean {
    const approx = (this.amount * rate * (1 - this.feeClose)) / this.openTradeValue - 1
    const d = approx - threshold
    if (d > 1e-12) return true
    if (d < -1e-12) return false
    return this.profitRatio(rate) > threshold
  }

  /** `profitRatio(rate) < threshold`, same method. */
  profitBelow(rate: number, threshold: number): boolean {
    const approx = (this.amount * rate * (1 - this.feeClose)) / this.openTradeValue - 1
    const d = approx - threshold
    if (d < -1e-12) return true
    if (d > 1e-12) return false
    return this.profitRatio(rate) < threshold
  }

  /** Widens the seen price range with a candle's high and low. */
  adjustMinMax(high: number, low: number): void {
    if (high > this.maxRate) this.maxRate = high
    if (low < this.minRate) this.minRate = low
  }

  /**
   * freqtrade's `adjust_stop_loss`: a stop `|stoploss|` below `price`, rounded up to the tick. The first call sets the
   * initial stop; later calls only ever raise it (`initial` calls do nothing once a stop exists), except with
   * `allowRefresh` (a custom stop asked right after a fill), which puts it where asked, lower too.
   */
  adjustStopLoss(price: number, stoploss: number, initial = false, allowRefresh = false): void {
    if (Number.isNaN(stoploss)) return
    if (initial && this.stopLoss !== undefined && this.stopLoss !== 0) return
    const newLoss = price * (1 - Math.abs(stoploss))
    if (this.initialStopLossPct === undefined) {
      const norm = priceToPrecision(newLoss, this.pricePrecision, this.precisionMode, 'up')
      this.stopLoss = norm
      this.initialStopLoss = norm
      this.stopLossPct = -Math.abs(stoploss)
      this.initialStopLossPct = -Math.abs(stoploss)
      return
    }
    // rounding up cannot lift a price at or below a stop that sits on the tick grid above it
    if (!allowRefresh && this.stopLoss !== undefined && newLoss <= this.stopLoss) return
    const norm = priceToPrecision(newLoss, this.pricePrecision, this.precisionMode, 'up')
    if (allowRefresh || this.stopLoss === undefined || norm > this.stopLoss) {
      if (!allowRefresh) this.isStopLossTrailing = true
      this.stopLoss = norm
      this.stopLossPct = -Math.abs(stoploss)
    }
  }

  /**
   * Closes the trade at `rate` (freqtrade's `close` + `recalc_trade_from_orders`): profit_abs is the rounded absolute
   * profit, close_profit that over the open value (not rounded).
   */
  close(rate: number, dateMs: number, reason: string): void {
    this.closeRate = rate
    this.closeDateMs = dateMs
    this.exitReason = reason
    this.isOpen = false
    // (a trade of one entry and one exit has two orders: no count needed)
    if (this.realizedProfit !== 0 || (this.orders.length > 2 && this.nrOfSuccessfulExits > 1)) {
      // partial exits before this one: the profit of every exit, over the value of every entry
      const closed = profitOfExits(replayFills(this.orders, this.feeOpen, this.feeClose))
      this.closeProfitAbs = closed.abs
      this.closeProfit = closed.ratio
      this.realizedProfit = closed.abs
      return
    }
    this.closeProfitAbs = this.profitAbs(rate)
    this.closeProfit = this.openTradeValue > 0 ? this.closeProfitAbs / this.openTradeValue : 0
  }

  /** Adds an order and returns it. */
  addOrder(side: 'buy' | 'sell', amount: number, price: number, ms: number, tag: string | undefined): Order {
    const order = new Order(this.orders.length + 1, side, amount, price, ms, tag)
    this.orders.push(order)
    return order
  }

  /** Whole minutes between open and close (freqtrade's `trade_duration`). */
  get durationMinutes(): number {
    return this.closeDateMs === undefined ? 0 : Math.floor((this.closeDateMs - this.openDateMs) / 60_000)
  }
}

/** One filled order as the position math sees it: entries with the amount they added (net of fees paid in base). */
export interface Fill {
  readonly side: 'buy' | 'sell'
  readonly filled: number
  readonly price: number
}

/** A trade's position after its fills (`replayFills`). */
export interface Position {
  /** Base held after every fill, and before the last exit (what a fully exited trade reports as its amount). */
  amount: number
  lastHeld: number
  /** Average entry price of what is held. */
  openRate: number
  /** Open value (incl. fee) and stake of all entries together. */
  entryValue: number
  maxStake: number
  /** Profit of the exits, each rounded to 8 decimals, against the average entry at its time (not rounded). */
  realized: number
}

/**
 * freqtrade's `recalc_trade_from_orders` for a spot long, shared by the backtest's trades and the live engine's:
 * entries add their amount at their price to the average; each exit realises the profit of its amount against the
 * average entry at that moment and leaves the average as it was.
 */
export function replayFills(fills: Iterable<Fill>, feeOpen: number, feeClose: number): Position {
  const p: Position = { amount: 0, lastHeld: 0, openRate: 0, entryValue: 0, maxStake: 0, realized: 0 }
  for (const f of fills) {
    const filled = f.filled
    if (!(filled > 0)) continue
    const price = f.price
    if (f.side === 'buy') {
      // the first fill's price as it is (the weighted form need not give it back to the last bit)
      p.openRate = p.amount > 0 ? (p.amount * p.openRate + filled * price) / (p.amount + filled) : price
      p.amount = round8(p.amount + filled)
      p.entryValue += openValue(filled, price, feeOpen)
      p.maxStake += preciseMul(filled, price)
    } else {
      p.realized += round8(closeValueOf(filled, price, feeClose) - openValue(filled, p.openRate, feeOpen))
      p.lastHeld = p.amount
      p.amount = round8(Math.max(0, p.amount - filled))
    }
  }
  return p
}

/**
 * The profit of a trade closed after several exits (contract §6.4): every exit's realised profit, rounded to 8
 * decimals, and that over the value of every entry incl. fees.
 */
export function profitOfExits(p: Pick<Position, 'realized' | 'entryValue'>): { abs: number; ratio: number } {
  const abs = round8(p.realized)
  return { abs, ratio: p.entryValue > 0 ? abs / p.entryValue : 0 }
}

/** Close value: amount × rate × (1 − fee) on decimals. */
export function closeValueOf(amount: number, rate: number, fee: number): number {
  const ctd = decMul(toDec(amount), toDec(rate))
  const fast = decAdd(ctd, decMul(ctd, toDec(fee)), -1)
  const f = fast && fromDec(fast)
  return f ?? preciseMulAdd(amount, rate, fee, -1)
}

/** Open value: amount × rate × (1 + fee) on decimals. */
export function openValue(amount: number, rate: number, fee: number): number {
  const otd = decMul(toDec(amount), toDec(rate))
  const fast = decAdd(otd, decMul(otd, toDec(fee)))
  const f = fast && fromDec(fast)
  return f ?? preciseMulAdd(amount, rate, fee, 1)
}
