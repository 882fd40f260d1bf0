import { Type } from '@sinclair/typebox'
import { definePairList } from '../../src/plugins/define.ts'

/** Drops the first `offset` pairs and keeps at most `number_assets` (0 = all) of the rest. */
export default definePairList({
  name: 'OffsetFilter',
  description: 'Offset pair list filter.',
  isGenerator: false,
  needsTickers: false,
  needsCandles: false,
  config: Type.Object({
    offset: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'Offset',
      help: 'Offset of the pairlist.',
    }),
    number_assets: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'Number of assets',
      help: 'Number of assets to use from the pairlist, starting from offset (0 = all).',
    }),
  }),
  create(cfg, env) {
    return {
      describe: () =>
        cfg.number_assets
          ? `Taking ${cfg.number_assets} pairs, starting from ${cfg.offset}.`
          : `Offsetting pairs by ${cfg.offset}.`,
      filter(pairs) {
        if (cfg.offset > pairs.length) {
          env.logOnce(`Offset of ${cfg.offset} is larger than pair count of ${pairs.length}`, 'warn')
        }
        const rest = pairs.slice(cfg.offset)
        return cfg.number_assets ? rest.slice(0, cfg.number_assets) : rest
      },
    }
  },
})
