import { and, asc, eq, sql } from 'drizzle-orm'
import { RpcError } from '../api/errors.ts'
import type {
  Balance,
  EntryRow,
  ExitRow,
  MixTagRow,
  PerformanceRow,
  PeriodicProfit,
  Profit,
  Stats,
} from '../api/schemas/stats.ts'
import type { Config } from '../config/schema.ts'
import type { Db } from '../db/database.ts'
import { orders, type TradeRow, trades } from '../db/schema.ts'
import { round8, roundTo } from '../domain/index.ts'
import type { MarketPrices } from '../engine/commands.ts'
import {
  dayStart,
  expectancy,
  maxDrawdown,
  mean,
  type ProfitTotals,
  profitFactor,
  profitTotalsBy,
  sum,
  timedeltaText,
} from '../metrics/index.ts'
import { displayDate } from '../util/dates.ts'
import { humanizeAgo } from './humanize.ts'
import { loadTrades } from './trades.ts'
import { filledEntries, type StoredTrade, unrealizedProfit } from './tradeView.ts'

/** Closed trades as rows (statistics need no orders of them) and open trades with their orders. */
interface Book {
  closed: ClosedRow[]
  open: StoredTrade[]
}

/** The columns the statistics read of a closed trade (a narrow select: reading whole rows costs 5× more). */
const CLOSED_COLUMNS = {
  id: trades.id,
  pair: trades.pair,
  openDate: trades.openDate,
  closeDate: trades.closeDate,
  closeProfit: trades.closeProfit,
  closeProfitAbs: trades.closeProfitAbs,
  enterTag: trades.enterTag,
  exitReason: trades.exitReason,
}
type ClosedRow = Pick<TradeRow, keyof typeof CLOSED_COLUMNS>

async function closedRows(db: Db, pair?: string): Promise<ClosedRow[]> {
  const closed = eq(trades.isOpen, false)
  return db
    .select(CLOSED_COLUMNS)
    .from(trades)
    .where(pair === undefined ? closed : and(closed, eq(trades.pair, pair)))
    .orderBy(asc(trades.id))
}

async function loadBook(db: Db): Promise<Book> {
  return { closed: await closedRows(db), open: await loadTrades(db, { where: eq(trades.isOpen, true) }) }
}

/** Balances of the account per currency, as the engine's wallet holds them. */
export interface Wallet {
  balances(): Promise<Record<string, { free: number; used: number; total: number }>>
}

/** What the statistics read besides the trades. */
export interface StatsSources {
  db: Db
  config: Config
  prices?: MarketPrices
  wallet?: Wallet
  /** ms of the bot's first start, if known. */
  botStartMs?: number
  nowMs: number
}

const pct2 = (ratio: number) => roundTo(ratio * 100, 2)

/**
 * Free stake-currency balance: the wallet's, or in dry-run without a wallet the simulated one
 * (`dry_run_wallet` − open stakes + closed profit).
 */
async function freeStake(src: StatsSources, all: Book): Promise<number> {
  if (src.wallet) return (await src.wallet.balances())[src.config.stake_currency]?.free ?? 0
  if (!src.config.dry_run) return 0
  return src.config.dry_run_wallet - openStakes(all) + closedProfit(all)
}

const openStakes = (all: Book) => sum(all.open.map((s) => s.trade.stakeAmount))
const closedProfit = (all: Book) => sum(all.closed.map((t) => t.closeProfitAbs ?? 0))

/** Starting balance `SB` (§9.1): `available_capital`, else free stake − closed profit + open stakes. */
async function startingBalance(src: StatsSources, all: Book): Promise<number> {
  if (src.config.available_capital !== undefined) return src.config.available_capital
  return (await freeStake(src, all)) - closedProfit(all) + openStakes(all)
}

/** Current total stake balance (§9.7): the start of the balance walk of `/daily` and the like. */
async function totalStakeBalance(src: StatsSources, all: Book): Promise<number> {
  if (src.config.available_capital !== undefined) return src.config.available_capital + closedProfit(all)
  return (openStakes(all) + (await freeStake(src, all))) * src.config.tradable_balance_ratio
}

