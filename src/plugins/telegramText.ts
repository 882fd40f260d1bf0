/** Plain-text messages of the telegram notifier: events and command answers, worded as freqtrade's. */
import type { BotEvent } from './events.ts'
import type {
  BalanceView,
  CountView,
  DailyView,
  LockView,
  OpenTradeView,
  PerformanceRow,
  ProfitView,
} from './telegramCommands.ts'

const pct = (ratio: number | null | undefined, digits = 2) => `${((ratio ?? 0) * 100).toFixed(digits)}%`
const num = (v: number | null | undefined, digits = 8) => (v == null ? 'N/A' : String(Number(v.toFixed(digits))))

export function eventText(e: BotEvent): string {
  switch (e.type) {
    case 'entry':
    case 'entry_fill': {
      const head =
        e.type === 'entry'
          ? `🔵 ${e.exchange}: Entering ${e.pair} (#${e.trade_id})`
          : `🟢 ${e.exchange}: Entered ${e.pair} (#${e.trade_id})`
      return [
        head,
        ...(e.enter_tag ? [`Enter Tag: ${e.enter_tag}`] : []),
        `Amount: ${num(e.amount)}`,
        `Direction: ${e.direction}`,
        `Open Rate: ${num(e.open_rate)} ${e.quote_currency}`,
        ...(e.current_rate != null && e.type === 'entry' ? [`Current Rate: ${num(e.current_rate)}`] : []),
        `Total: ${num(e.stake_amount)} ${e.stake_currency}`,
      ].join('\n')
    }
    case 'entry_cancel':
      return `⚠ ${e.exchange}: Cancelling enter Order for ${e.pair} (#${e.trade_id}). Reason: ${e.reason}.`
    case 'exit':
    case 'exit_fill': {
      const icon =
        e.profit_ratio >= 0.05 ? '🚀' : e.profit_ratio >= 0 ? '✳' : e.exit_reason === 'stop_loss' ? '⚠' : '❌'
      const verb = e.type === 'exit' ? 'Exiting' : 'Exited'
      return [
        `${icon} ${e.exchange}: ${verb} ${e.pair} (#${e.trade_id})`,
        `${e.type === 'exit' ? 'Unrealized' : 'Realized'} Profit: ${pct(e.profit_ratio)} (${num(e.profit_amount)} ${e.stake_currency})`,
        ...(e.enter_tag ? [`Enter Tag: ${e.enter_tag}`] : []),
        `Exit Reason: ${e.exit_reason}`,
        `Direction: ${e.direction}`,
        `Amount: ${num(e.amount)}`,
        `Open Rate: ${num(e.open_rate)} ${e.quote_currency}`,
        `Exit Rate: ${num(e.close_rate)} ${e.quote_currency}`,
        `Duration: ${duration(e.close_date.getTime() - e.open_date.getTime())}`,
      ].join('\n')
    }
    case 'exit_cancel':
      return `⚠ ${e.exchange}: Cancelling exit Order for ${e.pair} (#${e.trade_id}). Reason: ${e.reason}.`
    case 'protection_trigger':
      return `Protection triggered due to ${e.reason}. ${e.pair} will be locked until ${e.lock_end_time}.`
    case 'protection_trigger_global':
      return `Protection triggered due to ${e.reason}. All pairs will be locked until ${e.lock_end_time}.`
    case 'warning':
      return `⚠ Warning: ${e.status}`
    default:
      return e.status
  }
}

/** Python timedelta style: `1 day, 2:03:04` or `0:05:00`. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86400)
  const h = Math.floor((total % 86400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms
}

/** `Number of Entries` / `Number of Exits` / `Realized Profit` lines, for a trade with more than one entry or an exit. */
function filledCounts(t: OpenTradeView): string[] {
  let entries = 0
  let exits = 0
  for (const o of t.orders ?? []) {
    if (!((o.filled ?? 0) > 0)) continue
    // as freqtrade's nr_of_successful_entries / _exits: stop-loss orders are neither
    if (o.ft_order_side === 'buy') entries++
    else if (o.ft_order_side === 'sell') exits++
  }
  if (entries <= 1 && exits === 0) return []
  return [
    `Number of Entries: ${entries}`,
    ...(exits > 0 ? [`Number of Exits: ${exits}`, `Realized Profit: ${num(t.realized_profit ?? 0)}`] : []),
  ]
}

