import { randomUUID } from 'node:crypto'
import type { Broker, OrderInfo, OrderSide, OrderStatus, OrderType } from './broker.ts'
import { isAmbiguous, OrderNotFoundError } from './errors.ts'
import type { Balances, Exchange } from './exchange.ts'
import { withRetry } from './retry.ts'

/** An order as ccxt returns it (the fields read here). */
export interface CcxtOrder {
  id: string
  clientOrderId?: string
  symbol: string
  status?: string
  type?: string
  side?: string
  price?: number
  average?: number
  amount?: number
  filled?: number
  remaining?: number
  cost?: number
  fee?: { cost?: number; currency?: string; rate?: number }
  timestamp?: number
  lastTradeTimestamp?: number
  stopPrice?: number
  triggerPrice?: number
}

interface CcxtTrade {
  fee?: { cost?: number; currency?: string; rate?: number }
}

function toStatus(s: string | undefined): OrderStatus {
  if (s === 'closed') return 'closed'
  if (s === 'open' || s === undefined) return 'open'
  // canceled, expired, rejected: the order will not fill any further
  return 'canceled'
}

/** ccxt's order, in our shape. */
export function toOrderInfo(o: CcxtOrder, pair: string): OrderInfo {
  const filled = o.filled ?? 0
  const amount = o.amount ?? filled
  // ccxt reports binance's STOP_LOSS_LIMIT as a limit order with a trigger price
  const stop = o.triggerPrice ?? o.stopPrice
  const isStop = (stop !== undefined && stop > 0) || (o.type ?? '').includes('stop')
  return {
    id: String(o.id),
    clientOrderId: o.clientOrderId,
    pair: o.symbol ?? pair,
    status: toStatus(o.status),
    type: isStop ? 'stop_loss_limit' : o.type === 'market' ? 'market' : 'limit',
    ...(isStop && stop !== undefined && stop > 0 ? { stopPrice: stop } : {}),
    side: o.side === 'sell' ? 'sell' : 'buy',
    price: o.price ?? o.average ?? 0,
    average: o.average,
    amount,
    filled,
    remaining: o.remaining ?? Math.max(0, amount - filled),
    cost: o.cost ?? 0,
    fee:
      o.fee?.cost !== undefined && o.fee.currency
        ? { cost: o.fee.cost, currency: o.fee.currency, rate: o.fee.rate }
        : undefined,
    // binance shows a stop order's working time, -1 until it triggers, where ccxt looks for the time
    timestamp: o.timestamp !== undefined && o.timestamp > 0 ? o.timestamp : 0,
    lastTradeTimestamp: o.lastTradeTimestamp,
  }
}

/** Real orders through ccxt. */
export class LiveBroker implements Broker {
  constructor(private readonly exchange: Exchange) {}

  /**
   * Places an order with a client order id of our own. When a failure leaves it unclear whether the exchange took
   * the order (a dropped connection, a 5xx), the order is looked up by that id before retrying, so a retry never
   * places it twice.
   */
  async createOrder(
    pair: string,
    type: OrderType,
    side: OrderSide,
    amount: number,
    price?: number,
  ): Promise<OrderInfo> {
    // a price on a market order would make ccxt spend amount × price quote; the amount is what is meant
    return this.placeOnce(pair, `${side} ${type} ${amount}`, (ex, params) =>
      ex.createOrder(pair, type, side, amount, type === 'limit' ? price : undefined, params),
    )
  }

  /** A STOP_LOSS_LIMIT sell, as freqtrade places its stop-loss on binance (`stop_loss_limit` with `stopPrice`). */
  async createStoploss(pair: string, amount: number, stopPrice: number, limitPrice: number): Promise<OrderInfo> {
    return this.placeOnce(pair, `stop-loss sell ${amount} at ${stopPrice} (limit ${limitPrice})`, (ex, params) =>
      ex.createOrder(pair, 'stop_loss_limit', 'sell', amount, limitPrice, { ...params, stopPrice }),
    )
  }

