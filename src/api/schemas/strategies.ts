import { type Static, t } from 'elysia'

export const StrategyList = t.Object({
  strategies: t.Array(t.String(), { description: 'names of every strategy found, sorted' }),
})
export type StrategyList = Static<typeof StrategyList>

export const StrategyParams = t.Object({ strategy: t.String() })

export const StrategyDetail = t.Object({
  strategy: t.String(),
  code: t.String({ description: 'full source text of the strategy file' }),
  timeframe: t.Union([t.String(), t.Null()]),
})
export type StrategyDetail = Static<typeof StrategyDetail>

export const PlotConfigQuery = t.Object({
  strategy: t.Optional(t.String({ description: "a strategy to load; absent = the bot's strategy (trade mode)" })),
})

const Indicator = t.Object(
  {
    color: t.Optional(t.String({ description: 'CSS colour' })),
    type: t.Optional(t.String({ description: 'line | bar | scatter' })),
    fill_to: t.Optional(t.String({ description: 'column to shade the area to' })),
    scatterSymbolSize: t.Optional(t.Number()),
  },
  { additionalProperties: true },
)

/** freqtrade's `plot_config`: `{}` when the strategy defines none. */
export const PlotConfigResponse = t.Object(
  {
    main_plot: t.Optional(t.Record(t.String(), Indicator)),
    subplots: t.Optional(t.Record(t.String(), t.Record(t.String(), Indicator))),
    options: t.Optional(
      t.Object(
        { showTags: t.Optional(t.Boolean()), markAreaZIndex: t.Optional(t.Number()) },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
)
export type PlotConfigResponse = Static<typeof PlotConfigResponse>
