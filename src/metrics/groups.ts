import { maxDrawdown } from './drawdown.ts'
import { mean, pyRound, roundN, sum, timedeltaText } from './format.ts'
import { expectancy, profitFactor } from './ratios.ts'
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
  const ratios = trades.map((t) => t.profitRatio)
  const abs = trades.map((t) => t.profitAbs)
  const profitSum = sum(ratios)
  const totalAbs = sum(abs)
  const profitTotal = totalAbs / startingBalance
  const { expectancy: e, expectancyRatio } = expectancy(abs)
  const dd = maxDrawdown(trades.map((t) => ({ closeMs: t.closeMs, value: t.profitAbs })))
  const n = trades.length
  const wins = abs.filter((p) => p > 0).length
  return {
    key,
    trades: n,
    profit_mean: n > 0 ? mean(ratios) : 0,
    profit_mean_pct: n > 0 ? roundN(mean(ratios) * 100, 2) : 0,
    profit_sum: profitSum,
    profit_sum_pct: roundN(profitSum * 100, 2),
    profit_total_abs: totalAbs,
    profit_total: profitTotal,
    profit_total_pct: roundN(profitTotal * 100, 2),
    duration_avg: n > 0 ? timedeltaText(pyRound(mean(trades.map((t) => t.durationMinutes))) * 60) : '0:00',
    wins,
    draws: abs.filter((p) => p === 0).length,
    losses: abs.filter((p) => p < 0).length,
    winrate: n ? wins / n : 0,
    expectancy: e,
    expectancy_ratio: expectancyRatio,
    profit_factor: profitFactor(abs),
    max_drawdown_account: dd?.relativeAccountDrawdown ?? 0,
    max_drawdown_abs: dd?.drawdownAbs ?? 0,
  }
}

const byTotalDesc = (a: ResultLine, b: ResultLine) => b.profit_total_abs - a.profit_total_abs

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
  const byPair = new Map<string, ClosedTrade[]>()
  for (const t of trades) {
    const group = byPair.get(t.pair)
    if (group) group.push(t)
    else byPair.set(t.pair, [t])
  }
  const lines: ResultLine[] = []
  for (const pair of pairlist) {
    const group = byPair.get(pair) ?? []
    if (skipEmpty && group.length === 0) continue
    lines.push(resultLine(group, startingBalance, pair))
  }
  lines.sort(byTotalDesc)
  lines.push(resultLine(trades, startingBalance, 'TOTAL'))
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
  const groups = new Map<string, { key: ResultLine['key']; trades: ClosedTrade[] }>()
  for (const t of trades) {
    const key = keyOf(t)
    if (key === undefined) continue
    const id = JSON.stringify(key)
    let g = groups.get(id)
    if (g === undefined) {
      g = { key, trades: [] }
      groups.set(id, g)
    }
    g.trades.push(t)
  }
  const ordered = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const lines = ordered.map(([, g]) => resultLine(g.trades, startingBalance, g.key))
  lines.sort(byTotalDesc)
  lines.push(resultLine(trades, startingBalance, 'TOTAL'))
  return lines
}

/** `results_per_enter_tag`. */
export const enterTagResults = (trades: readonly ClosedTrade[], sb: number) =>
  tagResults(trades, sb, (t) => t.enterTag ?? undefined)

/** `exit_reason_summary`: lines also carry `exit_reason` (= key), as older result files and readers expect. */
export function exitReasonResults(trades: readonly ClosedTrade[], sb: number): ResultLine[] {
  return tagResults(trades, sb, (t) => t.exitReason ?? undefined).map((l) => ({ exit_reason: l.key, ...l }))
}

/** `mix_tag_stats`: grouped by (enter_tag, exit_reason), both present. */
export const mixTagResults = (trades: readonly ClosedTrade[], sb: number) =>
  tagResults(trades, sb, (t) => (t.enterTag && t.exitReason ? [t.enterTag, t.exitReason] : undefined))
