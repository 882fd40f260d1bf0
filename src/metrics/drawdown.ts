/** A point of the equity walk: when a trade closed and what it made. */
export interface ProfitPoint {
  closeMs: number
  value: number
}

/** The worst drawdown of a sequence of closed-trade profits (freqtrade's `DrawDownResult`). */
export interface Drawdown {
  /** Size of the fall from the peak, positive. */
  drawdownAbs: number
  /** Close date of the peak trade and of the trough trade. */
  highMs: number
  lowMs: number
  /** Cumulative profit at the peak and at the trough. */
  highValue: number
  lowValue: number
  /** The fall relative to the balance at the peak (starting balance + peak), or to the peak without a balance. */
  relativeAccountDrawdown: number
}

/**
 * §9.1.1 of the API contract (freqtrade's `calculate_max_drawdown`): trades sorted by close date (stable), cumulative
 * profit `c`, running peak `h`, drawdown `c − h`. The worst point is the most negative drawdown (or, with `relative`,
 * the largest relative one), first occurrence. Returns undefined when there are no trades or the worst point is the
 * first trade (no drawdown).
 */
export function maxDrawdown(
  points: readonly ProfitPoint[],
  startingBalance = 0,
  relative = false,
): Drawdown | undefined {
  const n = points.length
  if (n === 0) return undefined
  let inOrder = true
  for (let i = 1; i < n && inOrder; i++) inOrder = points[i - 1].closeMs <= points[i].closeMs
  const sorted = inOrder
    ? points
    : points
        .map((p, i) => ({ p, i }))
        .sort((a, b) => a.p.closeMs - b.p.closeMs || a.i - b.i)
        .map((x) => x.p)
  const cum = new Float64Array(n)
  const high = new Float64Array(n)
  const dd = new Float64Array(n)
  const rel = new Float64Array(n)
  let c = 0
  let h = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    c += sorted[i].value
    h = Math.max(h, c)
    cum[i] = c
    high[i] = h
    dd[i] = c - h
    rel[i] = startingBalance ? (startingBalance + h - (startingBalance + c)) / (startingBalance + h) : (h - c) / h
  }
  let k = 0
  for (let i = 1; i < n; i++) {
    if (relative ? rel[i] > rel[k] || (Number.isNaN(rel[k]) && !Number.isNaN(rel[i])) : dd[i] < dd[k]) k = i
  }
  if (k === 0) return undefined
  let peak = 0
  for (let i = 1; i < k; i++) if (high[i] > high[peak]) peak = i
  return {
    drawdownAbs: Math.abs(dd[k]),
    highMs: sorted[peak].closeMs,
    lowMs: sorted[k].closeMs,
    highValue: cum[peak],
    lowValue: cum[k],
    relativeAccountDrawdown: rel[k],
  }
}

/** Lowest and highest `startingBalance + cumulative profit`, in the given order (freqtrade's `calculate_csum`). */
export function csumRange(
  values: readonly number[],
  startingBalance: number,
): { min: number; max: number } | undefined {
  if (values.length === 0) return undefined
  let c = 0
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const v of values) {
    c += v
    if (c < lo) lo = c
    if (c > hi) hi = c
  }
  return { min: lo + startingBalance, max: hi + startingBalance }
}
