import type { TradeObject, TradeOrder } from '../api/schemas/trade.ts'
import type { OrderRow, TradeRow } from '../db/schema.ts'
import { round8, roundTo, Trade } from '../domain/index.ts'
import { displayDate } from '../util/dates.ts'

/** A trade row with its orders in creation order, as read from the database. */
export interface StoredTrade {
  trade: TradeRow
  orders: OrderRow[]
}

const FINISHED = new Set(['closed', 'canceled', 'cancelled', 'expired'])

const dateOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : displayDate(ms))
const orNull = <T>(v: T | null | undefined): T | null => (v === undefined ? null : v)
/** `round(ratio × 100, 2)`, null when the ratio is null or exactly 0 (the base view's rule). */
const pctOrNull = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined || ratio === 0 ? null : roundTo(ratio * 100, 2)

/** The side of the trade's entries: buy for a long, sell for a short. */
const entrySide = (trade: TradeRow) => (trade.isShort ? 'sell' : 'buy')

/** Entry orders of the trade that filled something, in creation order. */
export function filledEntries(s: StoredTrade): OrderRow[] {
  const side = entrySide(s.trade)
  return s.orders.filter((o) => o.ftOrderSide === side && (o.filled ?? 0) > 0)
}

/** Best known price of an order: average fill, else limit, else stop, else the price the bot asked for. */
function safePrice(o: OrderRow): number {
  return o.average || o.price || o.stopPrice || o.ftPrice
}

/** Orders shown with a trade (§6.2): open with a known status, or finished having filled something. */
function listedOrders(s: StoredTrade): OrderRow[] {
  return s.orders.filter((o) =>
    o.ftIsOpen ? o.status !== null : o.status !== null && FINISHED.has(o.status) && (o.filled ?? 0) > 0,
  )
}

export function orderView(o: OrderRow, trade: TradeRow): TradeOrder {
  return {
    pair: o.ftPair,
    order_id: o.orderId,
    status: o.status ?? '',
    order_type: o.orderType ?? '',
    ft_order_side: o.ftOrderSide,
    ft_is_entry: o.ftOrderSide === entrySide(trade),
    amount: o.amount ?? o.ftAmount,
    safe_price: safePrice(o),
    average: o.average ? round8(o.average) : 0,
    price: orNull(o.price),
    cost: o.cost ?? 0,
    filled: orNull(o.filled),
    remaining: orNull(o.remaining),
    is_open: o.ftIsOpen,
    order_date: dateOrNull(o.orderDate),
    order_timestamp: orNull(o.orderDate),
    order_filled_date: dateOrNull(o.orderFilledDate),
    order_filled_timestamp: orNull(o.orderFilledDate),
    ft_fee_base: orNull(o.ftFeeBase),
    ft_order_tag: orNull(o.ftOrderTag),
    funding_fee: orNull(o.fundingFee),
  }
}

/** Base and quote of a ccxt symbol (`ETH/USDT`, `ETH/USDT:USDT`). */
function currencies(pair: string): [string, string] {
  const [base = pair, rest = ''] = pair.split('/')
  return [base, rest.split(':')[0] ?? rest]
}

/** The trade object's base keys (§6.1.1): what `/trades` and `/forceenter` return. */
export function baseTradeView(s: StoredTrade): TradeObject {
  const t = s.trade
  const [base, quote] = currencies(t.pair)
  const entries = filledEntries(s)
  const fills = entries.map((o) => o.orderFilledDate).filter((ms): ms is number => ms !== null)
  const firstFill = fills.length ? Math.min(...fills) : null
  const maxStake = t.maxStakeAmount ?? entries.reduce((acc, o) => acc + (o.filled ?? 0) * safePrice(o), 0)
  const openStops = s.orders.filter((o) => o.ftOrderSide === 'stoploss' && o.ftIsOpen)
  const stopUpdate = openStops.length
    ? Math.max(...openStops.map((o) => o.orderDate ?? 0))
    : (t.stoplossLastUpdate ?? null)
  const durationMs = t.closeDate !== null && !t.isOpen ? t.closeDate - t.openDate : null
  return {
    trade_id: t.id,
    pair: t.pair,
    base_currency: t.baseCurrency ?? base,
    quote_currency: t.stakeCurrency ?? quote,
    exchange: t.exchange,
    is_open: t.isOpen,
    is_short: t.isShort,
    trading_mode: orNull(t.tradingMode),
    leverage: t.leverage,
    strategy: t.strategy ?? '',
    enter_tag: orNull(t.enterTag),
    timeframe: orNull(t.timeframe),
    amount: round8(t.amount),
    amount_requested: t.amountRequested === null ? null : round8(t.amountRequested),
    stake_amount: round8(t.stakeAmount),
    max_stake_amount: maxStake ? round8(maxStake) : null,
    open_trade_value: round8(t.openTradeValue ?? openTradeValueOf(t)),
    fee_open: t.feeOpen,
    fee_open_cost: orNull(t.feeOpenCost),
    fee_open_currency: orNull(t.feeOpenCurrency),
    fee_close: t.feeClose,
    fee_close_cost: orNull(t.feeCloseCost),
    fee_close_currency: orNull(t.feeCloseCurrency),
    open_date: displayDate(t.openDate),
    open_timestamp: t.openDate,
    open_fill_date: dateOrNull(firstFill),
    open_fill_timestamp: firstFill,
    open_rate: t.openRate,
    open_rate_requested: orNull(t.openRateRequested),
    close_date: dateOrNull(t.closeDate),
    close_timestamp: orNull(t.closeDate),
    close_rate: orNull(t.closeRate),
    close_rate_requested: orNull(t.closeRateRequested),
    close_profit: orNull(t.closeProfit),
    close_profit_pct: pctOrNull(t.closeProfit),
    close_profit_abs: orNull(t.closeProfitAbs),
    realized_profit: t.realizedProfit ?? 0,
    realized_profit_ratio: t.closeProfit || null,
    profit_ratio: orNull(t.closeProfit),
    profit_pct: pctOrNull(t.closeProfit),
    profit_abs: orNull(t.closeProfitAbs),
    exit_reason: orNull(t.exitReason),
    exit_order_status: orNull(t.exitOrderStatus),
    trade_duration_s: durationMs === null ? null : Math.floor(durationMs / 1000),
    trade_duration: durationMs === null ? null : Math.floor(durationMs / 60_000),
    stop_loss_abs: t.stopLoss || null,
    stop_loss_ratio: t.stopLossPct || null,
    stop_loss_pct: t.stopLossPct ? t.stopLossPct * 100 : null,
    stoploss_last_update: dateOrNull(stopUpdate),
    stoploss_last_update_timestamp: stopUpdate,
    initial_stop_loss_abs: t.initialStopLoss || null,
    initial_stop_loss_ratio: t.initialStopLossPct || null,
    initial_stop_loss_pct: t.initialStopLossPct ? t.initialStopLossPct * 100 : null,
    min_rate: orNull(t.minRate),
    max_rate: orNull(t.maxRate),
    interest_rate: t.interestRate,
    liquidation_price: orNull(t.liquidationPrice),
    funding_fees: orNull(t.fundingFees),
    amount_precision: orNull(t.amountPrecision),
    price_precision: orNull(t.pricePrecision),
    precision_mode: orNull(t.precisionMode),
    precision_mode_price: orNull(t.precisionModePrice),
    contract_size: orNull(t.contractSize),
    has_open_orders: s.orders.some((o) => o.ftIsOpen && o.ftOrderSide !== 'stoploss'),
    orders: listedOrders(s).map((o) => orderView(o, t)),
  }
}

