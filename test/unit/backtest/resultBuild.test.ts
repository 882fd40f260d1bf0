import { describe, expect, test } from 'bun:test'
import { buildStrategyResult, type StrategyResultInput } from '../../../src/backtest/result.ts'
import { SimTrade } from '../../../src/backtest/simulate.ts'
import type { StrategySettings } from '../../../src/strategy/settings.ts'

const H = 3_600_000
const T0 = Date.UTC(2024, 0, 1)

/** A fee-free trade of 1 unit bought at 100: the profit is the close price − 100. */
function closedTrade(id: number, pair: string, openMs: number, closeMs: number, rate: number, reason: string) {
  const t = new SimTrade({ id, pair, openDateMs: openMs, openRate: 100, amount: 1, feeOpen: 0, feeClose: 0 }, 0)
  t.addOrder('buy', 1, 100, openMs, undefined).fill(openMs)
  t.close(rate, closeMs, reason)
  t.addOrder('sell', 1, rate, closeMs, reason).fill(closeMs)
  return t
}

const settings = {
  timeframe: '5m',
  minimalRoi: { 0: 0.1 },
  stoploss: -0.1,
  trailingStop: false,
  trailingStopPositive: undefined,
  trailingStopPositiveOffset: 0,
  trailingOnlyOffsetIsReached: false,
  useExitSignal: true,
  exitProfitOnly: false,
  ignoreRoiIfEntrySignal: false,
  useCustomStoploss: false,
  startupCandleCount: 0,
  processOnlyNewCandles: true,
} as unknown as StrategySettings

function input(trades: SimTrade[]): StrategyResultInput {
  return {
    strategyName: 'S',
    trades,
    pairlist: ['A/USDT', 'B/USDT'],
    settings,
    startMs: T0,
    endMs: T0 + 3 * 24 * H,
    runStartS: 1,
    runEndS: 2,
    startingBalance: 1000,
    finalBalance: 1007,
    rejectedSignals: 0,
    marketChange: 0,
    stakeAmount: 'unlimited',
    stakeCurrency: 'USDT',
    maxOpenTrades: 2,
    enableProtections: false,
    exitProfitOffset: 0,
    tradingMode: 'spot',
    marginMode: '',
  }
}

