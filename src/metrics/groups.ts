import { allTrades, groupBy, type TradeColumns, type TradeIndex, tradeColumns } from './columns.ts'
import { maxDrawdownOf } from './drawdown.ts'
import { pyRound, roundN, timedeltaText } from './format.ts'
import { expectancyFrom } from './ratios.ts'
import type { ClosedTrade } from './types.ts'

/** One row of freqtrade's per-group tables (`results_per_pair`, `results_per_enter_tag`, `exit_reason_summary`, ...). */
export interface ResultLine {
  key: string | (string | null)[]
  trades: number
  profit_mean: number
  profit_mean_pct: number
  profit_sum: number
  profit_sum_pct: number
  profit_total_abs: number
  profit_total: number
  profit_total_pct: number
  duration_avg: string
  wins: number
  draws: number
  losses: number
  winrate: number
  expectancy: number
  expectancy_ratio: number
  profit_factor: number
  max_drawdown_account: number
  max_drawdown_abs: number
  [extra: string]: unknown
}

/** freqtrade's `_generate_result_line` over a group of trades. */
export function resultLine(
  trades: readonly ClosedTrade[],
  startingBalance: number,
  key: ResultLine['key'],
): ResultLine {
  return resultLineOf(tradeColumns(trades), allTrades(trades.length), startingBalance, key)
}

/** `resultLine` over the trades at `index` of the columns; every sum in trade order. */
export function resultLineOf(
  c: TradeColumns,
  index: TradeIndex,
  startingBalance: number,
  key: ResultLine['key'],
): ResultLine {
  const n = index.length
  let profitSum = 0
  let totalAbs = 0
  let winSum = 0
  let lossSum = 0
  let wins = 0
  let draws = 0
  let losses = 0
  let minutes = 0
  for (let k = 0; k < n; k++) {
    const i = index[k]
    profitSum += c.profitRatio[i]
    const p = c.profitAbs[i]
    totalAbs += p
    if (p > 0) {
      winSum += p
      wins++
    } else if (p < 0) {
      lossSum += p
      losses++
    } else if (p === 0) draws++
    minutes += c.durationMinutes[i]
  }
  const profitTotal = totalAbs / startingBalance
  const { expectancy: e, expectancyRatio } = expectancyFrom(n, wins, winSum, losses, lossSum)
  const dd = maxDrawdownOf(c.closeMs, c.profitAbs, index)
  return {
    key,
    trades: n,
    profit_mean: n > 0 ? profitSum / n : 0,
    profit_mean_pct: n > 0 ? roundN((profitSum / n) * 100, 2) : 0,
    profit_sum: profitSum,
    profit_sum_pct: roundN(profitSum * 100, 2),
    profit_total_abs: totalAbs,
    profit_total: profitTotal,
    profit_total_pct: roundN(profitTotal * 100, 2),
    duration_avg: n > 0 ? timedeltaText(pyRound(minutes / n) * 60) : '0:00',
    wins,
    draws,
    losses,
    winrate: n ? wins / n : 0,
    expectancy: e,
    expectancy_ratio: expectancyRatio,
    profit_factor: lossSum ? winSum / Math.abs(lossSum) : 0,
    max_drawdown_account: dd?.relativeAccountDrawdown ?? 0,
    max_drawdown_abs: dd?.drawdownAbs ?? 0,
  }
}

const byTotalDesc = (a: ResultLine, b: ResultLine) => b.profit_total_abs - a.profit_total_abs

/** Σ profit ratio, Σ absolute profit and the count of one group (freqtrade's RPC performance tables). */
export interface ProfitTotals {
  key: string
  ratio: number
  abs: number
  count: number
}

/**
 * Items grouped by `keyOf` with their summed profit ratio and absolute profit, best absolute profit first (the API's
 * `/performance`, `/entries`, `/exits`, `/mix_tags`: freqtrade sums `close_profit` and `close_profit_abs` per key).
 * Groups appear in the order of their first item, so equal sums keep that order.
 */
export function profitTotalsBy<T>(
  items: readonly T[],
  keyOf: (t: T) => string,
  ratioOf: (t: T) => number,
  absOf: (t: T) => number,
): ProfitTotals[] {
  const groups = new Map<string, ProfitTotals>()
  for (const t of items) {
    const key = keyOf(t)
    let g = groups.get(key)
    if (g === undefined) {
      g = { key, ratio: 0, abs: 0, count: 0 }
      groups.set(key, g)
    }
    g.ratio += ratioOf(t)
    g.abs += absOf(t)
    g.count++
  }
  return [...groups.values()].sort((a, b) => b.abs - a.abs)
}
const NO_TRADES = new Int32Array(0)

/**
 * One line per pair of `pairlist` (sorted by absolute profit, best first) and a final TOTAL line. With `skipEmpty`,
 * pairs without trades are left out (as for `left_open_trades`).
 */
export function pairResults(
  pairlist: readonly string[],
  trades: readonly ClosedTrade[],
  startingBalance: number,
  skipEmpty = false,
): ResultLine[] {
  return pairResultsOf(tradeColumns(trades), allTrades(trades.length), pairlist, startingBalance, skipEmpty)
}

