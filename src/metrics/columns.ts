import type { ClosedTrade } from './types.ts'

/**
 * Closed trades as columns, in their given order. The statistics walk these typed arrays (and index lists into
 * them for groups) instead of building and filtering per-trade objects again for every table.
 */
export interface TradeColumns {
  readonly length: number
  readonly profitRatio: Float64Array
  readonly profitAbs: Float64Array
  readonly closeMs: Float64Array
  readonly durationMinutes: Float64Array
  readonly stakeAmount: Float64Array
  readonly pair: string[]
  readonly enterTag: (string | null)[]
  readonly exitReason: (string | null)[]
}

/** Empty columns for `n` trades, to be filled by the caller. */
export function allocColumns(n: number): TradeColumns {
  return {
    length: n,
    profitRatio: new Float64Array(n),
    profitAbs: new Float64Array(n),
    closeMs: new Float64Array(n),
    durationMinutes: new Float64Array(n),
    stakeAmount: new Float64Array(n),
    pair: new Array<string>(n),
    enterTag: new Array<string | null>(n),
    exitReason: new Array<string | null>(n),
  }
}

/** The columns of a list of closed trades. */
export function tradeColumns(trades: readonly ClosedTrade[]): TradeColumns {
  const c = allocColumns(trades.length)
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]
    c.profitRatio[i] = t.profitRatio
    c.profitAbs[i] = t.profitAbs
    c.closeMs[i] = t.closeMs
    c.durationMinutes[i] = t.durationMinutes
    c.stakeAmount[i] = t.stakeAmount
    c.pair[i] = t.pair
    c.enterTag[i] = t.enterTag ?? null
    c.exitReason[i] = t.exitReason ?? null
  }
  return c
}

/**
 * A subset of trades: indexes into the columns, in trade order. Always an Int32Array (all trades too, see `allTrades`)
 * so that the loops over groups see one array type.
 */
export type TradeIndex = Int32Array

/** The index of all `n` trades: 0, 1, …, n − 1. */
export function allTrades(n: number): TradeIndex {
  const index = new Int32Array(n)
  for (let i = 0; i < n; i++) index[i] = i
  return index
}

/**
 * The trades at `index` grouped by a key column (null = in no group): per key, in the order keys first appear, the
 * group's indexes in trade order (views into one buffer).
 */
export function groupBy(keys: readonly (string | null)[], index: TradeIndex): Map<string, TradeIndex> {
  const ids = new Map<string, number>()
  const groupOf = new Int32Array(index.length)
  const counts: number[] = []
  for (let k = 0; k < index.length; k++) {
    const key = keys[index[k]]
    if (key === null) {
      groupOf[k] = -1
      continue
    }
    let g = ids.get(key)
    if (g === undefined) {
      g = counts.length
      ids.set(key, g)
      counts.push(0)
    }
    counts[g]++
    groupOf[k] = g
  }
  const starts = new Int32Array(counts.length + 1)
  for (let g = 0; g < counts.length; g++) starts[g + 1] = starts[g] + counts[g]
  const next = starts.slice(0, counts.length)
  const sorted = new Int32Array(starts[counts.length])
  for (let k = 0; k < index.length; k++) {
    const g = groupOf[k]
    if (g >= 0) sorted[next[g]++] = index[k]
  }
  const groups = new Map<string, TradeIndex>()
  for (const [key, g] of ids) groups.set(key, sorted.subarray(starts[g], starts[g + 1]))
  return groups
}
