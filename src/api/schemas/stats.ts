import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'

/** `/profit` (§9.1). */
export const Profit = t.Object({
  profit_closed_coin: t.Number(),
  profit_closed_percent_mean: t.Number(),
  profit_closed_ratio_mean: t.Number(),
  profit_closed_percent_sum: t.Number(),
  profit_closed_ratio_sum: t.Number(),
  profit_closed_percent: t.Number(),
  profit_closed_ratio: t.Number(),
  profit_closed_fiat: t.Number(),
  profit_all_coin: t.Number(),
  profit_all_percent_mean: t.Number(),
  profit_all_ratio_mean: t.Number(),
  profit_all_percent_sum: t.Number(),
  profit_all_ratio_sum: t.Number(),
  profit_all_percent: t.Number(),
  profit_all_ratio: t.Number(),
  profit_all_fiat: t.Number(),
  trade_count: Type.Integer(),
  closed_trade_count: Type.Integer(),
  first_trade_date: t.String(),
  first_trade_humanized: t.String(),
  first_trade_timestamp: Type.Integer(),
  latest_trade_date: t.String(),
  latest_trade_humanized: t.String(),
  latest_trade_timestamp: Type.Integer(),
  avg_duration: t.String({ description: "'H:MM:SS' or 'N day(s), H:MM:SS'" }),
  best_pair: t.String(),
  best_rate: t.Number(),
  best_pair_profit_ratio: t.Number(),
  winning_trades: Type.Integer(),
  losing_trades: Type.Integer(),
  profit_factor: t.Union([t.Number(), t.Null()], { description: 'null without losses (infinite)' }),
  winrate: t.Number(),
  expectancy: t.Number(),
  expectancy_ratio: t.Number(),
  max_drawdown: t.Number(),
  max_drawdown_abs: t.Number(),
  max_drawdown_start: t.String(),
  max_drawdown_start_timestamp: Type.Integer(),
  max_drawdown_end: t.String(),
  max_drawdown_end_timestamp: Type.Integer(),
  trading_volume: t.Number(),
  bot_start_timestamp: Type.Integer(),
  bot_start_date: t.String(),
})
export type Profit = Static<typeof Profit>

/** One row of `/performance` (§9.2). */
export const PerformanceRow = t.Object({
  pair: t.String(),
  profit: t.Number({ description: 'percent, 2 decimals (= profit_pct)' }),
  profit_pct: t.Number(),
  profit_ratio: t.Number({ description: 'sum of the trades’ ratios' }),
  profit_abs: t.Number(),
  count: Type.Integer(),
})
export type PerformanceRow = Static<typeof PerformanceRow>

const groupSums = {
  profit: t.Number({ description: 'percent, 2 decimals (= profit_pct)' }),
  profit_ratio: t.Number({ description: 'sum of the trades’ ratios' }),
  profit_pct: t.Number(),
  profit_abs: t.Number(),
  count: Type.Integer(),
}

/** `/entries`, `/exits`, `/mix_tags` rows (§9.3–9.5): closed trades grouped by tag. */
export const EntryRow = t.Object({ enter_tag: t.String(), ...groupSums })
export const ExitRow = t.Object({ exit_reason: t.String(), ...groupSums })
export const MixTagRow = t.Object({ mix_tag: t.String(), ...groupSums })
export type EntryRow = Static<typeof EntryRow>
export type ExitRow = Static<typeof ExitRow>
export type MixTagRow = Static<typeof MixTagRow>

/** `/stats` (§9.6). */
export const Stats = t.Object({
  exit_reasons: t.Record(t.String(), t.Object({ wins: Type.Integer(), losses: Type.Integer(), draws: Type.Integer() })),
  durations: t.Object({
    wins: t.Union([t.Number(), t.Null()], { description: 'mean seconds' }),
    draws: t.Union([t.Number(), t.Null()]),
    losses: t.Union([t.Number(), t.Null()]),
  }),
})
export type Stats = Static<typeof Stats>

/** `/daily`, `/weekly`, `/monthly` (§9.7). */
export const PeriodicProfit = t.Object({
  data: t.Array(
    t.Object({
      date: t.String({ description: 'YYYY-MM-DD, the period start' }),
      abs_profit: t.Number(),
      starting_balance: t.Number(),
      rel_profit: t.Number(),
      fiat_value: t.Number(),
      trade_count: Type.Integer(),
    }),
  ),
  fiat_display_currency: t.String(),
  stake_currency: t.String(),
})
export type PeriodicProfit = Static<typeof PeriodicProfit>

/** `/balance` (§9.8). */
export const Balance = t.Object({
  currencies: t.Array(
    t.Object({
      currency: t.String(),
      free: t.Number(),
      balance: t.Number(),
      used: t.Number(),
      bot_owned: t.Union([t.Number(), t.Null()]),
      est_stake: t.Number(),
      est_stake_bot: t.Number(),
      stake: t.String(),
      side: t.String(),
      position: t.Number(),
      is_position: t.Boolean(),
      is_bot_managed: t.Boolean(),
    }),
  ),
  total: t.Number(),
  total_bot: t.Number(),
  symbol: t.String(),
  value: t.Number(),
  value_bot: t.Number(),
  stake: t.String(),
  note: t.String(),
  starting_capital: t.Number(),
  starting_capital_ratio: t.Number(),
  starting_capital_pct: t.Number(),
  starting_capital_fiat: t.Number(),
  starting_capital_fiat_ratio: t.Number(),
  starting_capital_fiat_pct: t.Number(),
})
export type Balance = Static<typeof Balance>