/** `/profit` (§9.1). */
export async function profitSummary(src: StatsSources): Promise<Profit> {
  const all = await loadBook(src.db)
  const closed = all.closed
  const closedRatios = closed.map((t) => t.closeProfit ?? 0)
  const closedAbs = closed.map((t) => t.closeProfitAbs ?? 0)
  const allRatios = [...closedRatios]
  const allAbs = [...closedAbs]
  for (const s of all.open) {
    if (filledEntries(s).length === 0) continue
    const rate = src.prices?.exitRate(s.trade.pair)
    // without a price the trade's profit is unknown: it is left out rather than turning every sum into null
    if (rate === undefined) continue
    const p = unrealizedProfit(s.trade, rate)
    allRatios.push(p.ratio)
    allAbs.push(p.abs + (s.trade.realizedProfit ?? 0))
  }
  const sb = await startingBalance(src, all)
  const closedCoin = round8(sum(closedAbs))
  const allCoin = round8(sum(allAbs))
  const byId = [...closed, ...all.open.map((s) => s.trade)].sort((a, b) => a.id - b.id)
  const first = byId[0]
  const latest = byId[byId.length - 1]

  const winning = closed.filter((t) => (t.closeProfit ?? 0) >= 0).length
  const losingAbs = closedAbs.filter((p) => p < 0)
  const { expectancy: e, expectancyRatio } = expectancy(closedAbs)
  const dd = maxDrawdown(
    closed
      .filter((t) => t.closeDate !== null)
      .map((t) => ({ closeMs: t.closeDate as number, value: t.closeProfitAbs ?? 0 })),
    sb,
  )
  const durations = closed.filter((t) => t.closeDate !== null).map((t) => ((t.closeDate as number) - t.openDate) / 1000)
  const best = groupSums(closed, (t) => t.pair).sort((a, b) => b.ratio - a.ratio)[0]
  const [volume] = await src.db
    .select({ cost: sql<number | null>`sum(${orders.cost})` })
    .from(orders)
    .where(eq(orders.status, 'closed'))
  const closedRatioMean = mean(closedRatios)
  const allRatioMean = mean(allRatios)
  return {
    profit_closed_coin: closedCoin,
    profit_closed_percent_mean: pct2(closedRatioMean),
    profit_closed_ratio_mean: closedRatioMean,
    profit_closed_percent_sum: pct2(sum(closedRatios)),
    profit_closed_ratio_sum: sum(closedRatios),
    profit_closed_percent: sb ? pct2(closedCoin / sb) : 0,
    profit_closed_ratio: sb ? closedCoin / sb : 0,
    profit_closed_fiat: 0,
    profit_all_coin: allCoin,
    profit_all_percent_mean: pct2(allRatioMean),
    profit_all_ratio_mean: allRatioMean,
    profit_all_percent_sum: pct2(sum(allRatios)),
    profit_all_ratio_sum: sum(allRatios),
    profit_all_percent: sb ? pct2(allCoin / sb) : 0,
    profit_all_ratio: sb ? allCoin / sb : 0,
    profit_all_fiat: 0,
    trade_count: byId.length,
    closed_trade_count: closed.length,
    first_trade_date: first ? displayDate(first.openDate) : '',
    first_trade_humanized: first ? humanizeAgo(first.openDate, src.nowMs) : '',
    first_trade_timestamp: first?.openDate ?? 0,
    latest_trade_date: latest ? displayDate(latest.openDate) : '',
    latest_trade_humanized: latest ? humanizeAgo(latest.openDate, src.nowMs) : '',
    latest_trade_timestamp: latest?.openDate ?? 0,
    avg_duration: timedeltaText(mean(durations)),
    best_pair: best?.key ?? '',
    best_rate: best ? pct2(best.ratio) : 0,
    best_pair_profit_ratio: best?.ratio ?? 0,
    winning_trades: winning,
    losing_trades: closed.length - winning,
    // freqtrade reports an infinite factor (no losing profit) as null
    profit_factor: losingAbs.length ? profitFactor(closedAbs) : null,
    winrate: closed.length ? winning / closed.length : 0,
    expectancy: e,
    expectancy_ratio: expectancyRatio,
    max_drawdown: dd?.relativeAccountDrawdown ?? 0,
    max_drawdown_abs: dd?.drawdownAbs ?? 0,
    max_drawdown_start: dd ? displayDate(dd.highMs) : '',
    max_drawdown_start_timestamp: dd?.highMs ?? 0,
    max_drawdown_end: dd ? displayDate(dd.lowMs) : '',
    max_drawdown_end_timestamp: dd?.lowMs ?? 0,
    trading_volume: round8(volume?.cost ?? 0),
    bot_start_timestamp: src.botStartMs ?? 0,
    bot_start_date: src.botStartMs === undefined ? '' : displayDate(src.botStartMs),
  }
}

