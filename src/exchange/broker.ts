import type { Balances } from './exchange.ts'

export type OrderType = 'limit' | 'market'
/** How an order is reported: the types the bot places, plus the exchange's stop-limit order. */
export type OrderInfoType = OrderType | 'stop_loss_limit'
export type OrderSide = 'buy' | 'sell'
export type OrderStatus = 'open' | 'closed' | 'canceled'

/** An order as ccxt describes it, reduced to what the bot uses. */
export interface OrderInfo {
  id: string
  clientOrderId?: string
  pair: string
  status: OrderStatus
  type: OrderInfoType
  side: OrderSide
  /** Limit price; for market orders the average fill price once filled. */
  price: number
  /** Trigger price of a stop order. */
  stopPrice?: number
  average?: number
  amount: number
  filled: number
  remaining: number
  /** Quote value filled so far. */
  cost: number
  fee?: { cost: number; currency: string; rate?: number }
  timestamp: number
  lastTradeTimestamp?: number
}

/** Places and follows orders: on the exchange (live) or in a simulated wallet (dry run). */
export interface Broker {
  createOrder(pair: string, type: OrderType, side: OrderSide, amount: number, price?: number): Promise<OrderInfo>
  /**
   * Places a stop-limit sell of `amount`: it rests until the market trades at or below `stopPrice`, then sells at
   * `limitPrice` or better. Followed and cancelled like any other order (`fetchOrder`, `cancelOrder`).
   */
  createStoploss(pair: string, amount: number, stopPrice: number, limitPrice: number): Promise<OrderInfo>
  fetchOrder(id: string, pair: string): Promise<OrderInfo>
  cancelOrder(id: string, pair: string): Promise<OrderInfo>
  fetchOpenOrders(pair?: string): Promise<OrderInfo[]>
  fetchBalance(): Promise<Balances>
}
