import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'
import { Nullable } from './common.ts'

export const Ping = t.Object({ status: t.Literal('pong') })
export const Version = t.Object({ version: t.String() })

export const ShowConfig = t.Object({
  version: t.String(),
  strategy_version: Nullable(t.String()),
  api_version: t.Number({ description: 'advertised REST API version; 2.4 (freqtrade 2.40)' }),
  dry_run: t.Boolean(),
  trading_mode: t.String(),
  short_allowed: t.Boolean(),
  stake_currency: t.String(),
  stake_amount: t.String({ description: '"unlimited" or the number as a string' }),
  available_capital: Nullable(t.Number()),
  stake_currency_decimals: Type.Integer(),
  max_open_trades: Type.Integer({ description: '-1 when unlimited; 0 after /stopentry' }),
  minimal_roi: t.Record(t.String(), t.Number()),
  stoploss: Nullable(t.Number()),
  stoploss_on_exchange: t.Boolean(),
  trailing_stop: Nullable(t.Boolean()),
  trailing_stop_positive: Nullable(t.Number()),
  trailing_stop_positive_offset: Nullable(t.Number()),
  trailing_only_offset_is_reached: Nullable(t.Boolean()),
  unfilledtimeout: Nullable(
    t.Object({
      entry: Nullable(Type.Integer()),
      exit: Nullable(Type.Integer()),
      unit: Nullable(t.String()),
      exit_timeout_count: Nullable(Type.Integer()),
    }),
  ),
  order_types: Nullable(
    t.Object({
      entry: t.String(),
      exit: t.String(),
      emergency_exit: Nullable(t.String()),
      force_exit: Nullable(t.String()),
      force_entry: Nullable(t.String()),
      stoploss: t.String(),
      stoploss_on_exchange: t.Boolean(),
      stoploss_on_exchange_interval: Nullable(Type.Integer()),
    }),
  ),
  use_custom_stoploss: Nullable(t.Boolean()),
  timeframe: Nullable(t.String()),
  timeframe_ms: Type.Integer(),
  timeframe_min: Type.Integer(),
  exchange: t.String(),
  strategy: Nullable(t.String()),
  force_entry_enable: t.Boolean(),
  exit_pricing: t.Record(t.String(), t.Unknown()),
  entry_pricing: t.Record(t.String(), t.Unknown()),
  bot_name: t.String(),
  state: t.String({ description: 'running | paused | stopped | reload_config; "" in webserver mode' }),
  runmode: t.String({ description: 'live | dry_run | webserver' }),
  position_adjustment_enable: t.Boolean(),
  max_entry_position_adjustment: Type.Integer(),
})
export type ShowConfig = Static<typeof ShowConfig>

export const SysInfo = t.Object({
  cpu_pct: t.Array(t.Number(), { description: 'per-core CPU use in percent over about one second' }),
  ram_pct: t.Number({ description: 'system memory in use, percent' }),
})
export type SysInfo = Static<typeof SysInfo>

export const Health = t.Object({
  last_process: Nullable(t.String({ description: 'ISO time of the last completed bot iteration' })),
  last_process_ts: Nullable(Type.Integer({ description: 'same, in seconds' })),
  bot_start: Nullable(t.String()),
  bot_start_ts: Nullable(Type.Integer()),
  bot_startup: Nullable(t.String()),
  bot_startup_ts: Nullable(Type.Integer()),
})
export type Health = Static<typeof Health>

export const LogsQuery = t.Object({
  limit: t.Optional(t.Integer({ description: 'newest N records; absent = the whole buffer; 0 or less = none' })),
})

export const Logs = t.Object({
  log_count: Type.Integer(),
  logs: t.Array(
    t.Tuple([
      t.String({ description: 'local time YYYY-MM-DD HH:MM:SS' }),
      t.Number({ description: 'epoch ms' }),
      t.String({ description: 'logger name' }),
      t.String({ description: 'DEBUG | INFO | WARNING | ERROR | CRITICAL' }),
      t.String(),
    ]),
  ),
})
export type Logs = Static<typeof Logs>
