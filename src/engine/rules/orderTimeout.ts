import type { Frame } from '../../frame/frame.ts'
import type { OrderTimeoutContext, OrderView, TradeView } from '../../strategy/callbacks.ts'
import { getLogger } from '../../util/logger.ts'

const log = getLogger('tern.strategy')

/** freqtrade's `unfilledtimeout`: how long an entry / exit order may rest unfilled. A side left out has no limit. */
export interface UnfilledTimeout {
  entry?: number
  exit?: number
  unit?: 'minutes' | 'seconds'
}

/** The strategy callbacks that may time out an open order (a `Strategy` satisfies it). */
export interface OrderTimeoutCallbacks {
  checkEntryTimeout?(ctx: OrderTimeoutContext): boolean
  checkExitTimeout?(ctx: OrderTimeoutContext): boolean
}

/**
 * Whether an open order placed at `createdMs` has outlived `unfilledtimeout` at `nowMs` (placed before now − timeout).
 * `timeout` undefined = the order never times out by age.
 */
export function orderTimedOut(
  createdMs: number,
  nowMs: number,
  timeout: number | undefined,
  unit: 'minutes' | 'seconds' = 'minutes',
): boolean {
  if (timeout === undefined) return false
  return createdMs < nowMs - timeout * (unit === 'seconds' ? 1000 : 60_000)
}

/**
 * freqtrade's `ft_check_timed_out`, the one rule of the live engine and the backtester (callers pass open orders
 * only): an order is timed out when it is older than its side's `unfilledtimeout`, or else when the strategy's
 * `checkEntryTimeout` (entry order) / `checkExitTimeout` (exit order) says so. A callback that throws counts as
 * "not timed out" and is logged (freqtrade's `strategy_safe_wrapper`).
 */
export function isOrderTimedOut(
  trade: TradeView,
  order: OrderView,
  nowMs: number,
  timeouts: UnfilledTimeout | undefined,
  strategy: OrderTimeoutCallbacks | undefined,
  df?: Frame,
): boolean {
  const entry = order.side === 'buy'
  const timeout = entry ? timeouts?.entry : timeouts?.exit
  if (orderTimedOut(order.createdMs, nowMs, timeout, timeouts?.unit)) return true
  if (strategy === undefined) return false
  const ask = entry ? strategy.checkEntryTimeout : strategy.checkExitTimeout
  if (ask === undefined) return false
  try {
    return Boolean(ask.call(strategy, { pair: trade.pair, trade, order, nowMs, df }))
  } catch (err) {
    const name = entry ? 'checkEntryTimeout' : 'checkExitTimeout'
    log.warn(
      `${strategy.constructor.name}.${name} failed for ${trade.pair}: ${(err as Error).message}; keeping the order`,
    )
    return false
  }
}