describe('buildStrategyResult', () => {
  // +10 (A, roi), −5 (B, stop_loss, with a cancelled extra order), +2 (A, left open until the end)
  const a = closedTrade(1, 'A/USDT', T0, T0 + H, 110, 'roi')
  const b = closedTrade(2, 'B/USDT', T0 + 2 * H, T0 + 24 * H, 95, 'stop_loss')
  b.addOrder('sell', 1, 99, T0 + 3 * H, 'exit_signal').status = 'canceled'
  const c = closedTrade(3, 'A/USDT', T0 + 24 * H, T0 + 48 * H, 102, 'force_exit')
  const r = buildStrategyResult(input([a, b, c]))

  test("keys in freqtrade's order", () => {
    expect(Object.keys(r)).toEqual([
      ...['trades', 'locks', 'best_pair', 'worst_pair', 'results_per_pair', 'results_per_enter_tag'],
      ...['exit_reason_summary', 'mix_tag_stats', 'left_open_trades', 'total_trades', 'trade_count_long'],
      ...['trade_count_short', 'total_volume', 'avg_stake_amount', 'profit_mean', 'profit_median', 'profit_total'],
      ...['profit_total_long', 'profit_total_short', 'profit_total_abs', 'profit_total_long_abs'],
      ...['profit_total_short_abs', 'cagr', 'expectancy', 'expectancy_ratio', 'sortino', 'sharpe', 'calmar', 'sqn'],
      ...['profit_factor', 'backtest_start', 'backtest_start_ts', 'backtest_end', 'backtest_end_ts', 'backtest_days'],
      ...['backtest_run_start_ts', 'backtest_run_end_ts', 'trades_per_day', 'market_change', 'pairlist'],
      ...['stake_amount', 'stake_currency', 'stake_currency_decimals', 'starting_balance', 'dry_run_wallet'],
      ...['final_balance', 'rejected_signals', 'timedout_entry_orders', 'timedout_exit_orders'],
      ...['canceled_trade_entries', 'canceled_entry_orders', 'replaced_entry_orders', 'max_open_trades'],
      ...['max_open_trades_setting', 'timeframe', 'timeframe_detail', 'timerange', 'enable_protections'],
      ...['strategy_name', 'stoploss', 'trailing_stop', 'trailing_stop_positive', 'trailing_stop_positive_offset'],
      ...['trailing_only_offset_is_reached', 'use_custom_stoploss', 'minimal_roi', 'use_exit_signal'],
      ...['exit_profit_only', 'exit_profit_offset', 'ignore_roi_if_entry_signal', 'trading_mode', 'margin_mode'],
      ...['periodic_breakdown', 'backtest_best_day', 'backtest_worst_day', 'backtest_best_day_abs'],
      ...['backtest_worst_day_abs', 'winning_days', 'draw_days', 'losing_days', 'daily_profit', 'wins', 'losses'],
      ...['draws', 'winrate', 'holding_avg', 'holding_avg_s', 'winner_holding_min', 'winner_holding_min_s'],
      ...['winner_holding_max', 'winner_holding_max_s', 'winner_holding_avg', 'winner_holding_avg_s'],
      ...['loser_holding_min', 'loser_holding_min_s', 'loser_holding_max', 'loser_holding_max_s'],
      ...['loser_holding_avg', 'loser_holding_avg_s', 'max_consecutive_wins', 'max_consecutive_losses'],
      ...['max_drawdown', 'max_drawdown_account', 'max_relative_drawdown', 'max_drawdown_abs', 'drawdown_start'],
      ...['drawdown_start_ts', 'drawdown_end', 'drawdown_end_ts', 'max_drawdown_low', 'max_drawdown_high'],
      ...['csum_min', 'csum_max'],
    ])
  })

  test('trade rows: dates as freqtrade writes them, only filled orders', () => {
    expect(r.trades.map((t) => [t.open_date, t.close_date, t.profit_abs, t.trade_duration])).toEqual([
      ['2024-01-01 00:00:00+00:00', '2024-01-01 01:00:00+00:00', 10, 60],
      ['2024-01-01 02:00:00+00:00', '2024-01-02 00:00:00+00:00', -5, 22 * 60],
      ['2024-01-02 00:00:00+00:00', '2024-01-03 00:00:00+00:00', 2, 24 * 60],
    ])
    expect((r.trades[1].orders as Record<string, unknown>[]).map((o) => [o.ft_order_side, o.cost])).toEqual([
      ['buy', 100],
      ['sell', 95],
    ])
  })

  test('tables: per pair, per exit reason, left open; one TOTAL everywhere', () => {
    expect(r.results_per_pair.map((l) => [l.key, l.profit_total_abs, l.trades])).toEqual([
      ['A/USDT', 12, 2],
      ['B/USDT', -5, 1],
      ['TOTAL', 7, 3],
    ])
    const total = r.results_per_pair[2]
    const exits = r.exit_reason_summary as Record<string, unknown>[]
    expect(exits.map((l) => [l.exit_reason, l.profit_total_abs])).toEqual([
      ['roi', 10],
      ['force_exit', 2],
      ['stop_loss', -5],
      ['TOTAL', 7],
    ])
    expect(exits[3]).toEqual({ exit_reason: 'TOTAL', ...total })
    expect(r.results_per_enter_tag).toEqual([total])
    expect((r.results_per_enter_tag as unknown[])[0]).not.toBe(total) // a copy, not the same object
    const open = r.left_open_trades as Record<string, unknown>[]
    expect(open.map((l) => [l.key, l.profit_total_abs])).toEqual([
      ['A/USDT', 2],
      ['TOTAL', 2],
    ])
  })

  test('totals, median, drawdown (cumulative 10, 5, 7 on 1000) and days', () => {
    expect([r.total_volume, r.avg_stake_amount, r.profit_total_abs, r.profit_total]).toEqual([300, 100, 7, 0.007])
    expect(r.profit_median).toBe(0.02) // ratios 0.1, −0.05, 0.02
    expect(r.profit_factor).toBe(12 / 5)
    expect([r.max_drawdown_abs, r.max_drawdown_account]).toEqual([5, 5 / 1010])
    expect([r.drawdown_start, r.drawdown_end]).toEqual(['2024-01-01 01:00:00', '2024-01-02 00:00:00'])
    expect([r.max_drawdown_high, r.max_drawdown_low, r.csum_min, r.csum_max]).toEqual([10, 5, 1005, 1010])
    expect(r.daily_profit).toEqual([
      ['2024-01-01', 10],
      ['2024-01-02', -5],
      ['2024-01-03', 2],
    ])
    expect([r.winning_days, r.losing_days, r.backtest_days, r.trades_per_day]).toEqual([2, 1, 3, 1])
  })

  test('no trades: zero tables, the epoch as drawdown dates', () => {
    const e = buildStrategyResult(input([]))
    expect(e.results_per_pair.map((l) => [l.key, l.trades])).toEqual([
      ['A/USDT', 0],
      ['B/USDT', 0],
      ['TOTAL', 0],
    ])
    expect([e.profit_median, e.total_volume, e.drawdown_start, e.csum_min]).toEqual([0, 0, '1970-01-01 00:00:00', 0])
    expect(e.periodic_breakdown).toEqual({ day: [], week: [], month: [], year: [], weekday: [] })
    expect(e.daily_profit).toEqual([])
  })
})
