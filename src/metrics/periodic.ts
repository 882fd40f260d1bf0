import { mean, pyRound, roundN, timedeltaText } from './format.ts'
import type { ClosedTrade } from './types.ts'

const DAY_MS = 86_400_000

export type Period = 'day' | 'week' | 'month' | 'year'

/** Start of the UTC day of `ms`. */
export function dayStart(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)
}

/**
 * The label of the period a close date falls in, as pandas' resample labels it: the day itself; for weeks the Monday
 * that ends the week (`1W-MON`); for months the month's last day (`1ME`); for years 31 December (`1YE`).
 */
export function periodLabel(ms: number, period: Period): number {
  const day = dayStart(ms)
  const d = new Date(day)
  if (period === 'day') return day
  if (period === 'week') {
    const dow = d.getUTCDay() // 0 = Sunday, 1 = Monday
    return day + ((1 - dow + 7) % 7) * DAY_MS
  }
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)
  return Date.UTC(d.getUTCFullYear(), 11, 31)
}

/** The next label after `label`. */
function nextLabel(label: number, period: Period): number {
  if (period === 'day') return label + DAY_MS
  if (period === 'week') return label + 7 * DAY_MS
  const d = new Date(label)
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)
  return Date.UTC(d.getUTCFullYear() + 1, 11, 31)
}

