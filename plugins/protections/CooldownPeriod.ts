import { Type } from '@sinclair/typebox'
import { defineProtection } from '../../src/plugins/define.ts'
import { checkTiming, protectionTiming, STOP_DURATION_KEYS } from '../../src/plugins/protectionBase.ts'

/** After a trade of a pair closes, the pair may not be entered again for `stop_duration[_candles]`. */
export default defineProtection({
  name: 'CooldownPeriod',
  description: "Don't enter a pair again for a while after a trade on it closed.",
  config: Type.Object({ ...STOP_DURATION_KEYS }),
  check: checkTiming,
  create(cfg, env) {
    const timing = protectionTiming(cfg, env, 'CooldownPeriod')
    return {
      hasGlobalStop: false,
      hasLocalStop: true,
      describe: () => `Cooldown period for ${timing.stopDurationStr}.`,
      stopPerPair(pair, q) {
        const trades = q.trades({ pair, closedAfterMs: q.nowMs - timing.stopMs })
        if (trades.length === 0) return undefined
        const latest = trades.reduce((a, b) => (b.closeDateMs > a.closeDateMs ? b : a))
        env.log.info(`Cooldown for ${pair} for ${timing.stopDurationStr}.`)
        return { untilMs: timing.lockEnd([latest]), reason: `Cooldown period for ${timing.stopDurationStr}.` }
      },
    }
  },
})
