import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'

/** A timeframe such as `5m`, `1h`, `1d`, `1M`. */
const Timeframe = t.String({ pattern: '^[1-9][0-9]*[smhdwM]$', description: 'candle length, e.g. 5m, 1h, 1d' })

const Columns = t.Union([t.Array(t.String()), t.Null()], {
  description: 'columns to return besides the mandatory ones; null = all columns',
})

export const PairCandlesQuery = t.Object({
  pair: t.String(),
  timeframe: Timeframe,
  limit: t.Optional(t.Integer({ description: 'only the newest N rows; absent or 0 = all' })),
})

export const PairCandlesBody = t.Object({
  pair: t.String(),
  timeframe: Timeframe,
  limit: t.Optional(t.Union([t.Integer(), t.Null()])),
  columns: t.Optional(Columns),
})
export type PairCandlesRequest = Static<typeof PairCandlesBody>

export const PairHistoryQuery = t.Object({
  pair: t.String(),
  timeframe: Timeframe,
  timerange: t.String({
    description: 'YYYYMMDD-YYYYMMDD, YYYYMMDD-, -YYYYMMDD (or epoch seconds/ms); empty = all data',
  }),
  strategy: t.String(),
  freqaimodel: t.Optional(t.String({ description: 'accepted and ignored (no FreqAI)' })),
})

export const PairHistoryBody = t.Object({
  pair: t.String(),
  timeframe: Timeframe,
  timerange: t.String(),
  strategy: t.String(),
  freqaimodel: t.Optional(t.Union([t.String(), t.Null()])),
  limit: t.Optional(t.Union([t.Integer(), t.Null()], { description: 'accepted and ignored' })),
  columns: t.Optional(Columns),
})
export type PairHistoryRequest = Static<typeof PairHistoryBody>

const Cell = t.Union([t.String(), t.Number(), t.Boolean(), t.Null()])

/** The dataframe object of `/pair_candles` and `/pair_history` (§14). */
export const DataFrameResponse = t.Object(
  {
    strategy: t.String(),
    pair: t.String(),
    timeframe: t.String(),
    timeframe_ms: Type.Integer(),
    columns: t.Array(t.String(), { description: 'names of the cells of every row' }),
    all_columns: t.Array(t.String(), { description: 'every column of the analysed frame, before filtering' }),
    data: t.Array(t.Array(Cell), { description: 'one row per candle, oldest first' }),
    length: Type.Integer(),
    buy_signals: Type.Integer(),
    sell_signals: Type.Integer(),
    enter_long_signals: Type.Integer(),
    exit_long_signals: Type.Integer(),
    enter_short_signals: Type.Integer(),
    exit_short_signals: Type.Integer(),
    last_analyzed: t.String({ description: 'ISO-8601 UTC' }),
    last_analyzed_ts: Type.Integer({ description: 'seconds' }),
    data_start: t.String({ description: 'YYYY-MM-DD HH:MM:SS+00:00; "" when empty' }),
    data_start_ts: Type.Integer({ description: 'ms; 0 when empty' }),
    data_stop: t.String(),
    data_stop_ts: Type.Integer(),
  },
  { description: 'a column-oriented table: `columns` names the cells of every row of `data`' },
)
export type DataFrameResponse = Static<typeof DataFrameResponse>

export const CandleTypeParam = t.Union(
  (['spot', 'futures', 'mark', 'index', 'premiumIndex', 'funding_rate'] as const).map((c) => t.Literal(c)),
)

export const AvailablePairsQuery = t.Object({
  timeframe: t.Optional(t.String()),
  stake_currency: t.Optional(t.String()),
  candletype: t.Optional(CandleTypeParam),
})

export const AvailablePairs = t.Object({
  length: Type.Integer(),
  pairs: t.Array(t.String()),
  pair_interval: t.Array(t.Tuple([t.String(), t.String(), t.String()]), {
    description: '[pair, timeframe, candle type] per stored dataset',
  }),
})
export type AvailablePairs = Static<typeof AvailablePairs>
