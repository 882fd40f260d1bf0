import { getLogger } from '../util/logger.ts'
import type { OrderFilledContext } from './callbacks.ts'
import type { Strategy } from './strategy.ts'

/**
 * freqtrade's `order_filled`: tells the strategy of an order that finished with a fill (entry, exit, stop), live and
 * in a backtest. Nothing comes back; a callback that throws is logged and trading goes on (freqtrade's
 * `strategy_safe_wrapper`).
 */
export function notifyOrderFilled(strategy: Strategy | undefined, ctx: OrderFilledContext): void {
  if (strategy?.orderFilled === undefined) return
  try {
    strategy.orderFilled(ctx)
  } catch (err) {
    getLogger('tern.strategy').warn(
      `${strategy.constructor.name}.orderFilled failed for ${ctx.pair}: ${(err as Error)?.message ?? err}`,
    )
  }
}
