import type { NewOrderRow, OrderRow } from '../db/schema.ts'
import type { OrderInfo } from '../exchange/broker.ts'
import { InsufficientFundsError, InvalidOrderError } from '../exchange/errors.ts'
import type { Exchange } from '../exchange/exchange.ts'
import { getLogger } from '../util/logger.ts'
import { isPendingOrder, type LiveTrade } from './liveTrade.ts'
import { type StopOnExchangeSettings, stopNeedsReplacement, stopOrderPrices } from './stoplossOnExchange.ts'

const log = getLogger('tern.engine')

/** The trader's order operations that keeping a stop on the exchange uses (handed over as closures). */
export interface StopOrderDesk {
  exchange: Exchange
  now(): number
  /** Whether the trade is still open (a filled stop closes it). */
  isOpen(t: LiveTrade): boolean
  refreshOrder(t: LiveTrade, o: OrderRow): Promise<void>
  cancelOrder(t: LiveTrade, o: OrderRow, reason: string): Promise<void>
  /** Records a new order of the trade (pending until placed). */
  addOrder(t: LiveTrade, row: Omit<NewOrderRow, 'ftTradeId'>): Promise<OrderRow>
  pendingOrder(pair: string, amount: number, stopPrice: number): Omit<NewOrderRow, 'ftTradeId'>
  /** Places a recorded order with `send`; a definite refusal throws (see the trader's `submit`). */
  submit(t: LiveTrade, o: OrderRow, send: () => Promise<OrderInfo>): Promise<OrderInfo | undefined>
  createStoploss(pair: string, amount: number, stopPrice: number, limitPrice: number): Promise<OrderInfo>
  /** Exits the trade at once (`emergency_exit`, its configured order type). */
  emergencyExit(t: LiveTrade): Promise<void>
}

/**
 * freqtrade's stop-loss on the exchange (`order_types.stoploss_on_exchange`): one stop-limit sell of the whole
 * position rests on the exchange at the trade's stop, is replaced upwards as the stop trails (no sooner than
 * `stoploss_on_exchange_interval`), and is cancelled before any other exit.
 */
export class ExchangeStops {
  constructor(
    readonly settings: StopOnExchangeSettings,
    private readonly desk: StopOrderDesk,
  ) {}

  /** Brings the trade's open stop orders up to date; true when one of them filled and closed the trade. */
  async follow(t: LiveTrade): Promise<boolean> {
    for (const o of t.openStopOrders()) {
      await this.desk.refreshOrder(t, o)
      if (!this.desk.isOpen(t)) return true
    }
    return false
  }

  /**
   * Keeps one stop order on the exchange at the trade's stop: places it when there is none (never placed, or
   * cancelled / gone on the exchange), cancels extra ones, and replaces it by a higher one when the stop trailed
   * up and `stoploss_on_exchange_interval` has passed since it was placed.
   */
  async ensure(t: LiveTrade): Promise<void> {
    const desk = this.desk
    const stop = t.core.stopLoss
    if (!stop || t.openOrders().length > 0 || !desk.isOpen(t)) return
    const m = desk.exchange.market(t.pair)
    const { stopPrice, limitPrice } = stopOrderPrices(
      stop,
      this.settings.limitRatio,
      m.precision.price,
      desk.exchange.ccxt.precisionMode,
    )
    const resting = t.openStopOrders()
    if (resting.length === 0) {
      await this.place(t, stopPrice, limitPrice)
      return
    }
    const last = resting[resting.length - 1]!
    for (const o of resting.slice(0, -1)) await this.cancel(t, o, 'superseded by a newer stop-loss order')
    if (!desk.isOpen(t) || isPendingOrder(last)) return
    const placedAt = last.orderDate ?? t.row.stoplossLastUpdate ?? 0
    const restingPrice = last.stopPrice ?? last.ftPrice
    if (!stopNeedsReplacement(stopPrice, restingPrice, placedAt, desk.now(), this.settings.intervalMs)) return
    log.info(`trade ${t.id}: moving the stop-loss on the exchange from ${restingPrice} to ${stopPrice}`)
    await this.cancel(t, last, 'stoploss moved up')
    // the stop filled before it could be cancelled: the trade is closed
    if (!desk.isOpen(t) || last.ftIsOpen) return
    await this.place(t, stopPrice, limitPrice)
  }

  /** `ensure` after an entry fill, where a failure must not undo the entry: the next iteration tries again. */
  async ensureQuietly(t: LiveTrade): Promise<void> {
    try {
      await this.ensure(t)
    } catch (err) {
      log.warn(`trade ${t.id}: placing its stop-loss on the exchange failed: ${(err as Error).message}`)
    }
  }

  /**
   * Cancels every open stop order before another exit. False when the exit must not go on: a stop filled first
   * (the trade is closed) or one is still open.
   */
  async cancelAll(t: LiveTrade, reason: string): Promise<boolean> {
    for (const o of t.openStopOrders()) await this.cancel(t, o, `cancelled for ${reason}`)
    if (!this.desk.isOpen(t)) return false
    if (t.openStopOrders().length > 0) throw new Error(`the stop-loss order of trade ${t.id} is still open`)
    return true
  }

  /**
   * Records and places a stop-limit sell of the whole position. As freqtrade: a refused order (e.g. the market is
   * already below the stop) exits the trade at once (`emergency_exit`); too few coins only logs (the next iteration
   * tries again).
   */
  private async place(t: LiveTrade, stopPrice: number, limitPrice: number): Promise<void> {
    const desk = this.desk
    const amount = desk.exchange.amountToPrecision(t.pair, t.row.amount)
    if (!(amount > 0)) return
    t.row.stoplossLastUpdate = desk.now()
    const o = await desk.addOrder(t, { ...desk.pendingOrder(t.pair, amount, stopPrice), price: limitPrice, stopPrice })
    log.info(`trade ${t.id}: stop-loss on the exchange for ${amount} ${t.pair} at ${stopPrice} (limit ${limitPrice})`)
    try {
      await desk.submit(t, o, () => desk.createStoploss(t.pair, amount, stopPrice, limitPrice))
    } catch (err) {
      if (err instanceof InsufficientFundsError) {
        log.warn(`trade ${t.id}: unable to place a stop-loss order: ${err.message}`)
        return
      }
      if (!(err instanceof InvalidOrderError)) throw err
      log.error(`trade ${t.id}: unable to place a stop-loss order on the exchange: ${err.message}; exiting the trade`)
      await desk.emergencyExit(t)
    }
  }

  /** Cancels one stop order (a pending one is first looked up: adopted if the exchange took it, else dropped). */
  private async cancel(t: LiveTrade, o: OrderRow, reason: string): Promise<void> {
    if (isPendingOrder(o)) await this.desk.refreshOrder(t, o)
    if (o.ftIsOpen && !isPendingOrder(o) && this.desk.isOpen(t)) await this.desk.cancelOrder(t, o, reason)
  }
}
