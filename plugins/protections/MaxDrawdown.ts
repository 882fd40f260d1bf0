import { Type } from '@sinclair/typebox'
import { defineProtection } from '../../src/plugins/define.ts'
import type { ClosedTradeInfo } from '../../src/plugins/inputs.ts'
import { checkTiming, LOOKBACK_KEYS, protectionTiming, STOP_DURATION_KEYS } from '../../src/plugins/protectionBase.ts'

/**
 * The largest fall of the cumulative profit ratio (sum of `profitRatio` in close order) from its running peak, as
 * freqtrade's `calculate_max_drawdown(value_col="close_profit")`: the peak starts at the first trade, and a fall that
 * ends on the first trade is no drawdown (undefined).
 */
export function closedProfitDrawdown(trades: ClosedTradeInfo[]): number | undefined {
  const sorted = [...trades].sort((a, b) => a.closeDateMs - b.closeDateMs)
  let cum = 0
  let peak = Number.NEGATIVE_INFINITY
  let worst = 0
  let worstIdx = 0
  sorted.forEach((t, i) => {
    cum += t.profitRatio
    peak = Math.max(peak, cum)
    const dd = cum - peak
    if (dd < worst) {
      worst = dd
      worstIdx = i
    }
  })
  return worstIdx === 0 ? undefined : Math.abs(worst)
}

/** Stops all trading when the drawdown of the trades closed within the lookback period exceeds the allowed one. */
export default defineProtection({
  name: 'MaxDrawdown',
  description: 'Stop trading if max-drawdown is reached.',
  config: Type.Object({
    ...STOP_DURATION_KEYS,
    ...LOOKBACK_KEYS,
    trade_limit: Type.Integer({ minimum: 1, default: 1, description: 'Minimum trades in the lookback period' }),
    max_allowed_drawdown: Type.Number({ minimum: 0, default: 0, description: 'Allowed drawdown (ratio)' }),
  }),
  check: checkTiming,
  create(cfg, env) {
    const timing = protectionTiming(cfg, env, 'MaxDrawdown')
    return {
      hasGlobalStop: true,
      hasLocalStop: false,
      describe: () => `Stop trading if drawdown is > ${cfg.max_allowed_drawdown} within ${timing.lookbackStr}.`,
      globalStop(q) {
        const trades = q.trades({ closedAfterMs: q.nowMs - timing.lookbackMs })
        if (trades.length < cfg.trade_limit) return undefined
        const drawdown = closedProfitDrawdown(trades)
        if (drawdown === undefined || !(drawdown > cfg.max_allowed_drawdown)) return undefined
        env.log.info(
          `Trading stopped due to Max Drawdown ${drawdown.toFixed(2)} > ${cfg.max_allowed_drawdown} within ${timing.lookbackStr}.`,
        )
        return {
          untilMs: timing.lockEnd(trades),
          reason: `${drawdown} passed ${cfg.max_allowed_drawdown} in ${timing.lookbackStr}, locking for ${timing.stopDurationStr}.`,
        }
      },
    }
  },
})
