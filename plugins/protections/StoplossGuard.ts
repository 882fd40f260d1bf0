import { Type } from '@sinclair/typebox'
import { defineProtection, type ProtectionQuery } from '../../src/plugins/define.ts'
import { percent } from '../../src/plugins/helpers.ts'
import {
  checkTiming,
  LOOKBACK_KEYS,
  protectionTiming,
  STOP_DURATION_KEYS,
  STOPLOSS_EXIT_REASONS,
} from '../../src/plugins/protectionBase.ts'

/**
 * Stops trading (all pairs, or the pair with `only_per_pair`) once `trade_limit` trades closed by a stoploss with a
 * profit below `required_profit` within the lookback period. With `only_per_side`, only trades of the side that just
 * closed count and only that side is locked.
 */
export default defineProtection({
  name: 'StoplossGuard',
  description: 'Stop trading if a certain amount of stoplosses occurred within a certain time window.',
  config: Type.Object({
    ...STOP_DURATION_KEYS,
    ...LOOKBACK_KEYS,
    trade_limit: Type.Integer({ minimum: 1, default: 10, description: 'Stoplosses that trigger the lock' }),
    only_per_pair: Type.Boolean({ default: false, description: 'Lock only the pair, not all pairs' }),
    only_per_side: Type.Boolean({ default: false, description: 'Count and lock only the side of the closed trade' }),
    required_profit: Type.Number({ default: 0, description: 'Stoploss exits below this profit ratio count' }),
  }),
  check: checkTiming,
  create(cfg, env) {
    const timing = protectionTiming(cfg, env, 'StoplossGuard')
    const reason = `${cfg.trade_limit} stoplosses under ${percent(cfg.required_profit, 2)} in ${timing.lookbackStr}, locking for ${timing.stopDurationStr}.`
    const guard = (q: ProtectionQuery, pair?: string) => {
      let trades = q
        .trades({ pair, closedAfterMs: q.nowMs - timing.lookbackMs })
        .filter(
          (t) => STOPLOSS_EXIT_REASONS.has(t.exitReason) && t.profitRatio !== 0 && t.profitRatio < cfg.required_profit,
        )
      if (cfg.only_per_side) trades = trades.filter((t) => (t.isShort ? 'short' : 'long') === q.side)
      if (trades.length < cfg.trade_limit) return undefined
      env.log.info(`Trading stopped due to ${cfg.trade_limit} stoplosses within ${timing.lookbackStr}.`)
      return { untilMs: timing.lockEnd(trades), reason, side: cfg.only_per_side ? q.side : ('*' as const) }
    }
    return {
      hasGlobalStop: !cfg.only_per_pair,
      hasLocalStop: cfg.only_per_pair,
      describe: () => `Stop trading if ${cfg.trade_limit} stoplosses within ${timing.lookbackStr}.`,
      globalStop: (q) => (cfg.only_per_pair ? undefined : guard(q)),
      stopPerPair: (pair, q) => guard(q, pair),
    }
  },
})
