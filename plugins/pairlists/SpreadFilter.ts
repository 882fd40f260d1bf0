import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { percent } from '../../src/plugins/helpers.ts'

/** Removes pairs whose bid/ask spread (`1 - bid / ask`) is above `max_spread_ratio`. */
export default definePairList({
  name: 'SpreadFilter',
  description: 'Filter by bid/ask difference.',
  isGenerator: false,
  needsTickers: true,
  needsCandles: false,
  config: Type.Object({
    max_spread_ratio: Type.Number({
      minimum: 0,
      default: 0.005,
      description: 'Max spread ratio',
      help: 'Max spread ratio for a pair to be considered.',
    }),
  }),
  create(cfg, env) {
    return {
      describe: () => `Filtering pairs with ask/bid diff above ${percent(cfg.max_spread_ratio, 2)}.`,
      filter(pairs, ctx) {
        return pairs.filter((pair) => {
          const t = ctx.tickers[pair]
          if (!t?.ask || !t.bid) {
            env.logOnce(`Removed ${pair} from whitelist due to invalid ticker data: ${JSON.stringify(t ?? null)}`)
            return false
          }
          const spread = 1 - t.bid / t.ask
          if (spread > cfg.max_spread_ratio) {
            env.logOnce(
              `Removed ${pair} from whitelist, because spread ${percent(spread, 3)} > ${percent(cfg.max_spread_ratio, 3)}`,
            )
            return false
          }
          return true
        })
      },
    }
  },
})
