import type { Frame } from '../../frame/frame.ts'
import type { TradeView } from '../../strategy/callbacks.ts'
import type { Strategy } from '../../strategy/strategy.ts'

/** What both engines know of a (long, GTC) order about to be placed. */
interface OrderToConfirm {
  pair: string
  nowMs: number
  df?: Frame
  orderType: 'limit' | 'market'
  amount: number
  rate: number
}

/**
 * The strategy's `confirmTradeEntry` for an entry order about to be placed, live and in a backtest: true without the
 * callback; only an answer of `false` refuses it.
 */
export function entryConfirmed(
  strategy: Strategy | undefined,
  o: OrderToConfirm & { entryTag: string | undefined },
): boolean {
  if (strategy?.confirmTradeEntry === undefined) return true
  return strategy.confirmTradeEntry({ ...o, timeInForce: 'GTC', side: 'long' }) !== false
}

/** The strategy's `confirmTradeExit` for an exit order about to be placed, as `entryConfirmed`. */
export function exitConfirmed(
  strategy: Strategy | undefined,
  o: OrderToConfirm & { trade: TradeView; exitReason: string },
): boolean {
  if (strategy?.confirmTradeExit === undefined) return true
  return strategy.confirmTradeExit({ ...o, timeInForce: 'GTC' }) !== false
}
