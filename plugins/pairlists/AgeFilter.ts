import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { DAY_MS, floorDayMs, plural } from '../../src/plugins/helpers.ts'

/**
 * Removes pairs listed for fewer than `min_days_listed` (or more than `max_days_listed`) days, counted in daily
 * candles. A pair that passed is not checked again; one that failed is checked again a day later.
 */
export default definePairList({
  name: 'AgeFilter',
  description: 'Filter pairs by age (days listed).',
  isGenerator: false,
  needsTickers: false,
  needsCandles: true,
  config: Type.Object({
    min_days_listed: Type.Integer({
      minimum: 1,
      default: 10,
      description: 'Minimum Days Listed',
      help: 'Minimum number of days a pair must have been listed on the exchange.',
    }),
    max_days_listed: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Maximum Days Listed',
        help: 'Maximum number of days a pair must have been listed on the exchange.',
      }),
    ),
  }),
  check: (cfg) =>
    cfg.max_days_listed !== undefined && cfg.max_days_listed < cfg.min_days_listed
      ? `key 'max_days_listed': must be >= min_days_listed (${cfg.min_days_listed})`
      : undefined,
  create(cfg, env) {
    const passed = new Set<string>()
    const failedAt = new Map<string, number>()
    const days = cfg.max_days_listed ?? cfg.min_days_listed
    return {
      describe: () =>
        `Filtering pairs with age less than ${cfg.min_days_listed} ${plural(cfg.min_days_listed, 'day')}` +
        (cfg.max_days_listed ? ` or more than ${cfg.max_days_listed} ${plural(cfg.max_days_listed, 'day')}` : ''),
      async filter(pairs, ctx) {
        const needed = pairs.filter((p) => {
          if (passed.has(p)) return false
          const at = failedAt.get(p)
          return at === undefined || ctx.nowMs - at >= DAY_MS
        })
        if (needed.length === 0) return pairs.filter((p) => passed.has(p))
        const since = floorDayMs(ctx.nowMs) - (days + 1) * DAY_MS
        const candles = await ctx.candles(needed, '1d', since)
        for (const pair of needed) {
          const count = candles.get(pair)?.date.length ?? 0
          if (count >= cfg.min_days_listed && (cfg.max_days_listed === undefined || count <= cfg.max_days_listed)) {
            passed.add(pair)
            failedAt.delete(pair)
          } else {
            failedAt.set(pair, ctx.nowMs)
            const upper = cfg.max_days_listed
              ? ` or more than ${cfg.max_days_listed} ${plural(cfg.max_days_listed, 'day')}`
              : ''
            env.logOnce(
              `Removed ${pair} from whitelist, because age ${count} is less than ${cfg.min_days_listed} ${plural(cfg.min_days_listed, 'day')}${upper}`,
            )
          }
        }
        return pairs.filter((p) => passed.has(p))
      },
    }
  },
})