/** The domain trade holding the current position, for the §6.4 money math. */
function positionOf(t: TradeRow): Trade {
  return new Trade({
    id: t.id,
    pair: t.pair,
    openDateMs: t.openDate,
    openRate: t.openRate,
    amount: t.amount,
    feeOpen: t.feeOpen,
    feeClose: t.feeClose,
  })
}

function openTradeValueOf(t: TradeRow): number {
  return positionOf(t).openTradeValue
}

/** Unrealised profit of the remaining position at `rate` (§6.4): absolute and ratio, 8 decimals, × leverage. */
export function unrealizedProfit(t: TradeRow, rate: number): { abs: number; ratio: number } {
  const position = positionOf(t)
  return { abs: position.profitAbs(rate), ratio: round8(position.profitRatio(rate) * (t.leverage || 1)) }
}

/**
 * The live view (§6.1.2) used by `/status` and `/trade/{id}`: the base keys plus the current price and what the
 * position would make at it. `rate` is the cached exit-side price (undefined when unknown); closed trades use their
 * close rate and realised figures.
 */
export function liveTradeView(s: StoredTrade, rate: number | undefined): TradeObject {
  const view = baseTradeView(s)
  const t = s.trade
  const hasFill = filledEntries(s).length > 0
  const current = t.isOpen ? rate : (t.closeRate ?? undefined)
  let profitRatio: number | null
  let profitAbs: number | null
  let totalAbs: number | null
  let totalRatio: number | null = null
  if (!t.isOpen) {
    profitRatio = t.closeProfit ?? 0
    profitAbs = t.closeProfitAbs ?? 0
    totalAbs = 0
  } else if (!hasFill) {
    profitRatio = 0
    profitAbs = 0
    totalAbs = 0
  } else if (current === undefined) {
    profitRatio = null
    profitAbs = null
    totalAbs = null
  } else {
    const p = unrealizedProfit(t, current)
    profitRatio = p.ratio
    profitAbs = p.abs
    totalAbs = round8(p.abs + (t.realizedProfit ?? 0))
    const maxStake = view.max_stake_amount
    totalRatio = maxStake ? round8((totalAbs / maxStake) * (t.leverage || 1)) : null
  }
  const stop = view.stop_loss_abs
  const canMeasureStop = stop !== null && current !== undefined && current !== 0
  const stopDist = canMeasureStop ? stop - current : null
  const stopProfit = stop !== null && hasFill ? unrealizedProfit(t, stop) : undefined
  return {
    ...view,
    close_profit: t.isOpen ? null : view.close_profit,
    current_rate: current ?? null,
    profit_ratio: profitRatio,
    profit_pct: profitRatio === null ? null : roundTo(profitRatio * 100, 2),
    profit_abs: profitAbs,
    profit_fiat: null,
    total_profit_abs: totalAbs,
    total_profit_ratio: totalRatio,
    total_profit_fiat: null,
    stoploss_current_dist: stopDist,
    stoploss_current_dist_ratio: stopDist === null ? null : round8(stopDist / (current as number)),
    stoploss_current_dist_pct: stopDist === null ? null : roundTo((stopDist / (current as number)) * 100, 2),
    stoploss_entry_dist: stopProfit ? stopProfit.abs : null,
    stoploss_entry_dist_ratio: stopProfit ? stopProfit.ratio : null,
  }
}
