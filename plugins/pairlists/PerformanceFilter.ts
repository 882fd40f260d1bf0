import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'

/**
 * Sorts pairs by the profit of their closed trades (of the last `minutes`, 0 = all): highest summed profit ratio
 * first, then fewer trades, then the previous order; pairs without trades count as 0. With `min_profit`, pairs below
 * it are removed. Without any closed trade the list passes unchanged.
 */
export default definePairList({
  name: 'PerformanceFilter',
  description: 'Filter pairs by performance.',
  isGenerator: false,
  needsTickers: false,
  needsCandles: false,
  config: Type.Object({
    minutes: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'Minutes',
      help: 'Consider trades from the last X minutes. 0 means all trades.',
    }),
    min_profit: Type.Optional(
      Type.Number({ description: 'Minimum profit', help: 'Minimum profit ratio a pair must have to be considered.' }),
    ),
  }),
  create(cfg, env) {
    return {
      describe: () => 'Sorting pairs by performance.',
      filter(pairs, ctx) {
        const perf = ctx.performance(cfg.minutes)
        if (perf.length === 0) return pairs
        const byPair = new Map(perf.map((p) => [p.pair, p]))
        const rows = pairs.map((pair, idx) => ({
          pair,
          idx,
          profit: byPair.get(pair)?.profitRatio ?? 0,
          count: byPair.get(pair)?.count ?? 0,
        }))
        rows.sort((a, b) => b.profit - a.profit || a.count - b.count || a.idx - b.idx)
        const min = cfg.min_profit
        if (min === undefined) return rows.map((r) => r.pair)
        return rows
          .filter((r) => {
            if (r.profit >= min) return true
            env.logOnce(`Removing pair ${r.pair} since ${r.profit} is below ${min}`)
            return false
          })
          .map((r) => r.pair)
      },
    }
  },
})
