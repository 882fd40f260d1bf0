import type { NewOrderRow, OrderRow, TradeRow } from '../db/schema.ts'
import { preciseMul, round8 } from '../domain/precision.ts'
import { type Fill, openValue, profitOfExits, replayFills, Trade } from '../domain/trade.ts'
import type { OrderInfo } from '../exchange/broker.ts'
import type { OrderView, TradeView } from '../strategy/callbacks.ts'

/** Order rows whose exchange id is not known yet carry this prefix (written before the order is placed). */
export const PENDING_PREFIX = 'pending:'

export function isPendingOrder(o: Pick<OrderRow, 'orderId'>): boolean {
  return o.orderId.startsWith(PENDING_PREFIX)
}

/** The stop and the price range seen: kept by the domain trade, copied into the row by `syncFromCore`. */
export const STOP_FIELDS = [
  'stopLoss',
  'stopLossPct',
  'initialStopLoss',
  'initialStopLossPct',
  'isStopLossTrailing',
  'maxRate',
  'minRate',
] as const

/**
 * An open (or just closed) trade of the live engine: its database row, its orders, and a domain `Trade` that holds
 * the money math and the stop-loss. Partial fills, fees per order and partial exits are folded into the row by
 * `recalc()`, which replays the filled orders through the domain functions.
 */
export class LiveTrade implements TradeView {
  core: Trade

  constructor(
    public row: TradeRow,
    public orders: OrderRow[],
  ) {
    this.core = coreOf(row)
  }

  get id(): number {
    return this.row.id
  }
  get pair(): string {
    return this.row.pair
  }
  get isOpen(): boolean {
    return this.row.isOpen
  }
  get openRate(): number {
    return this.row.openRate
  }
  get openDateMs(): number {
    return this.row.openDate
  }
  get closeRate(): number | undefined {
    return this.row.closeRate ?? undefined
  }
  get closeDateMs(): number | undefined {
    return this.row.closeDate ?? undefined
  }
  get amount(): number {
    return this.row.amount
  }
  get stakeAmount(): number {
    return this.row.stakeAmount
  }
  get enterTag(): string | undefined {
    return this.row.enterTag ?? undefined
  }
  get exitReason(): string | undefined {
    return this.row.exitReason ?? undefined
  }
  get stopLoss(): number | undefined {
    return this.row.stopLoss || undefined
  }
  get maxRate(): number | undefined {
    return this.row.maxRate ?? undefined
  }
  get minRate(): number | undefined {
    return this.row.minRate ?? undefined
  }

  get nrOfSuccessfulEntries(): number {
    return this.orders.filter((o) => o.ftOrderSide === 'buy' && (o.filled ?? 0) > 0).length
  }
  get nrOfSuccessfulExits(): number {
    return this.orders.filter((o) => o.ftOrderSide !== 'buy' && (o.filled ?? 0) > 0).length
  }

  profitRatio(rate: number): number {
    return this.core.profitRatio(rate)
  }

  filledOrders(side?: 'buy' | 'sell'): OrderView[] {
    const out: OrderView[] = []
    for (const o of this.orders) {
      if (!((o.filled ?? 0) > 0)) continue
      const view = orderViewOf(o, o.orderDate ?? o.orderFilledDate ?? this.row.openDate)
      if (side === undefined || view.side === side) out.push(view)
    }
    return out
  }

  /** Open orders other than stop-loss orders (the ones that block new orders of the trade). */
  openOrders(): OrderRow[] {
    return this.orders.filter((o) => o.ftIsOpen && o.ftOrderSide !== 'stoploss')
  }

  /** Open stop-loss orders on the exchange (normally none or one), oldest first. */
  openStopOrders(): OrderRow[] {
    return this.orders.filter((o) => o.ftIsOpen && o.ftOrderSide === 'stoploss')
  }

  /** Whether any entry has filled (the trade holds a position). */
  hasFilledEntry(): boolean {
    return this.orders.some((o) => o.ftOrderSide === 'buy' && (o.filled ?? 0) > 0)
  }

  /** Copies the stop and price range the domain trade moved back into the row (the `STOP_FIELDS`). */
  syncFromCore(): void {
    const c = this.core
    this.row.stopLoss = c.stopLoss ?? 0
    this.row.stopLossPct = c.stopLossPct ?? null
    this.row.initialStopLoss = c.initialStopLoss ?? 0
    this.row.initialStopLossPct = c.initialStopLossPct ?? null
    this.row.isStopLossTrailing = c.isStopLossTrailing
    this.row.maxRate = c.maxRate
    this.row.minRate = c.minRate
  }

  /**
   * Recomputes amount, open rate, stake, open value, fees and realised profit from the filled orders (freqtrade's
   * `recalc_trade_from_orders`, spot long): entries add their filled amount net of base-currency fees at their
   * average price; each filled exit realises the profit of its amount against the average entry at that moment.
   * Returns the realised profit, the total entry value incl. fees (for closing the trade) and the base still held.
   */
  recalc(): { realized: number; entryValue: number; held: number } {
    let feeOpenCost: number | null = null
    let feeCloseCost: number | null = null
    const r = this.row
    const fills: Fill[] = []
    for (const o of this.orders) {
      const filled = o.filled ?? 0
      if (!(filled > 0)) continue
      const price = o.average ?? o.price ?? o.ftPrice
      if (o.ftOrderSide === 'buy') {
        fills.push({ side: 'buy', filled: round8(filled - (o.ftFeeBase ?? 0)), price })
        if (o.ftFeeBase) feeOpenCost = (feeOpenCost ?? 0) + preciseMul(o.ftFeeBase, price)
      } else {
        fills.push({ side: 'sell', filled, price })
        feeCloseCost = (feeCloseCost ?? 0) + preciseMul(preciseMul(filled, price), r.feeClose)
      }
    }
    const p = replayFills(fills, r.feeOpen, r.feeClose)
    if (p.amount > 0 || p.lastHeld > 0) {
      r.openRate = p.openRate
      r.amount = p.amount > 0 ? p.amount : p.lastHeld
    }
    r.stakeAmount = round8(preciseMul(r.amount, r.openRate))
    r.openTradeValue = round8(openValue(r.amount, r.openRate, r.feeOpen))
    if (p.maxStake > 0) r.maxStakeAmount = round8(p.maxStake)
    if (feeOpenCost !== null) r.feeOpenCost = round8(feeOpenCost)
    else if (p.maxStake > 0) r.feeOpenCost = round8(p.maxStake * r.feeOpen)
    if (feeCloseCost !== null) r.feeCloseCost = round8(feeCloseCost)
    r.realizedProfit = round8(p.realized)
    const prev = this.core
    this.core = coreOf(r)
    for (const k of STOP_FIELDS) {
      ;(this.core as unknown as Record<string, unknown>)[k] = prev[k]
    }
    return { realized: round8(p.realized), entryValue: p.entryValue, held: p.amount }
  }

