import type { TradeView } from '../strategy/callbacks.ts'
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
    this.openTradeValue = openValue(init.amount, init.openRate, init.feeOpen)
    this.maxRate = init.openRate
    this.minRate = init.openRate
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
   * initial stop; later calls only ever raise it (`initial` calls do nothing once a stop exists).
   */
  adjustStopLoss(price: number, stoploss: number, initial = false): void {
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
    if (this.stopLoss !== undefined && newLoss <= this.stopLoss) return
    const norm = priceToPrecision(newLoss, this.pricePrecision, this.precisionMode, 'up')
    if (this.stopLoss === undefined || norm > this.stopLoss) {
      this.isStopLossTrailing = true
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

/** Open value: amount × rate × (1 + fee) on decimals. */
export function openValue(amount: number, rate: number, fee: number): number {
  const otd = decMul(toDec(amount), toDec(rate))
  const fast = decAdd(otd, decMul(otd, toDec(fee)))
  const f = fast && fromDec(fast)
  return f ?? preciseMulAdd(amount, rate, fee, 1)
}