/** Closed trades' Σ close_profit, Σ close_profit_abs and count per key, best absolute profit first. */
const groupSums = (closed: ClosedRow[], keyOf: (t: ClosedRow) => string): ProfitTotals[] =>
  profitTotalsBy(
    closed,
    keyOf,
    (t) => t.closeProfit ?? 0,
    (t) => t.closeProfitAbs ?? 0,
  )

const groupRow = (g: ProfitTotals) => ({
  profit: pct2(g.ratio),
  profit_ratio: g.ratio,
  profit_pct: pct2(g.ratio),
  profit_abs: round8(g.abs),
  count: g.count,
})

const tagOf = (v: string | null) => v ?? 'Other'

/** `/performance` (§9.2). */
export async function performance(db: Db): Promise<PerformanceRow[]> {
  return groupSums(await closedRows(db), (t) => t.pair).map((g) => ({ pair: g.key, ...groupRow(g) }))
}

/** `/entries` (§9.3). */
export async function entries(db: Db, pair?: string): Promise<EntryRow[]> {
  return groupSums(await closedRows(db, pair), (t) => tagOf(t.enterTag)).map((g) => ({
    enter_tag: g.key,
    ...groupRow(g),
  }))
}

/** `/exits` (§9.4). */
export async function exits(db: Db, pair?: string): Promise<ExitRow[]> {
  return groupSums(await closedRows(db, pair), (t) => tagOf(t.exitReason)).map((g) => ({
    exit_reason: g.key,
    ...groupRow(g),
  }))
}

/** `/mix_tags` (§9.5): `"<enter_tag> <exit_reason>"`. */
export async function mixTags(db: Db, pair?: string): Promise<MixTagRow[]> {
  return groupSums(await closedRows(db, pair), (t) => `${tagOf(t.enterTag)} ${tagOf(t.exitReason)}`).map((g) => ({
    mix_tag: g.key,
    ...groupRow(g),
  }))
}

/** `/stats` (§9.6): wins (> 0), losses (< 0) and draws per exit reason, and mean durations in seconds. */
export async function tradeStats(db: Db): Promise<Stats> {
  const exitReasons: Stats['exit_reasons'] = {}
  const seconds = { wins: [] as number[], losses: [] as number[], draws: [] as number[] }
  for (const t of await closedRows(db)) {
    const ratio = t.closeProfit ?? 0
    const kind = ratio > 0 ? 'wins' : ratio < 0 ? 'losses' : 'draws'
    const reason = tagOf(t.exitReason)
    exitReasons[reason] ??= { wins: 0, losses: 0, draws: 0 }
    exitReasons[reason][kind]++
    if (t.closeDate !== null) seconds[kind].push((t.closeDate - t.openDate) / 1000)
  }
  const avg = (xs: number[]) => (xs.length ? mean(xs) : null)
  return {
    exit_reasons: exitReasons,
    durations: { wins: avg(seconds.wins), draws: avg(seconds.draws), losses: avg(seconds.losses) },
  }
}

export type Timeunit = 'days' | 'weeks' | 'months'

const DAY_MS = 86_400_000

/** Start of the period that holds `nowMs`, and the start `i` periods before it (UTC). */
export function periodStart(nowMs: number, unit: Timeunit, i: number): number {
  const today = dayStart(nowMs)
  if (unit === 'days') return today - i * DAY_MS
  if (unit === 'weeks') {
    const sinceMonday = (new Date(today).getUTCDay() + 6) % 7
    return today - (sinceMonday + 7 * i) * DAY_MS
  }
  const d = new Date(today)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1)
}

