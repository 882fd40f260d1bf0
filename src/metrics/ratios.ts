import { type Drawdown, maxDrawdown } from './drawdown.ts'
import { mean, stdPop, stdSample, sum } from './format.ts'
import type { ClosedTrade } from './types.ts'

const DAY_MS = 86_400_000

/** Whole days between two dates (Python's `timedelta.days`). */
export function wholeDays(startMs: number, endMs: number): number {
  return Math.floor((endMs - startMs) / DAY_MS)
}

/**
 * Expectancy and expectancy ratio: `W/N × avgWin − L/N × avgLoss`, and `(1 + avgWin/avgLoss) × W/N − 1` (100 when
 * there is no average loss); zero-profit trades count in N only.
 */
export function expectancy(profits: readonly number[]): { expectancy: number; expectancyRatio: number } {
  let winSum = 0
  let lossSum = 0
  let w = 0
  let l = 0
  for (const p of profits) {
    if (p > 0) {
      winSum += p
      w++
    } else if (p < 0) {
      lossSum += p
      l++
    }
  }
  return expectancyFrom(profits.length, w, winSum, l, lossSum)
}

/** `expectancy` from the counts and sums of winning and losing profits (summed in trade order) among `n` trades. */
export function expectancyFrom(
  n: number,
  w: number,
  winSum: number,
  l: number,
  lossSum: number,
): { expectancy: number; expectancyRatio: number } {
  let e = 0
  let ratio = 100
  if (n > 0) {
    const avgWin = w > 0 ? winSum / w : 0
    const avgLoss = l > 0 ? Math.abs(lossSum) / l : 0
    e = (w / n) * avgWin - (l / n) * avgLoss
    if (avgLoss > 0) ratio = (1 + avgWin / avgLoss) * (w / n) - 1
  }
  return { expectancy: e, expectancyRatio: ratio }
}

/** Σ winning profit / |Σ losing profit|, 0 without losses (the backtest result's convention). */
export function profitFactor(profits: readonly number[]): number {
  let win = 0
  let loss = 0
  for (const p of profits) {
    if (p > 0) win += p
    else if (p < 0) loss += p
  }
  return loss ? win / Math.abs(loss) : 0
}

/** Sharpe over per-trade returns `profit_abs / SB`: `(Σr / days) / std(r) × √365`; −100 when std is 0. */
export function sharpe(
  trades: readonly ClosedTrade[],
  startMs: number,
  endMs: number,
  startingBalance: number,
): number {
  return sharpeOf(profitsOf(trades), startMs, endMs, startingBalance)
}

/** `sharpe` over the absolute profits of the trades, in trade order. */
export function sharpeOf(profitAbs: Float64Array, startMs: number, endMs: number, startingBalance: number): number {
  if (profitAbs.length === 0 || startMs === endMs) return 0
  const r = returnsOf(profitAbs, startingBalance)
  const days = Math.max(1, wholeDays(startMs, endMs))
  const sd = stdPop(r)
  return sd !== 0 ? (sum(r) / days / sd) * Math.sqrt(365) : -100
}

/** Sortino: as Sharpe with the std of losing trades' returns only; −100 when that is 0 or undefined. */
export function sortino(
  trades: readonly ClosedTrade[],
  startMs: number,
  endMs: number,
  startingBalance: number,
): number {
  return sortinoOf(profitsOf(trades), startMs, endMs, startingBalance)
}

/** `sortino` over the absolute profits of the trades, in trade order. */
export function sortinoOf(profitAbs: Float64Array, startMs: number, endMs: number, startingBalance: number): number {
  if (profitAbs.length === 0 || startMs === endMs) return 0
  const r = returnsOf(profitAbs, startingBalance)
  const days = Math.max(1, wholeDays(startMs, endMs))
  const down: number[] = []
  for (let i = 0; i < profitAbs.length; i++) if (profitAbs[i] < 0) down.push(r[i])
  const sd = stdPop(down)
  return sd !== 0 && !Number.isNaN(sd) ? (sum(r) / days / sd) * Math.sqrt(365) : -100
}

/** Calmar: `(Σ profit / SB) / days × 100 / max account drawdown × √365`; −100 without drawdown. */
export function calmar(
  trades: readonly ClosedTrade[],
  startMs: number,
  endMs: number,
  startingBalance: number,
): number {
  if (trades.length === 0 || startMs === endMs) return 0
  const dd = maxDrawdown(
    trades.map((t) => ({ closeMs: t.closeMs, value: t.profitAbs })),
    startingBalance,
  )
  return calmarOf(trades.length, sum(profitsOf(trades)), startMs, endMs, startingBalance, dd)
}

/** `calmar` from the trade count, the summed profit and the account drawdown (with the starting balance). */
export function calmarOf(
  n: number,
  totalAbs: number,
  startMs: number,
  endMs: number,
  startingBalance: number,
  dd: Drawdown | undefined,
): number {
  if (n === 0 || startMs === endMs) return 0
  const total = totalAbs / startingBalance
  const days = Math.max(1, wholeDays(startMs, endMs))
  const m = dd?.relativeAccountDrawdown ?? 0
  return m !== 0 ? ((total / days) * 100 * Math.sqrt(365)) / m : -100
}

/** CAGR: `(final / start)^(365 / days) − 1`; 0 when the final balance is negative. */
export function cagr(days: number, startingBalance: number, finalBalance: number): number {
  if (finalBalance < 0) return 0
  return (finalBalance / startingBalance) ** (1 / (days / 365)) - 1
}

/** SQN: `√N × mean(r) / sample std(r)` with r = profit_abs / SB, 4 decimals; −100 when std is 0. */
export function sqn(trades: readonly ClosedTrade[], startingBalance: number): number {
  return sqnOf(profitsOf(trades), startingBalance)
}

/** `sqn` over the absolute profits of the trades, in trade order. */
export function sqnOf(profitAbs: Float64Array, startingBalance: number): number {
  if (profitAbs.length === 0) return 0
  const r = returnsOf(profitAbs, startingBalance)
  const sd = stdSample(r)
  if (sd === 0 || Number.isNaN(sd)) return -100
  return Number((Math.sqrt(r.length) * (mean(r) / sd)).toFixed(4))
}

function profitsOf(trades: readonly ClosedTrade[]): Float64Array {
  const out = new Float64Array(trades.length)
  for (let i = 0; i < trades.length; i++) out[i] = trades[i].profitAbs
  return out
}

/** Per-trade returns `profit_abs / SB`. */
function returnsOf(profitAbs: Float64Array, startingBalance: number): Float64Array {
  const r = new Float64Array(profitAbs.length)
  for (let i = 0; i < r.length; i++) r[i] = profitAbs[i] / startingBalance
  return r
}
