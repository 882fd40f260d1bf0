import { Type } from '@sinclair/typebox'
import { defineProtection } from '../../src/plugins/define.ts'
import { checkTiming, LOOKBACK_KEYS, protectionTiming, STOP_DURATION_KEYS } from '../../src/plugins/protectionBase.ts'

/**
 * Locks a pair whose trades closed within the lookback period (at least `trade_limit` of them) sum to a profit ratio
 * below `required_profit`. With `only_per_side`, only trades of the side that just closed are summed and only that
 * side is locked.
 */
export default defineProtection({
  name: 'LowProfitPairs',
  description: 'Lock pairs with low profits.',
  config: Type.Object({
    ...STOP_DURATION_KEYS,
    ...LOOKBACK_KEYS,
    trade_limit: Type.Integer({ minimum: 1, default: 1, description: 'Minimum trades in the lookback period' }),
    required_profit: Type.Number({ default: 0, description: 'Pairs below this summed profit ratio are locked' }),
    only_per_side: Type.Boolean({ default: false, description: 'Count and lock only the side of the closed trade' }),
  }),
  check: checkTiming,
  create(cfg, env) {
    const timing = protectionTiming(cfg, env, 'LowProfitPairs')
    return {
      hasGlobalStop: false,
      hasLocalStop: true,
      describe: () =>
        `Lock pairs with profit below ${cfg.required_profit} within ${timing.lookbackStr}, for ${timing.stopDurationStr}.`,
      stopPerPair(pair, q) {
        const trades = q.trades({ pair, closedAfterMs: q.nowMs - timing.lookbackMs })
        if (trades.length < cfg.trade_limit) return undefined
        const profit = trades
          .filter((t) => !cfg.only_per_side || (t.isShort ? 'short' : 'long') === q.side)
          .reduce((s, t) => s + t.profitRatio, 0)
        if (!(profit < cfg.required_profit)) return undefined
        env.log.info(
          `Trading for ${pair} stopped due to ${profit.toFixed(2)} < ${cfg.required_profit} within ${timing.lookbackStr}.`,
        )
        return {
          untilMs: timing.lockEnd(trades),
          reason: `${profit} < ${cfg.required_profit} in ${timing.lookbackStr}, locking for ${timing.stopDurationStr}.`,
          side: cfg.only_per_side ? q.side : '*',
        }
      },
    }
  },
})
