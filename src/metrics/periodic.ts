import { civilFromDays, daysFromCivil, dayText } from '../util/dates.ts'
import { type TradeColumns, tradeColumns } from './columns.ts'
import { mean, pyRound, roundN, timedeltaText } from './format.ts'
import type { ClosedTrade } from './types.ts'

const DAY_MS = 86_400_000

export type Period = 'day' | 'week' | 'month' | 'year'

/** What freqtrade's `--breakdown` and `periodic_breakdown` offer: the calendar periods and the day of the week. */
export type Breakdown = Period | 'weekday'
export const BREAKDOWNS: readonly Breakdown[] = ['day', 'week', 'month', 'year', 'weekday']

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** Start of the UTC day of `ms`. */
export function dayStart(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)
}

/**
 * The label of the period a close date falls in, as pandas' resample labels it: the day itself; for weeks the Monday
 * that ends the week (`1W-MON`); for months the month's last day (`1ME`); for years 31 December (`1YE`).
 */
export function periodLabel(ms: number, period: Period): number {
  return labelDay(Math.floor(ms / DAY_MS), period) * DAY_MS
}

/** `periodLabel` on day numbers (days since 1970-01-01). */
function labelDay(day: number, period: Period): number {
  if (period === 'day') return day
  if (period === 'week') {
    const dow = ((day % 7) + 7 + 4) % 7 // 0 = Sunday, 1 = Monday; 1970-01-01 was a Thursday
    return day + ((1 - dow + 7) % 7)
  }
  const [y, m] = civilFromDays(day)
  if (period === 'month') return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1
  return daysFromCivil(y, 12, 31)
}

/** Trades bucketed by period label, every period from the first to the last close date (empty ones too). */
export function bucketByPeriod(
  trades: readonly ClosedTrade[],
  period: Period,
): { label: number; trades: ClosedTrade[] }[] {
  if (trades.length === 0) return []
  const days = closeDays(tradeColumns(trades))
  const b = periodBuckets(days, period)
  const out = b.labels.map((label) => ({ label, trades: [] as ClosedTrade[] }))
  for (let i = 0; i < trades.length; i++) out[b.ofDay[days.day[i]]].trades.push(trades[i])
  return out
}

/** The close days of trades: the first and last day number, and per trade its day counted from the first. */
export interface CloseDays {
  first: number
  last: number
  day: Int32Array
}

/** The close days of the trades in the columns (at least one trade). */
export function closeDays(c: TradeColumns): CloseDays {
  const abs = new Float64Array(c.length)
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (let i = 0; i < c.length; i++) {
    const d = Math.floor(c.closeMs[i] / DAY_MS)
    abs[i] = d
    if (d < first) first = d
    if (d > last) last = d
  }
  const day = new Int32Array(c.length)
  for (let i = 0; i < c.length; i++) day[i] = abs[i] - first
  return { first, last, day }
}

/** The periods from the first to the last close day: label (ms) of each, and the period of each day. */
function periodBuckets(days: CloseDays, period: Period): { labels: number[]; ofDay: Int32Array } {
  const ofDay = new Int32Array(days.last - days.first + 1)
  const labels: number[] = []
  let current = Number.NaN
  for (let d = days.first; d <= days.last; d++) {
    const l = labelDay(d, period)
    if (l !== current) {
      labels.push(l * DAY_MS)
      current = l
    }
    ofDay[d - days.first] = labels.length - 1
  }
  return { labels, ofDay }
}

/** Per bucket (a period, a weekday): profit sums (in trade order) and counts of winning, even and losing trades. */
interface BucketSums {
  total: Float64Array
  ratio: Float64Array
  win: Float64Array
  loss: Float64Array
  wins: Int32Array
  draws: Int32Array
  losses: Int32Array
}

interface PeriodSums extends BucketSums {
  labels: number[]
}

