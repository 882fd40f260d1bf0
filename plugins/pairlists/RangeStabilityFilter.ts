import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { dailyValues, fixed, plural, TtlCache } from '../../src/plugins/helpers.ts'

/**
 * Removes pairs whose range over the last `lookback_days` daily candles, `(highest high - lowest low) / lowest low`,
 * is below `min_rate_of_change` (or above `max_rate_of_change`); optionally sorts by it.
 */
export default definePairList({
  name: 'RangeStabilityFilter',
  description: 'Filters pairs by their rate of change.',
  isGenerator: false,
  needsTickers: false,
  needsCandles: true,
  config: Type.Object({
    lookback_days: Type.Integer({
      minimum: 1,
      default: 10,
      description: 'Lookback Days',
      help: 'Number of days to look back at.',
    }),
    min_rate_of_change: Type.Number({
      default: 0.01,
      description: 'Minimum Rate of Change',
      help: 'Minimum rate of change to filter pairs.',
    }),
    max_rate_of_change: Type.Optional(
      Type.Number({ description: 'Maximum Rate of Change', help: 'Maximum rate of change to filter pairs.' }),
    ),
    refresh_period: Type.Integer({
      minimum: 0,
      default: 86400,
      description: 'Refresh period',
      help: 'Refresh period in seconds.',
    }),
    sort_direction: Type.Optional(
      Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
        description: 'Sort pairlist',
        help: 'Sort pairlist by rate of change (asc or desc); unsorted when not set.',
      }),
    ),
  }),
  create(cfg, env) {
    const cache = new TtlCache<number | null>(cfg.refresh_period * 1000)
    const days = `${cfg.lookback_days} ${plural(cfg.lookback_days, 'day')}`
    return {
      describe: () => `Filtering pairs with rate of change below ${cfg.min_rate_of_change} over the last ${days}.`,
      async filter(pairs, ctx) {
        const values = await dailyValues(pairs, ctx, cache, cfg.lookback_days, (c) => {
          if (!c) return null
          let high = Number.NEGATIVE_INFINITY
          let low = Number.POSITIVE_INFINITY
          for (let i = 0; i < c.date.length; i++) {
            high = Math.max(high, c.high[i] as number)
            low = Math.min(low, c.low[i] as number)
          }
          return low > 0 ? (high - low) / low : 0
        })
        const rows: { pair: string; change: number }[] = []
        for (const pair of pairs) {
          const change = values.get(pair)
          if (change == null) {
            env.logOnce(`Removed ${pair} from whitelist, no candles found.`)
          } else if (change < cfg.min_rate_of_change) {
            env.logOnce(
              `Removed ${pair} from whitelist, because rate of change over ${days} is ${fixed(change, 3)}, which is below the threshold of ${cfg.min_rate_of_change}.`,
            )
          } else if (cfg.max_rate_of_change !== undefined && change > cfg.max_rate_of_change) {
            env.logOnce(
              `Removed ${pair} from whitelist, because rate of change over ${days} is ${fixed(change, 3)}, which is above the threshold of ${cfg.max_rate_of_change}.`,
            )
          } else rows.push({ pair, change })
        }
        if (cfg.sort_direction) {
          const dir = cfg.sort_direction === 'asc' ? 1 : -1
          rows.sort((a, b) => dir * (a.change - b.change))
        }
        return rows.map((r) => r.pair)
      },
    }
  },
})
