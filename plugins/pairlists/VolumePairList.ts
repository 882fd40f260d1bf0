import { Type } from '@sinclair/typebox'
import { definePairList, type PairlistContext } from '../../src/plugins/define.ts'
import { TtlCache } from '../../src/plugins/helpers.ts'

/** The `number_assets` pairs with the highest 24h quote volume, refreshed every `refresh_period` seconds. */
export default definePairList({
  name: 'VolumePairList',
  description: 'Provides dynamic pair list based on trade volumes.',
  isGenerator: true,
  needsTickers: true,
  needsCandles: false,
  config: Type.Object({
    number_assets: Type.Integer({ minimum: 1, description: 'Number of assets', help: 'Number of assets to use.' }),
    sort_key: Type.Literal('quoteVolume', { default: 'quoteVolume', description: 'Sort key' }),
    min_value: Type.Number({ minimum: 0, default: 0, description: 'Minimum value', help: 'Minimum quote volume.' }),
    max_value: Type.Optional(Type.Number({ minimum: 0, description: 'Maximum value', help: 'Maximum quote volume.' })),
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
      const wanted = new Set(pairs)
      let rows = Object.values(ctx.tickers).filter((t) => wanted.has(t.symbol) && t.quoteVolume != null)
      if (cfg.min_value > 0) rows = rows.filter((t) => (t.quoteVolume as number) > cfg.min_value)
      if (cfg.max_value !== undefined) rows = rows.filter((t) => (t.quoteVolume as number) <= (cfg.max_value as number))
      rows.sort((a, b) => (b.quoteVolume as number) - (a.quoteVolume as number))
      const sorted = ctx.verifyBlacklist(rows.map((t) => t.symbol))
      return ctx.whitelistForActiveMarkets(sorted).slice(0, cfg.number_assets)
    }
    return {
      describe: () => `Top ${cfg.number_assets} volume pairs.`,
      generate(ctx) {
        const cached = cache.get('pairs', ctx.nowMs)
        if (cached) return [...cached]
        const tradable = new Set(
          Object.values(ctx.markets)
            .filter((m) => m.active && m.quote === env.stakeCurrency)
            .map((m) => m.symbol),
        )
        const pairs = Object.values(ctx.tickers)
          .filter((t) => tradable.has(t.symbol) && t.quoteVolume != null)
          .map((t) => t.symbol)
        const out = filter(pairs, ctx)
        cache.set('pairs', out, ctx.nowMs)
        return [...out]
      },
      filter,
    }
  },
})