function periodSums(c: TradeColumns, days: CloseDays, period: Period): PeriodSums {
  const { labels, ofDay } = periodBuckets(days, period)
  const bucket = new Int32Array(c.length)
  for (let i = 0; i < c.length; i++) bucket[i] = ofDay[days.day[i]]
  return { labels, ...bucketSums(c, bucket, labels.length) }
}

/** The sums of `k` buckets, trade i in `bucket[i]`. */
function bucketSums(c: TradeColumns, bucket: Int32Array, k: number): BucketSums {
  const s: BucketSums = {
    total: new Float64Array(k),
    ratio: new Float64Array(k),
    win: new Float64Array(k),
    loss: new Float64Array(k),
    wins: new Int32Array(k),
    draws: new Int32Array(k),
    losses: new Int32Array(k),
  }
  for (let i = 0; i < c.length; i++) {
    const b = bucket[i]
    const p = c.profitAbs[i]
    s.total[b] += p
    s.ratio[b] += c.profitRatio[i]
    if (p > 0) {
      s.wins[b]++
      s.win[b] += p
    } else if (p < 0) {
      s.losses[b]++
      s.loss[b] += p
    } else s.draws[b]++
  }
  return s
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `DD/MM/YYYY`, as freqtrade labels periodic rows. */
function dmy(ms: number): string {
  const [y, m, d] = civilFromDays(Math.floor(ms / DAY_MS))
  return `${pad(d)}/${pad(m)}/${y}`
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
  if (trades.length === 0) return []
  const c = tradeColumns(trades)
  return periodicBreakdownOf(c, closeDays(c), period)
}

/** `periodicBreakdown` over columns (at least one trade) and their close days. */
export function periodicBreakdownOf(c: TradeColumns, days: CloseDays, period: Period): PeriodicRow[] {
  const s = periodSums(c, days, period)
  return s.labels.map((label, b) => periodicRow(dmy(label), label, s, b))
}

/** One row of a breakdown: bucket `b` of the sums. */
function periodicRow(date: string, dateTs: number, s: BucketSums, b: number): PeriodicRow {
  const loss = s.loss[b]
  return {
    date,
    date_ts: dateTs,
    profit_abs: roundN(s.total[b], 10),
    wins: s.wins[b],
    draws: s.draws[b],
    losses: s.losses[b],
    trades: s.wins[b] + s.draws[b] + s.losses[b],
    profit_factor: roundN(loss ? s.win[b] / Math.abs(loss) : 0, 8),
  }
}

/**
 * freqtrade's `weekday` breakdown: one row per day of the week (UTC) on which trades closed, Monday first; `date` is
 * the day's name and `date_ts` its number (0 = Monday).
 */
export function weekdayBreakdownOf(c: TradeColumns): PeriodicRow[] {
  const bucket = new Int32Array(c.length)
  // 1970-01-01 was a Thursday (3, counting from Monday = 0)
  for (let i = 0; i < c.length; i++) bucket[i] = (((Math.floor(c.closeMs[i] / DAY_MS) + 3) % 7) + 7) % 7
  const s = bucketSums(c, bucket, 7)
  const rows: PeriodicRow[] = []
  for (let d = 0; d < 7; d++)
    if (s.wins[d] + s.draws[d] + s.losses[d] > 0) rows.push(periodicRow(DAY_NAMES[d], d, s, d))
  return rows
}

/** One breakdown of closed trades (for results stored without it). */
export function breakdownOfTrades(trades: readonly ClosedTrade[], breakdown: Breakdown): PeriodicRow[] {
  if (trades.length === 0) return []
  return breakdown === 'weekday' ? weekdayBreakdownOf(tradeColumns(trades)) : periodicBreakdown(trades, breakdown)
}

/** `periodic_breakdown`: day, week, month, year and weekday. */
export function allPeriodicBreakdowns(trades: readonly ClosedTrade[]): Record<Breakdown, PeriodicRow[]> {
  return allPeriodicBreakdownsOf(tradeColumns(trades))
}

/** `allPeriodicBreakdowns` over columns; `days` = their close days when already known. */
export function allPeriodicBreakdownsOf(c: TradeColumns, days?: CloseDays): Record<Breakdown, PeriodicRow[]> {
  if (c.length === 0) return { day: [], week: [], month: [], year: [], weekday: [] }
  const d = days ?? closeDays(c)
  return {
    day: periodicBreakdownOf(c, d, 'day'),
    week: periodicBreakdownOf(c, d, 'week'),
    month: periodicBreakdownOf(c, d, 'month'),
    year: periodicBreakdownOf(c, d, 'year'),
    weekday: weekdayBreakdownOf(c),
  }
}

/** freqtrade's `generate_daily_stats`: best/worst day, winning/draw/losing days, `daily_profit` list. */
export function dailyStats(trades: readonly ClosedTrade[]) {
  return dailyStatsOf(tradeColumns(trades))
}

/** `dailyStats` over columns; `days` = their close days when already known. */
export function dailyStatsOf(c: TradeColumns, days?: CloseDays) {
  if (c.length === 0) {
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
  const s = periodSums(c, days ?? closeDays(c), 'day')
  const rel = Array.from(s.ratio)
  const abs = Array.from(s.total, (v) => roundN(v, 10))
  let winning = 0
  let draw = 0
  let losing = 0
  for (const v of abs) {
    if (v > 0) winning++
    else if (v === 0) draw++
    else if (v < 0) losing++
  }
  return {
    backtest_best_day: Math.max(...rel),
    backtest_worst_day: Math.min(...rel),
    backtest_best_day_abs: Math.max(...abs),
    backtest_worst_day_abs: Math.min(...abs),
    winning_days: winning,
    draw_days: draw,
    losing_days: losing,
    daily_profit: s.labels.map((label, i) => [dayText(Math.floor(label / DAY_MS)), abs[i]] as [string, number]),
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

function holding(count: number, value: number): { text: string; s: number } {
  if (count === 0) return { text: '0:00:00', s: 0 }
  const m = pyRound(value)
  return { text: timedeltaText(m * 60), s: m * 60 }
}

/** freqtrade's `generate_trading_stats`: wins/losses/draws by profit ratio, holding times, streaks. */
export function tradingStats(trades: readonly ClosedTrade[]): Record<string, unknown> {
  return tradingStatsOf(tradeColumns(trades))
}

/** `tradingStats` over columns. */
export function tradingStatsOf(c: TradeColumns): Record<string, unknown> {
  const n = c.length
  let all = 0
  let wn = 0
  let wSum = 0
  let wMin = Number.POSITIVE_INFINITY
  let wMax = Number.NEGATIVE_INFINITY
  let ln = 0
  let lSum = 0
  let lMin = Number.POSITIVE_INFINITY
  let lMax = Number.NEGATIVE_INFINITY
  let draws = 0
  let w = 0
  let l = 0
  let bw = 0
  let bl = 0
  for (let i = 0; i < n; i++) {
    const r = c.profitRatio[i]
    const m = c.durationMinutes[i]
    all += m
    if (r > 0) {
      wn++
      wSum += m
      wMin = Math.min(wMin, m)
      wMax = Math.max(wMax, m)
      w++
      l = 0
    } else if (r < 0) {
      ln++
      lSum += m
      lMin = Math.min(lMin, m)
      lMax = Math.max(lMax, m)
      l++
      w = 0
    } else {
      if (r === 0) draws++
      w = 0
      l = 0
    }
    bw = Math.max(bw, w)
    bl = Math.max(bl, l)
  }
  const h = holding(n, all / n)
  const wmin = holding(wn, wMin)
  const wmax = holding(wn, wMax)
  const wavg = holding(wn, wSum / wn)
  const lmin = holding(ln, lMin)
  const lmax = holding(ln, lMax)
  const lavg = holding(ln, lSum / ln)
  return {
    wins: wn,
    losses: ln,
    draws,
    winrate: n ? wn / n : 0,
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
    max_consecutive_wins: bw,
    max_consecutive_losses: bl,
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
