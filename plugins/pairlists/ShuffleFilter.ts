import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'
import { timeframeToMs } from '../../src/util/dates.ts'

/** mulberry32: a small seeded generator, so a seeded shuffle gives the same order on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Shuffles the list (Fisher-Yates), so pairs are not always considered in the same order. With `shuffle_frequency:
 * candle` the order holds for one candle of the strategy's timeframe; with `iteration` it changes on every refresh.
 * A backtest without a seed uses seed 42, so its results repeat.
 */
export default definePairList({
  name: 'ShuffleFilter',
  description: 'Randomize pairlist order.',
  isGenerator: false,
  needsTickers: false,
  needsCandles: false,
  config: Type.Object({
    shuffle_frequency: Type.Union([Type.Literal('candle'), Type.Literal('iteration')], {
      default: 'candle',
      description: 'Shuffle frequency',
      help: "Shuffle frequency. Can be either 'candle' or 'iteration'.",
    }),
    seed: Type.Optional(
      Type.Integer({ description: 'Random Seed', help: 'Seed for random number generator; unseeded when not set.' }),
    ),
  }),
  create(cfg, env) {
    const seed = cfg.seed ?? (env.backtest ? 42 : crypto.getRandomValues(new Uint32Array(1))[0])
    const random = seededRandom(seed as number)
    const candleMs = env.timeframe ? timeframeToMs(env.timeframe) : 0
    let last: { key: string; candle: number; out: string[] } | undefined
    return {
      describe: () =>
        `Shuffling pairs every ${cfg.shuffle_frequency}${cfg.seed === undefined ? '' : `, seed ${cfg.seed}`}.`,
      filter(pairs, ctx) {
        const key = pairs.join(',')
        const candle = candleMs > 0 ? Math.floor(ctx.nowMs / candleMs) : ctx.nowMs
        if (cfg.shuffle_frequency === 'candle' && last && last.key === key && last.candle === candle)
          return [...last.out]
        const out = [...pairs]
        for (let i = out.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1))
          ;[out[i], out[j]] = [out[j] as string, out[i] as string]
        }
        last = { key, candle, out }
        return [...out]
      },
    }
  },
})
