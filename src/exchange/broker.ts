import type { Balances } from './exchange.ts'

export type OrderType = 'limit' | 'market'
export type OrderSide = 'buy' | 'sell'
export type OrderStatus = 'open' | 'closed' | 'canceled'

/** An order as ccxt describes it, reduced to what the bot uses. */
export interface OrderInfo {
  id: string
  clientOrderId?: string
  pair: string
  status: OrderStatus
  type: OrderType
  side: OrderSide
  /** Limit price; for market orders the average fill price once filled. */
  price: number
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
  fetchOrder(id: string, pair: string): Promise<OrderInfo>
  cancelOrder(id: string, pair: string): Promise<OrderInfo>
  fetchOpenOrders(pair?: string): Promise<OrderInfo[]>
  fetchBalance(): Promise<Balances>
}
