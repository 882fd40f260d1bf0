import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { amountStep, fixed, onePip, percent } from '../../src/plugins/helpers.ts'

/** Removes pairs by last price: too low for the price step, below/above a price, or too coarse a minimum amount. */
export default definePairList({
  name: 'PriceFilter',
  description: 'Filter pairs by price.',
  isGenerator: false,
  needsTickers: true,
  needsCandles: false,
  config: Type.Object({
    low_price_ratio: Type.Number({
      minimum: 0,
      default: 0,
      description: 'Low price ratio',
      help: 'Remove pairs where a price move of one unit (pip) is above this ratio.',
    }),
    min_price: Type.Number({ minimum: 0, default: 0, description: 'Minimum price', help: 'Remove pairs below this.' }),
    max_price: Type.Number({ minimum: 0, default: 0, description: 'Maximum price', help: 'Remove pairs above this.' }),
    max_value: Type.Number({
      minimum: 0,
      default: 0,
      description: 'Maximum value',
      help: 'Remove pairs where the value of one step of the minimum amount is above this.',
    }),
  }),
  create(cfg, env) {
    return {
      describe: () => {
        const parts: string[] = []
        if (cfg.low_price_ratio) parts.push(`1 unit is above ${percent(cfg.low_price_ratio, 3)}`)
        if (cfg.min_price) parts.push(`price below ${fixed(cfg.min_price, 8)}`)
        if (cfg.max_price) parts.push(`price above ${fixed(cfg.max_price, 8)}`)
        if (cfg.max_value) parts.push(`value above ${fixed(cfg.max_value, 8)}`)
        return parts.length ? `Filter pairs with ${parts.join(' or ')}.` : 'No price filters configured.'
      },
      filter(pairs, ctx) {
        return pairs.filter((pair) => {
          const price = ctx.tickers[pair]?.last
          if (price == null || price === 0) {
            env.logOnce(
              `Removed ${pair} from whitelist, because ticker['last'] is empty (Usually no trade in the last 24h).`,
            )
            return false
          }
          const market = ctx.markets[pair]
          if (cfg.low_price_ratio !== 0) {
            const pip = onePip(market, env.precisionMode)
            if (pip !== undefined && pip / price > cfg.low_price_ratio) {
              env.logOnce(`Removed ${pair} from whitelist, because 1 unit is ${percent(pip / price, 3)}`)
              return false
            }
          }
          if (cfg.max_value !== 0 && market?.limits.amount.min != null) {
            const minAmount = market.limits.amount.min
            const step = amountStep(market, env.precisionMode) ?? 0
            const diff = (minAmount + step) * price - minAmount * price
            if (diff > cfg.max_value) {
              env.logOnce(`Removed ${pair} from whitelist, because min value change of ${diff} > ${cfg.max_value}.`)
              return false
            }
          }
          if (cfg.min_price !== 0 && price < cfg.min_price) {
            env.logOnce(`Removed ${pair} from whitelist, because last price < ${fixed(cfg.min_price, 8)}`)
            return false
          }
          if (cfg.max_price !== 0 && price > cfg.max_price) {
            env.logOnce(`Removed ${pair} from whitelist, because last price > ${fixed(cfg.max_price, 8)}`)
            return false
          }
          return true
        })
      },
    }
  },
})
