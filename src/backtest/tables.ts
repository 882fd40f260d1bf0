import { type Breakdown, breakdownOfTrades, type PeriodicRow, type ResultLine } from '../metrics/index.ts'
import { type BacktestResult, closedTradeOfRow, type StrategyResult } from './result.ts'

/** A boxed text table: title, header row, rows; numbers right-aligned. */
export function textTable(title: string, header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String))
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => '━'.repeat(w + 2)).join(m)}${r}`
  const row = (r: string[], numeric: boolean) =>
    `┃${r.map((c, i) => ` ${numeric && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])} `).join('┃')}┃`
  const total = widths.reduce((a, w) => a + w + 3, 1)
  const pad = Math.max(0, Math.floor((total - title.length) / 2))
  return [
    `${' '.repeat(pad)}${title}`,
    line('┏', '┳', '┓'),
    row(header, false),
    line('┡', '╇', '┩'),
    ...cells.map((r) => row(r, true)),
    line('└', '┴', '┘'),
  ].join('\n')
}

const fmt = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : String(x))

function wdl(l: ResultLine): string {
  const rate = l.trades ? (100 * l.wins) / l.trades : 0
  return `${l.wins} ${l.draws} ${l.losses} ${fmt(rate, 1)}`
}

/** Rows of a per-group table as freqtrade prints them. */
function groupRows(lines: readonly ResultLine[], decimals: number): (string | number)[][] {
  return lines.map((l) => [
    Array.isArray(l.key) ? l.key.join(' ') : String(l.key),
    l.trades,
    fmt(l.profit_mean_pct, 2),
    fmt(l.profit_total_abs, decimals),
    fmt(l.profit_total_pct, 2),
    l.duration_avg,
    wdl(l),
  ])
}

function groupTable(title: string, first: string, lines: readonly ResultLine[], currency: string, decimals: number) {
  return textTable(
    title,
    [
      first,
      'Trades',
      'Avg Profit %',
      `Tot Profit ${currency}`,
      'Tot Profit %',
      'Avg Duration',
      'Win  Draw  Loss  Win%',
    ],
    groupRows(lines, decimals),
  )
}

/** The summary metrics table. */
function summaryTable(name: string, r: StrategyResult): string {
  const cur = r.stake_currency as string
  const dec = r.stake_currency_decimals as number
  const money = (x: unknown) => `${fmt(x as number, dec)} ${cur}`
  const pct = (x: unknown) => `${fmt((x as number) * 100, 2)}%`
  const best = r.best_pair as ResultLine | null
  const worst = r.worst_pair as ResultLine | null
  const rows: [string, string][] = [
    ['Backtesting from', String(r.backtest_start)],
    ['Backtesting to', String(r.backtest_end)],
    ['Trading Mode', 'Spot'],
    ['Max open trades', String(r.max_open_trades)],
    ['Total/Daily Avg Trades', `${r.total_trades} / ${r.trades_per_day}`],
    ['Starting balance', money(r.starting_balance)],
    ['Final balance', money(r.final_balance)],
    ['Absolute profit', money(r.profit_total_abs)],
    ['Total profit %', pct(r.profit_total)],
    ['CAGR %', pct(r.cagr)],
    ['Sortino', fmt(r.sortino as number, 2)],
    ['Sharpe', fmt(r.sharpe as number, 2)],
    ['Calmar', fmt(r.calmar as number, 2)],
    ['SQN', fmt(r.sqn as number, 2)],
    ['Profit factor', fmt(r.profit_factor as number, 2)],
    ['Expectancy (Ratio)', `${fmt(r.expectancy as number, dec)} (${fmt(r.expectancy_ratio as number, 2)})`],
    ['Avg. daily profit', money((r.profit_total_abs as number) / (r.backtest_days as number))],
    ['Avg. stake amount', money(r.avg_stake_amount)],
    ['Total trade volume', money(r.total_volume)],
    ['Best Pair', best ? `${best.key} ${fmt(best.profit_total_pct, 2)}%` : '-'],
    ['Worst Pair', worst ? `${worst.key} ${fmt(worst.profit_total_pct, 2)}%` : '-'],
    ['Best day', money(r.backtest_best_day_abs)],
    ['Worst day', money(r.backtest_worst_day_abs)],
    ['Days win/draw/lose', `${r.winning_days} / ${r.draw_days} / ${r.losing_days}`],
    ['Avg. Duration Winners', String(r.winner_holding_avg)],
    ['Avg. Duration Loser', String(r.loser_holding_avg)],
    ['Max Consecutive Wins / Loss', `${r.max_consecutive_wins} / ${r.max_consecutive_losses}`],
    ['Rejected Entry signals', String(r.rejected_signals)],
    ['Min balance', money(r.csum_min)],
    ['Max balance', money(r.csum_max)],
    ['Max % of account underwater', pct(r.max_relative_drawdown)],
    ['Absolute Drawdown (Account)', pct(r.max_drawdown_account)],
    ['Absolute Drawdown', money(r.max_drawdown_abs)],
    ['Drawdown high', money(r.max_drawdown_high)],
    ['Drawdown low', money(r.max_drawdown_low)],
    ['Drawdown Start', String(r.drawdown_start)],
    ['Drawdown End', String(r.drawdown_end)],
    ['Market change', pct(r.market_change)],
  ]
  return textTable(`SUMMARY METRICS - ${name}`, ['Metric', 'Value'], rows)
}

/**
 * A periodic breakdown table, freqtrade's `--breakdown`: one row per day, week, month or year with closed trades, or per
 * day of the week.
 */
function breakdownTable(name: string, r: StrategyResult, period: Breakdown): string {
  // a result stored before this breakdown existed (weekday, older files): computed from its trades, as freqtrade does
  const stored = (r.periodic_breakdown as Record<string, PeriodicRow[]> | undefined)?.[period]
  const rows = (stored ?? breakdownOfTrades(r.trades.map(closedTradeOfRow), period)).map((d) => [
    String(d.date),
    d.trades,
    fmt(d.profit_abs, r.stake_currency_decimals as number),
    fmt(d.profit_factor, 2),
    `${d.wins} ${d.draws} ${d.losses} ${fmt(d.trades ? (100 * d.wins) / d.trades : 0, 1)}`,
  ])
  return textTable(
    `${period.toUpperCase()} BREAKDOWN - ${name}`,
    [
      period[0].toUpperCase() + period.slice(1),
      'Trades',
      `Tot Profit ${r.stake_currency}`,
      'Profit Factor',
      'Win  Draw  Loss  Win%',
    ],
    rows,
  )
}

/**
 * All tables of a result, as `tern backtesting` and `tern backtesting-show` print them; `breakdown` adds freqtrade's
 * periodic breakdown tables (`--breakdown day week month year`).
 */
export function formatBacktestResult(result: BacktestResult, opts: { breakdown?: readonly Breakdown[] } = {}): string {
  const out: string[] = []
  for (const [name, r] of Object.entries(result.strategy)) {
    const cur = r.stake_currency as string
    const dec = r.stake_currency_decimals as number
    out.push(groupTable(`BACKTESTING REPORT - ${name}`, 'Pair', r.results_per_pair, cur, dec))
    out.push(groupTable('LEFT OPEN TRADES REPORT', 'Pair', r.left_open_trades as ResultLine[], cur, dec))
    out.push(groupTable(`ENTER TAG STATS - ${name}`, 'Enter Tag', r.results_per_enter_tag as ResultLine[], cur, dec))
    out.push(groupTable(`EXIT REASON STATS - ${name}`, 'Exit Reason', r.exit_reason_summary as ResultLine[], cur, dec))
    out.push(
      groupTable(`MIXED TAG STATS - ${name}`, 'Enter Tag Exit Reason', r.mix_tag_stats as ResultLine[], cur, dec),
    )
    for (const period of opts.breakdown ?? []) out.push(breakdownTable(name, r, period))
    out.push(summaryTable(name, r))
  }
  if (result.strategy_comparison.length > 1) {
    const first = Object.values(result.strategy)[0]
    const cur = (first?.stake_currency as string) ?? ''
    const dec = (first?.stake_currency_decimals as number) ?? 8
    out.push(
      textTable(
        'STRATEGY SUMMARY',
        [
          'Strategy',
          'Trades',
          'Avg Profit %',
          `Tot Profit ${cur}`,
          'Tot Profit %',
          'Avg Duration',
          'Win  Draw  Loss  Win%',
          'Drawdown',
        ],
        result.strategy_comparison.map((l) => [
          ...groupRows([l], dec)[0],
          `${fmt(l.max_drawdown_abs, dec)} ${cur} ${fmt(l.max_drawdown_account * 100, 2)}%`,
        ]),
      ),
    )
  }
  return out.join('\n\n')
}
