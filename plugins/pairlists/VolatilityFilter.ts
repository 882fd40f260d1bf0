import { Type } from '@sinclair/typebox'
import type { OhlcvColumns } from '../../src/frame/ohlcv.ts'
import { definePairList } from '../../src/plugins/define.ts'
import { dailyValues, fixed, plural, TtlCache } from '../../src/plugins/helpers.ts'

/**
 * The mean of the rolling `lookback_days` standard deviation (sample) of daily log returns, times sqrt(days), as
 * freqtrade computes it: returns are `ln(close[i-1] / close[i])` with the first one 0. NaN without a full window.
 */
export function dailyVolatility(c: OhlcvColumns, days: number): number {
  const n = c.close.length
  const r = new Float64Array(n)
  for (let i = 1; i < n; i++) r[i] = Math.log((c.close[i - 1] as number) / (c.close[i] as number))
  let sum = 0
  let windows = 0
  for (let end = days - 1; end < n; end++) {
    let mean = 0
    for (let k = end - days + 1; k <= end; k++) mean += r[k] as number
    mean /= days
    let ss = 0
    for (let k = end - days + 1; k <= end; k++) ss += ((r[k] as number) - mean) ** 2
    const std = days > 1 ? Math.sqrt(ss / (days - 1)) : Number.NaN
    if (!Number.isNaN(std)) {
      sum += std * Math.sqrt(days)
      windows++
    }
  }
  return windows > 0 ? sum / windows : Number.NaN
}

/** Removes pairs whose daily volatility is outside [min_volatility, max_volatility]; optionally sorts by it. */
export default definePairList({
  name: 'VolatilityFilter',
  description: 'Filter pairs by their recent volatility.',
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
    min_volatility: Type.Number({
      default: 0,
      description: 'Minimum Volatility',
      help: 'Minimum volatility a pair must have to be considered.',
    }),
    max_volatility: Type.Number({
      default: Number.MAX_SAFE_INTEGER,
      description: 'Maximum Volatility',
      help: 'Maximum volatility a pair must have to be considered.',
    }),
    refresh_period: Type.Integer({
      minimum: 0,
      default: 1440,
      description: 'Refresh period',
      help: 'Refresh period in seconds.',
    }),
    sort_direction: Type.Optional(
      Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
        description: 'Sort pairlist',
        help: 'Sort pairlist by volatility (asc or desc); unsorted when not set.',
      }),
    ),
  }),
  create(cfg, env) {
    const cache = new TtlCache<number>(cfg.refresh_period * 1000)
    const days = `${cfg.lookback_days} ${plural(cfg.lookback_days, 'day')}`
    return {
      describe: () =>
        `Filtering pairs with volatility outside ${cfg.min_volatility}-${cfg.max_volatility} over the last ${days}.`,
      async filter(pairs, ctx) {
        const values = await dailyValues(pairs, ctx, cache, cfg.lookback_days, (c) =>
          c ? dailyVolatility(c, cfg.lookback_days) : Number.NaN,
        )
        const rows: { pair: string; vol: number }[] = []
        for (const pair of pairs) {
          const vol = values.get(pair) ?? Number.NaN
          if (vol >= cfg.min_volatility && vol <= cfg.max_volatility) rows.push({ pair, vol })
          else {
            env.logOnce(
              `Removed ${pair} from whitelist, because volatility over ${days} is: ${fixed(vol, 3)} which is not in the configured range of ${cfg.min_volatility}-${cfg.max_volatility}.`,
            )
          }
        }
        if (cfg.sort_direction) {
          const dir = cfg.sort_direction === 'asc' ? 1 : -1
          rows.sort((a, b) => dir * (a.vol - b.vol))
        }
        return rows.map((r) => r.pair)
      },
    }
  },
})