/** Trades bucketed by period label, every period from the first to the last close date (empty ones too). */
export function bucketByPeriod(
  trades: readonly ClosedTrade[],
  period: Period,
): { label: number; trades: ClosedTrade[] }[] {
  if (trades.length === 0) return []
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  const map = new Map<number, ClosedTrade[]>()
  for (const t of trades) {
    const l = periodLabel(t.closeMs, period)
    lo = Math.min(lo, l)
    hi = Math.max(hi, l)
    const list = map.get(l)
    if (list) list.push(t)
    else map.set(l, [t])
  }
  const out: { label: number; trades: ClosedTrade[] }[] = []
  for (let l = lo; l <= hi; l = nextLabel(l, period)) out.push({ label: l, trades: map.get(l) ?? [] })
  return out
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `DD/MM/YYYY`, as freqtrade labels periodic rows. */
function dmy(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`
}

/** One row of `periodic_breakdown`. */
export interface PeriodicRow {
  date: string
  date_ts: number
  profit_abs: number
  wins: number
  draws: number
  losses: number
  trades: number
  profit_factor: number
}

/** freqtrade's `_generate_periodic_breakdown_stats` for one period. */
export function periodicBreakdown(trades: readonly ClosedTrade[], period: Period): PeriodicRow[] {
  return bucketByPeriod(trades, period).map(({ label, trades: group }) => {
    let total = 0
    let win = 0
    let loss = 0
    let wins = 0
    let draws = 0
    let losses = 0
    for (const t of group) {
      total += t.profitAbs
      if (t.profitAbs > 0) {
        wins++
        win += t.profitAbs
      } else if (t.profitAbs < 0) {
        losses++
        loss += t.profitAbs
      } else draws++
    }
    return {
      date: dmy(label),
      date_ts: label,
      profit_abs: roundN(total, 10),
      wins,
      draws,
      losses,
      trades: wins + draws + losses,
      profit_factor: roundN(loss ? win / Math.abs(loss) : 0, 8),
    }
  })
}

/** `periodic_breakdown`: day, week, month and year. */
export function allPeriodicBreakdowns(trades: readonly ClosedTrade[]): Record<Period, PeriodicRow[]> {
  return {
    day: periodicBreakdown(trades, 'day'),
    week: periodicBreakdown(trades, 'week'),
    month: periodicBreakdown(trades, 'month'),
    year: periodicBreakdown(trades, 'year'),
  }
}

/** freqtrade's `generate_daily_stats`: best/worst day, winning/draw/losing days, `daily_profit` list. */
export function dailyStats(trades: readonly ClosedTrade[]) {
  if (trades.length === 0) {
    return {
      backtest_best_day: 0,
      backtest_worst_day: 0,
      backtest_best_day_abs: 0,
      backtest_worst_day_abs: 0,
      winning_days: 0,
      draw_days: 0,
      losing_days: 0,
      daily_profit: [] as [string, number][],
    }
  }
  const days = bucketByPeriod(trades, 'day')
  const rel = days.map((d) => d.trades.reduce((s, t) => s + t.profitRatio, 0))
  const abs = days.map((d) =>
    roundN(
      d.trades.reduce((s, t) => s + t.profitAbs, 0),
      10,
    ),
  )
  return {
    backtest_best_day: Math.max(...rel),
    backtest_worst_day: Math.min(...rel),
    backtest_best_day_abs: Math.max(...abs),
    backtest_worst_day_abs: Math.min(...abs),
    winning_days: abs.filter((v) => v > 0).length,
    draw_days: abs.filter((v) => v === 0).length,
    losing_days: abs.filter((v) => v < 0).length,
    daily_profit: days.map((d, i) => [new Date(d.label).toISOString().slice(0, 10), abs[i]] as [string, number]),
  }
}

/** Longest runs of winning and of losing trades, in the given order (draws end both). */
export function streaks(trades: readonly ClosedTrade[]): { wins: number; losses: number } {
  let w = 0
  let l = 0
  let bw = 0
  let bl = 0
  for (const t of trades) {
    if (t.profitRatio > 0) {
      w++
      l = 0
    } else if (t.profitRatio < 0) {
      l++
      w = 0
    } else {
      w = 0
      l = 0
    }
    bw = Math.max(bw, w)
    bl = Math.max(bl, l)
  }
  return { wins: bw, losses: bl }
}

function holding(mins: number[], fn: (xs: number[]) => number): { text: string; s: number } {
  if (mins.length === 0) return { text: '0:00:00', s: 0 }
  const m = pyRound(fn(mins))
  return { text: timedeltaText(m * 60), s: m * 60 }
}

/** freqtrade's `generate_trading_stats`: wins/losses/draws by profit ratio, holding times, streaks. */
export function tradingStats(trades: readonly ClosedTrade[]): Record<string, unknown> {
  const win = trades.filter((t) => t.profitRatio > 0).map((t) => t.durationMinutes)
  const loss = trades.filter((t) => t.profitRatio < 0).map((t) => t.durationMinutes)
  const all = trades.map((t) => t.durationMinutes)
  const h = holding(all, mean)
  const wmin = holding(win, (x) => Math.min(...x))
  const wmax = holding(win, (x) => Math.max(...x))
  const wavg = holding(win, mean)
  const lmin = holding(loss, (x) => Math.min(...x))
  const lmax = holding(loss, (x) => Math.max(...x))
  const lavg = holding(loss, mean)
  const st = streaks(trades)
  return {
    wins: win.length,
    losses: loss.length,
    draws: trades.filter((t) => t.profitRatio === 0).length,
    winrate: trades.length ? win.length / trades.length : 0,
    holding_avg: h.text,
    holding_avg_s: h.s,
    winner_holding_min: wmin.text,
    winner_holding_min_s: wmin.s,
    winner_holding_max: wmax.text,
    winner_holding_max_s: wmax.s,
    winner_holding_avg: wavg.text,
    winner_holding_avg_s: wavg.s,
    loser_holding_min: lmin.text,
    loser_holding_min_s: lmin.s,
    loser_holding_max: lmax.text,
    loser_holding_max_s: lmax.s,
    loser_holding_avg: lavg.text,
    loser_holding_avg_s: lavg.s,
    max_consecutive_wins: st.wins,
    max_consecutive_losses: st.losses,
  }
}

/**
 * Average market movement: per pair `(last close − first close) / first close` over the backtest candles, averaged
 * over pairs (freqtrade's `calculate_market_change`).
 */
export function marketChange(closes: readonly Float64Array[]): number {
  const changes: number[] = []
  for (const c of closes) {
    let first = Number.NaN
    for (let i = 0; i < c.length; i++) {
      if (!Number.isNaN(c[i])) {
        first = c[i]
        break
      }
    }
    const last = c[c.length - 1]
    if (c.length > 0 && !Number.isNaN(first) && !Number.isNaN(last)) changes.push((last - first) / first)
  }
  return changes.length ? mean(changes) : 0
}

/** One row of the market-change series: candle time, pairs with a close, their mean close, cumulative change. */
export interface MarketChangeRow {
  dateMs: number
  count: number
  mean: number
  relMean: number
}

/**
 * The average market movement per candle over several pairs (freqtrade's `combined_dataframes_with_rel_mean`):
 * each pair's close-to-close change, averaged over the pairs that have both candles, summed up over time; beside it
 * the mean close and how many pairs had a candle.
 */
export function marketChangeSeries(pairs: readonly { date: Float64Array; close: Float64Array }[]): MarketChangeRow[] {
  const rows = new Map<number, { sum: number; count: number; chg: number; chgCount: number }>()
  for (const { date, close } of pairs) {
    for (let i = 0; i < date.length; i++) {
      const c = close[i]
      if (Number.isNaN(c)) continue
      let r = rows.get(date[i])
      if (r === undefined) {
        r = { sum: 0, count: 0, chg: 0, chgCount: 0 }
        rows.set(date[i], r)
      }
      r.sum += c
      r.count++
      const prev = i > 0 ? close[i - 1] : Number.NaN
      if (i > 0 && !Number.isNaN(prev) && prev !== 0) {
        r.chg += c / prev - 1
        r.chgCount++
      }
    }
  }
  const dates = [...rows.keys()].sort((a, b) => a - b)
  let cum = 0
  return dates.map((d, k) => {
    const r = rows.get(d) as { sum: number; count: number; chg: number; chgCount: number }
    if (k > 0 && r.chgCount > 0) cum += r.chg / r.chgCount
    return { dateMs: d, count: r.count, mean: r.sum / r.count, relMean: cum }
  })
}