  /**
   * Closes the trade once its position is fully exited: close rate of the final exit, close_profit_abs the sum of all
   * exit contributions, close_profit that over the total entry value incl. fees (§6.4). A trade with a single exit
   * goes through the domain `Trade.close`, which gives the same figures.
   */
  close(rate: number, dateMs: number, reason: string): void {
    const exits = this.orders.filter((o) => o.ftOrderSide !== 'buy' && (o.filled ?? 0) > 0)
    const { realized, entryValue } = this.recalc()
    const r = this.row
    if (exits.length <= 1) {
      this.core.close(rate, dateMs, reason)
      r.closeProfitAbs = this.core.closeProfitAbs ?? 0
      r.closeProfit = this.core.closeProfit ?? 0
    } else {
      const closed = profitOfExits({ realized, entryValue })
      r.closeProfitAbs = closed.abs
      r.closeProfit = closed.ratio
    }
    r.realizedProfit = r.closeProfitAbs
    r.closeRate = rate
    r.closeDate = dateMs
    r.exitReason = reason
    r.isOpen = false
    r.exitOrderStatus = 'closed'
  }
}

/** The domain trade of a row (stop-loss state included), for the rules. */
export function coreOf(r: TradeRow): Trade {
  const t = new Trade({
    id: r.id,
    pair: r.pair,
    openDateMs: r.openDate,
    openRate: r.openRate,
    amount: r.amount,
    feeOpen: r.feeOpen,
    feeClose: r.feeClose,
    enterTag: r.enterTag ?? undefined,
    pricePrecision: r.pricePrecision ?? undefined,
    amountPrecision: r.amountPrecision ?? undefined,
    precisionMode: r.precisionModePrice ?? r.precisionMode ?? undefined,
  })
  if (r.stopLoss) t.stopLoss = r.stopLoss
  if (r.stopLossPct !== null) t.stopLossPct = r.stopLossPct
  if (r.initialStopLoss) t.initialStopLoss = r.initialStopLoss
  if (r.initialStopLossPct !== null) t.initialStopLossPct = r.initialStopLossPct
  t.isStopLossTrailing = r.isStopLossTrailing
  t.maxRate = r.maxRate ?? r.openRate
  t.minRate = r.minRate ?? r.openRate
  return t
}

/**
 * Applies what the exchange reports about an order to its row: status, fills, average, cost, fee. Returns whether
 * the filled amount changed. A fee paid in the base currency is recorded as `ft_fee_base` (it reduces the amount
 * the trade holds). The fee rate is the exchange's when it says, else derived from the fee paid.
 */
export function applyOrderInfo(
  o: OrderRow | NewOrderRow,
  info: OrderInfo,
  base: string,
  nowMs: number,
): { changed: boolean; feeRate: number | undefined } {
  const before = o.filled ?? 0
  o.orderId = info.id
  o.status = info.status
  o.orderType = info.type
  o.side = info.side
  o.symbol = info.pair
  o.price = info.price || o.price || o.ftPrice
  if (info.stopPrice !== undefined) o.stopPrice = info.stopPrice
  o.amount = info.amount
  o.filled = info.filled
  o.remaining = info.remaining
  o.cost = info.cost
  o.average = info.average ?? (info.filled > 0 && info.cost > 0 ? info.cost / info.filled : (o.average ?? null))
  o.orderDate = o.orderDate ?? (info.timestamp || nowMs)
  o.orderUpdateDate = nowMs
  if (info.filled > before) o.orderFilledDate = info.lastTradeTimestamp ?? nowMs
  if (info.fee && info.fee.currency === base) o.ftFeeBase = info.fee.cost
  o.ftIsOpen = info.status === 'open'
  let feeRate = info.fee?.rate
  if (feeRate === undefined && info.fee && info.filled > 0) {
    const paidOn = info.fee.currency === base ? info.filled : info.cost
    if (paidOn > 0) feeRate = Number((info.fee.cost / paidOn).toPrecision(8))
  }
  return { changed: info.filled !== before, feeRate }
}

/** An order row as the strategy's order callbacks see it. */
export function orderViewOf(o: OrderRow, createdMs: number): OrderView {
  const amount = o.amount ?? o.ftAmount
  const filled = o.filled ?? 0
  return {
    side: o.ftOrderSide === 'buy' ? 'buy' : 'sell',
    price: o.price ?? o.ftPrice,
    amount,
    filled,
    remaining: o.remaining ?? amount - filled,
    createdMs,
    status: o.status ?? 'open',
    ...(filled > 0 && o.average !== null && o.average !== undefined ? { average: o.average } : {}),
  }
}
