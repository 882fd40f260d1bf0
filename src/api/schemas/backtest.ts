import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'
import { Nullable } from './common.ts'

export const BacktestRequest = t.Object({
  strategy: t.String({ minLength: 1 }),
  enable_protections: t.Boolean(),
  timeframe: t.Optional(Nullable(t.String())),
  timeframe_detail: t.Optional(Nullable(t.String())),
  timerange: t.Optional(Nullable(t.String())),
  max_open_trades: t.Optional(Nullable(t.Integer())),
  stake_amount: t.Optional(Nullable(t.Union([t.String(), t.Number()]))),
  dry_run_wallet: t.Optional(Nullable(t.Number())),
  backtest_cache: t.Optional(Nullable(t.String())),
  freqaimodel: t.Optional(Nullable(t.String())),
  freqai: t.Optional(Nullable(t.Object({ identifier: t.String() }, { additionalProperties: true }))),
})

/** freqtrade's backtest result object (§12.8.4); the per-strategy contents are described in the contract. */
export const BacktestResultBody = t.Object(
  {
    metadata: t.Record(t.String(), t.Record(t.String(), t.Unknown())),
    strategy: t.Record(t.String(), t.Record(t.String(), t.Unknown())),
    strategy_comparison: t.Array(t.Record(t.String(), t.Unknown())),
  },
  { additionalProperties: true },
)
export type BacktestResultBody = Static<typeof BacktestResultBody>

export const BacktestStatus = t.Object({
  status: t.String({ description: 'running | not_started | error | ended | reset | stopping | not_running' }),
  running: t.Boolean(),
  status_msg: t.String(),
  step: t.String(),
  progress: t.Number(),
  trade_count: Nullable(t.Number()),
  backtest_result: Nullable(BacktestResultBody),
})

export const BacktestHistoryEntry = t.Object({
  filename: t.String(),
  strategy: t.String(),
  run_id: t.String(),
  backtest_start_time: Type.Integer(),
  notes: t.String(),
  backtest_start_ts: Nullable(Type.Integer()),
  backtest_end_ts: Nullable(Type.Integer()),
  timeframe: Nullable(t.String()),
  timeframe_detail: Nullable(t.String()),
})

export const BacktestNotes = t.Object({ strategy: t.String(), notes: t.Optional(t.String({ default: '' })) })

export const MarketChange = t.Object({
  columns: t.Array(t.String()),
  length: Type.Integer(),
  data: t.Array(t.Tuple([t.String(), t.Number(), t.Number(), t.Number(), t.Number()])),
})
