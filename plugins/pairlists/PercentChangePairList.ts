import { Type } from '@sinclair/typebox'
import { definePairList, type PairlistContext } from '../../src/plugins/define.ts'
import { TtlCache } from '../../src/plugins/helpers.ts'

/** The `number_assets` pairs with the largest (or smallest) 24h percent change of their tickers. */
export default definePairList({
  name: 'PercentChangePairList',
  description: 'Provides dynamic pair list based on percentage change.',
  isGenerator: true,
  needsTickers: true,
  needsCandles: false,
  config: Type.Object({
    number_assets: Type.Integer({ minimum: 1, description: 'Number of assets', help: 'Number of assets to use.' }),
    min_value: Type.Optional(Type.Number({ description: 'Minimum value', help: 'Minimum percent change.' })),
    max_value: Type.Optional(Type.Number({ description: 'Maximum value', help: 'Maximum percent change.' })),
    sort_direction: Type.Union([Type.Literal('desc'), Type.Literal('asc')], {
      default: 'desc',
      description: 'Sort direction',
      help: 'desc: biggest gainers first; asc: biggest losers first.',
    }),
    refresh_period: Type.Integer({
      minimum: 0,
      default: 1800,
      description: 'Refresh period',
      help: 'Refresh period in seconds.',
    }),
  }),
  create(cfg, env) {
    const cache = new TtlCache<string[]>(cfg.refresh_period * 1000)
    const filter = (pairs: string[], ctx: PairlistContext): string[] => {
      let rows = pairs.map((symbol) => ({ symbol, percentage: ctx.tickers[symbol]?.percentage ?? 0 }))
      if (cfg.min_value !== undefined) rows = rows.filter((r) => r.percentage > (cfg.min_value as number))
      if (cfg.max_value !== undefined) rows = rows.filter((r) => r.percentage < (cfg.max_value as number))
      const dir = cfg.sort_direction === 'desc' ? -1 : 1
      rows.sort((a, b) => dir * (a.percentage - b.percentage))
      const sorted = ctx.verifyBlacklist(rows.map((r) => r.symbol))
      return ctx.whitelistForActiveMarkets(sorted).slice(0, cfg.number_assets)
    }
    return {
      describe: () => `Top ${cfg.number_assets} percent change pairs.`,
      generate(ctx) {
        const cached = cache.get('pairs', ctx.nowMs)
        if (cached) return [...cached]
        const pairs = Object.values(ctx.markets)
          .filter((m) => m.active && m.quote === env.stakeCurrency && ctx.tickers[m.symbol] !== undefined)
          .map((m) => m.symbol)
        const out = filter(pairs, ctx)
        cache.set('pairs', out, ctx.nowMs)
        return [...out]
      },
      filter,
    }
  },
})