function periodEnd(start: number, unit: Timeunit): number {
  if (unit === 'days') return start + DAY_MS
  if (unit === 'weeks') return start + 7 * DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/**
 * `/daily`, `/weekly`, `/monthly` (§9.7): `timescale` periods, newest first, each with its closed trades' profit and
 * the balance before it (walking back from the current total stake balance).
 */
export async function periodicProfit(src: StatsSources, unit: Timeunit, timescale: number): Promise<PeriodicProfit> {
  if (!Number.isInteger(timescale) || timescale <= 0) {
    throw new RpcError('timescale must be an integer greater than 0')
  }
  const all = await loadBook(src.db)
  const closed = all.closed.filter((t) => t.closeDate !== null)
  let balance = await totalStakeBalance(src, all)
  const data: PeriodicProfit['data'] = []
  for (let i = 0; i < timescale; i++) {
    const start = periodStart(src.nowMs, unit, i)
    const end = periodEnd(start, unit)
    const inPeriod = closed.filter((t) => (t.closeDate as number) >= start && (t.closeDate as number) < end)
    const profit = sum(inPeriod.map((t) => t.closeProfitAbs ?? 0))
    balance -= profit
    data.push({
      date: displayDate(start).slice(0, 10),
      abs_profit: round8(profit),
      starting_balance: round8(balance),
      rel_profit: balance > 0 ? round8(profit / balance) : 0,
      fiat_value: 0,
      trade_count: inPeriod.length,
    })
  }
  return {
    data,
    fiat_display_currency: src.config.fiat_display_currency ?? '',
    stake_currency: src.config.stake_currency,
  }
}

/**
 * `/balance` (§9.8): every wallet currency with a balance, valued in the stake currency through the cached prices
 * (`<coin>/<stake>`, or the inverse of `<stake>/<coin>`); a coin that is neither the stake currency, nor held by an
 * open trade, nor priced is left out.
 */
export async function balance(src: StatsSources, wallet: Wallet): Promise<Balance> {
  const stake = src.config.stake_currency
  const all = await loadBook(src.db)
  const balances = await wallet.balances()
  const needsPrices = Object.entries(balances).some(([c, b]) => c !== stake && b.total !== 0)
  if (needsPrices && !src.prices) throw new RpcError('Error getting current tickers.')
  const openByBase = new Map<string, number>()
  for (const s of all.open) {
    const base = s.trade.baseCurrency ?? s.trade.pair.split('/')[0] ?? ''
    openByBase.set(base, (openByBase.get(base) ?? 0) + s.trade.amount)
  }
  const sb = await startingBalance(src, all)
  const currencies: Balance['currencies'] = []
  for (const [currency, b] of Object.entries(balances)) {
    if (!b.total && !b.free) continue
    const isStake = currency === stake
    const managed = isStake || openByBase.has(currency)
    let owned = openByBase.get(currency) ?? 0
    let rate: number | undefined = 1
    if (isStake) {
      // what the bot may still stake: its share of the balance minus what open trades tie up, capped at the free balance
      owned = Math.min((await totalStakeBalance(src, all)) - openStakes(all), b.free)
    } else {
      rate = src.prices?.exitRate(`${currency}/${stake}`)
      if (rate === undefined) {
        const inverse = src.prices?.exitRate(`${stake}/${currency}`)
        rate = inverse ? 1 / inverse : undefined
      }
      if (rate === undefined && !managed) continue
    }
    const estStake = isStake ? b.total : b.total * (rate ?? 0)
    const estBot = isStake ? owned : owned * (rate ?? 0)
    currencies.push({
      currency,
      free: b.free,
      balance: b.total,
      used: b.used,
      bot_owned: owned,
      est_stake: estStake,
      est_stake_bot: managed ? estBot : 0,
      stake,
      side: 'long',
      position: 0,
      is_position: false,
      is_bot_managed: managed,
    })
  }
  const total = sum(currencies.map((c) => c.est_stake))
  const totalBot = sum(currencies.filter((c) => c.is_bot_managed).map((c) => c.est_stake_bot))
  const ratio = sb ? totalBot / sb - 1 : 0
  return {
    currencies,
    total,
    total_bot: totalBot,
    symbol: src.config.fiat_display_currency ?? '',
    value: 0,
    value_bot: 0,
    stake,
    note: src.config.dry_run ? 'Simulated balances' : '',
    starting_capital: sb,
    starting_capital_ratio: ratio,
    starting_capital_pct: pct2(ratio),
    starting_capital_fiat: 0,
    starting_capital_fiat_ratio: 0,
    starting_capital_fiat_pct: 0,
  }
}
