import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { expandPairlist } from '../../src/plugins/expandPairlist.ts'

/** The pairs of `exchange.pair_whitelist` (wildcards expanded against the exchange's markets). */
export default definePairList({
  name: 'StaticPairList',
  description: 'Use pairlist as configured in config.',
  isGenerator: true,
  needsTickers: false,
  needsCandles: false,
  config: Type.Object({
    allow_inactive: Type.Boolean({
      default: false,
      description: 'Allow inactive pairs',
      help: 'Allow pairs that are not active on the exchange (backtesting of delisted pairs).',
    }),
  }),
  create(cfg, env) {
    return {
      describe: () => 'Using the pairs of exchange.pair_whitelist.',
      generate(ctx) {
        const pairs = expandPairlist(env.pairWhitelist, Object.keys(ctx.markets), cfg.allow_inactive)
        return cfg.allow_inactive ? pairs : ctx.whitelistForActiveMarkets(pairs)
      },
      // Later in a chain it adds the configured pairs to the list.
      filter(pairs) {
        const out = [...pairs]
        for (const p of env.pairWhitelist) if (!out.includes(p)) out.push(p)
        return out
      },
    }
  },
})