export function statusText(trades: OpenTradeView[]): string {
  if (trades.length === 0) return 'No active trade'
  return trades
    .map((t) =>
      [
        `Trade ID: ${t.trade_id}`,
        `Pair: ${t.pair}`,
        `Direction: ${t.is_short ? 'Short' : 'Long'}`,
        ...(t.enter_tag ? [`Enter Tag: ${t.enter_tag}`] : []),
        `Amount: ${num(t.amount)} (${num(t.stake_amount)} stake)`,
        `Open Rate: ${num(t.open_rate)}`,
        // a position adjusted by additions or partial exits, as freqtrade's /status tells it
        ...filledCounts(t),
        `Open Date: ${t.open_date}`,
        `Current Rate: ${num(t.current_rate)}`,
        `Current Profit: ${pct(t.profit_ratio)} (${num(t.profit_abs)})`,
        ...(t.stop_loss_abs != null ? [`Stoploss: ${num(t.stop_loss_abs)}`] : []),
      ].join('\n'),
    )
    .join('\n\n')
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()
  return [line(head), ...rows.map(line)].join('\n')
}

export function statusTableText(trades: OpenTradeView[]): string {
  if (trades.length === 0) return 'No active trade'
  return table(
    ['ID', 'Pair', 'Since', 'Profit'],
    trades.map((t) => [`${t.trade_id}${t.is_short ? ' S' : ''}`, t.pair, t.open_date, pct(t.profit_ratio)]),
  )
}

export function profitText(p: ProfitView, stake: string): string {
  if (p.trade_count === 0) return 'No trades yet.'
  return [
    'ROI: Closed trades',
    `∙ ${num(p.profit_closed_coin)} ${stake} (${pct(p.profit_closed_ratio_mean)})`,
    `∙ ${pct(p.profit_closed_ratio)} of starting capital`,
    'ROI: All trades',
    `∙ ${num(p.profit_all_coin)} ${stake} (${pct(p.profit_all_ratio_mean)})`,
    `∙ ${pct(p.profit_all_ratio)} of starting capital`,
    `Total Trade Count: ${p.trade_count}`,
    `First Trade opened: ${p.first_trade_date}`,
    `Latest Trade opened: ${p.latest_trade_date}`,
    `Win / Loss: ${p.winning_trades} / ${p.losing_trades}`,
    `Winrate: ${pct(p.winrate)}`,
    `Expectancy: ${num(p.expectancy, 2)}`,
    `Avg. Duration: ${p.avg_duration}`,
    `Best Performing: ${p.best_pair}: ${pct(p.best_pair_profit_ratio)}`,
    `Max Drawdown: ${pct(p.max_drawdown)} (${num(p.max_drawdown_abs)} ${stake})`,
  ].join('\n')
}

export function balanceText(b: BalanceView): string {
  const rows = b.currencies.map(
    (c) => `${c.currency}: Available ${num(c.free)}, Balance ${num(c.balance)}, Est. ${num(c.est_stake)} ${b.stake}`,
  )
  return [
    ...(b.note ? [b.note] : []),
    ...rows,
    `Estimated Value: ${num(b.total)} ${b.stake}`,
    `Estimated Value (Bot managed): ${num(b.total_bot)} ${b.stake}`,
    `Starting capital: ${num(b.starting_capital)} ${b.stake}`,
  ].join('\n')
}

export function dailyText(d: DailyView): string {
  return `Daily Profit over the last ${d.data.length} days:\n${table(
    ['Day', `Profit ${d.stake_currency}`, 'Profit %', 'Trades'],
    d.data.map((r) => [r.date, num(r.abs_profit), pct(r.rel_profit), String(r.trade_count)]),
  )}`
}

export function performanceText(rows: PerformanceRow[]): string {
  if (rows.length === 0) return 'No closed trades yet.'
  return `Performance:\n${rows
    .map((r, i) => `${i + 1}. ${r.pair} ${num(r.profit_abs)} (${pct(r.profit_ratio)}) (${r.count})`)
    .join('\n')}`
}

export function countText(c: CountView): string {
  return table(['current', 'max', 'total stake'], [[String(c.current), String(c.max), num(c.total_stake)]])
}

export function locksText(locks: LockView[]): string {
  if (locks.length === 0) return 'No active locks.'
  return table(
    ['ID', 'Pair', 'Side', 'Until', 'Reason'],
    locks.map((l) => [String(l.id), l.pair, l.side, l.lock_end_time, l.reason ?? '']),
  )
}
