import { getLogger } from '../util/logger.ts'
import type { Strategy } from './strategy.ts'

const started = new WeakSet<Strategy>()

/**
 * freqtrade's `bot_start`: the strategy's `botStart()` once per instance that is about to analyse or trade (after
 * the config's overrides), before its first analysis: the bot's, a backtest's, every analysis worker's and
 * `/pair_history`'s. A callback that throws is logged and the strategy goes on (freqtrade's `strategy_safe_wrapper`).
 */
export function startStrategy(strategy: Strategy): void {
  if (started.has(strategy)) return
  started.add(strategy)
  try {
    strategy.botStart?.()
  } catch (err) {
    getLogger('tern.strategy').error(`${strategy.constructor.name}.botStart failed: ${(err as Error)?.message ?? err}`)
  }
}
