import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { onePip, priceRoundUp } from '../../src/plugins/helpers.ts'

/**
 * Removes pairs whose price step is too coarse for the stoploss: if the stop price and the stop price 1% lower round
 * up to the same price step, the stoploss could not be placed sensibly.
 */
export default definePairList({
  name: 'PrecisionFilter',
  description: 'Filters low-value coins which would not allow setting stoplosses.',
  isGenerator: false,
  needsTickers: true,
  needsCandles: false,
  config: Type.Object({}),
  create(_cfg, env) {
    if (env.stoploss === undefined) {
      throw new Error('PrecisionFilter can only work with stoploss defined. Please add the stoploss key to your config')
    }
    const factor = 1 - Math.abs(env.stoploss)
    return {
      describe: () => 'Filters low-value coins which would not allow setting stoplosses.',
      filter(pairs, ctx) {
        return pairs.filter((pair) => {
          const last = ctx.tickers[pair]?.last
          if (last == null) {
            env.logOnce(
              `Removed ${pair} from whitelist, because ticker['last'] is empty (Usually no trade in the last 24h).`,
            )
            return false
          }
          const step = onePip(ctx.markets[pair], env.precisionMode)
          if (step === undefined) return true
          const stopPrice = last * factor
          const sp = priceRoundUp(stopPrice, step)
          const gap = priceRoundUp(stopPrice * 0.99, step)
          if (sp <= gap) {
            env.logOnce(`Removed ${pair} from whitelist, because stop price ${sp} would be <= stop limit ${gap}`)
            return false
          }
          return true
        })
      },
    }
  },
})