/**
 * `pairResults` over the trades at `index` of the columns. `total`, when given, is the TOTAL line already computed
 * over the same trades (it is copied, not recomputed).
 */
export function pairResultsOf(
  c: TradeColumns,
  index: TradeIndex,
  pairlist: readonly string[],
  startingBalance: number,
  skipEmpty = false,
  total?: ResultLine,
): ResultLine[] {
  const byPair = groupBy(c.pair, index)
  const lines: ResultLine[] = []
  for (const pair of pairlist) {
    const group = byPair.get(pair) ?? NO_TRADES
    if (skipEmpty && group.length === 0) continue
    lines.push(resultLineOf(c, group, startingBalance, pair))
  }
  lines.sort(byTotalDesc)
  lines.push(total ? { ...total } : resultLineOf(c, index, startingBalance, 'TOTAL'))
  return lines
}

interface TagGroup {
  key: ResultLine['key']
  index: TradeIndex
}

/** The lines of tag groups: in key order (of the key's JSON text), then sorted by absolute profit, plus TOTAL. */
function tagLines(
  c: TradeColumns,
  groups: Iterable<TagGroup>,
  startingBalance: number,
  total: ResultLine | undefined,
): ResultLine[] {
  const ordered = [...groups].map((g) => ({ id: JSON.stringify(g.key), g }))
  ordered.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const lines = ordered.map(({ g }) => resultLineOf(c, g.index, startingBalance, g.key))
  lines.sort(byTotalDesc)
  lines.push(total ? { ...total } : resultLineOf(c, allTrades(c.length), startingBalance, 'TOTAL'))
  return lines
}

/**
 * One line per value of a tag (trades without it are grouped nowhere, as pandas' groupby drops missing keys), in
 * key order, then sorted by absolute profit, plus TOTAL over all trades.
 */
export function tagResults(
  trades: readonly ClosedTrade[],
  startingBalance: number,
  keyOf: (t: ClosedTrade) => string | (string | null)[] | undefined,
): ResultLine[] {
  const keys = new Map<string, ResultLine['key']>()
  const ids = trades.map((t) => {
    const key = keyOf(t)
    if (key === undefined) return null
    const id = JSON.stringify(key)
    if (!keys.has(id)) keys.set(id, key)
    return id
  })
  const groups = [...groupBy(ids, allTrades(trades.length))].map(([id, index]) => ({
    key: keys.get(id) as ResultLine['key'],
    index,
  }))
  return tagLines(tradeColumns(trades), groups, startingBalance, undefined)
}

/** Groups of all trades by one tag column (null = in no group), keyed by the tag. */
function tagGroups(tags: readonly (string | null)[]): TagGroup[] {
  return [...groupBy(tags, allTrades(tags.length))].map(([key, index]) => ({ key, index }))
}

/** `results_per_enter_tag`. */
export const enterTagResults = (trades: readonly ClosedTrade[], sb: number) =>
  enterTagResultsOf(tradeColumns(trades), sb)

/** `results_per_enter_tag` over columns; `total` as for `pairResultsOf`. */
export const enterTagResultsOf = (c: TradeColumns, sb: number, total?: ResultLine) =>
  tagLines(c, tagGroups(c.enterTag), sb, total)

/** `exit_reason_summary`: lines also carry `exit_reason` (= key), as older result files and readers expect. */
export function exitReasonResults(trades: readonly ClosedTrade[], sb: number): ResultLine[] {
  return exitReasonResultsOf(tradeColumns(trades), sb)
}

/** `exit_reason_summary` over columns; `total` as for `pairResultsOf`. */
export function exitReasonResultsOf(c: TradeColumns, sb: number, total?: ResultLine): ResultLine[] {
  return tagLines(c, tagGroups(c.exitReason), sb, total).map((l) => ({ exit_reason: l.key, ...l }))
}

/** `mix_tag_stats`: grouped by (enter_tag, exit_reason), both present. */
export const mixTagResults = (trades: readonly ClosedTrade[], sb: number) => mixTagResultsOf(tradeColumns(trades), sb)

/** `mix_tag_stats` over columns; `total` as for `pairResultsOf`. */
export function mixTagResultsOf(c: TradeColumns, sb: number, total?: ResultLine): ResultLine[] {
  // trades with both tags (neither missing nor empty), by enter tag, then each of those by exit reason
  let both = 0
  for (let i = 0; i < c.length; i++) if (c.enterTag[i] && c.exitReason[i]) both++
  const tagged = new Int32Array(both)
  for (let i = 0, k = 0; i < c.length; i++) if (c.enterTag[i] && c.exitReason[i]) tagged[k++] = i
  const groups: TagGroup[] = []
  for (const [enter, byEnter] of groupBy(c.enterTag, tagged)) {
    for (const [exit, index] of groupBy(c.exitReason, byEnter)) groups.push({ key: [enter, exit], index })
  }
  return tagLines(c, groups, sb, total)
}