  /**
   * Places an order with a client order id of our own. When a failure leaves it unclear whether the exchange took
   * the order (a dropped connection, a 5xx), the order is looked up by that id before retrying, so a retry never
   * places it twice.
   */
  private async placeOnce(
    pair: string,
    what: string,
    send: (ex: Exchange['ccxt'], params: Record<string, string>) => Promise<unknown>,
  ): Promise<OrderInfo> {
    this.exchange.market(pair)
    const ex = this.exchange.ccxt
    const clientOrderId = `tern-${randomUUID().replaceAll('-', '').slice(0, 24)}`
    const order = await withRetry(
      `${this.exchange.id} createOrder ${what} ${pair}`,
      async () => {
        try {
          return (await send(ex, { newClientOrderId: clientOrderId })) as CcxtOrder
        } catch (e) {
          if (isAmbiguous(e)) {
            const placed = await this.findByClientId(clientOrderId, pair)
            if (placed) return placed
          }
          throw e
        }
      },
      this.exchange.retry,
      true,
    )
    return toOrderInfo(order, pair)
  }

  private async findByClientId(clientOrderId: string, pair: string): Promise<CcxtOrder | undefined> {
    try {
      return (await this.exchange.ccxt.fetchOrder('', pair, {
        origClientOrderId: clientOrderId,
      })) as unknown as CcxtOrder
    } catch {
      // not found, or still unreachable: the caller's retry decides
      return undefined
    }
  }

  /** The order; when the exchange's answer carries no fee (binance's does not), it is summed from the order's trades. */
  async fetchOrder(id: string, pair: string): Promise<OrderInfo> {
    this.exchange.market(pair)
    const ex = this.exchange.ccxt
    const o = (await this.exchange.call(`fetchOrder ${id} ${pair}`, () =>
      ex.fetchOrder(id, pair),
    )) as unknown as CcxtOrder
    const info = toOrderInfo(o, pair)
    if (!info.fee && info.filled > 0 && ex.has.fetchOrderTrades) {
      const trades = (await this.exchange.call(`fetchOrderTrades ${id} ${pair}`, () =>
        ex.fetchOrderTrades(id, pair),
      )) as unknown as CcxtTrade[]
      const currency = trades.find((t) => t.fee?.currency)?.fee?.currency
      if (currency && trades.every((t) => !t.fee?.currency || t.fee.currency === currency)) {
        const cost = trades.reduce((s, t) => s + (t.fee?.cost ?? 0), 0)
        // float sums of decimal fees: keep 12 significant digits
        info.fee = { cost: Number(cost.toPrecision(12)), currency, rate: trades[0]?.fee?.rate }
      }
    }
    return info
  }

  async cancelOrder(id: string, pair: string): Promise<OrderInfo> {
    this.exchange.market(pair)
    const ex = this.exchange.ccxt
    try {
      const o = (await this.exchange.call(
        `cancelOrder ${id} ${pair}`,
        () => ex.cancelOrder(id, pair),
        true,
      )) as unknown as CcxtOrder
      return toOrderInfo(o, pair)
    } catch (e) {
      if (!(e instanceof OrderNotFoundError)) throw e
      // already filled or canceled: report how it ended
      return this.fetchOrder(id, pair)
    }
  }

  async fetchOpenOrders(pair?: string): Promise<OrderInfo[]> {
    if (pair) this.exchange.market(pair)
    const ex = this.exchange.ccxt
    const list = (await this.exchange.call(`fetchOpenOrders ${pair ?? ''}`, () =>
      ex.fetchOpenOrders(pair),
    )) as unknown as CcxtOrder[]
    return list.map((o) => toOrderInfo(o, o.symbol))
  }

  fetchBalance(): Promise<Balances> {
    return this.exchange.fetchBalance()
  }
}
