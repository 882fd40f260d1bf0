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
  const closeMs = new Float64Array(n)
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    closeMs[i] = points[i].closeMs
    values[i] = points[i].value
  }
  return maxDrawdownOf(closeMs, values, undefined, startingBalance, relative)
}

/**
 * `maxDrawdown` over columns: close dates and profits, read at `index` (in that order; all trades when undefined).
 */
export function maxDrawdownOf(
  closeMs: Float64Array,
  values: Float64Array,
  index: Int32Array | undefined,
  startingBalance = 0,
  relative = false,
): Drawdown | undefined {
  const at = index ?? allIndex(closeMs.length)
  const n = at.length
  if (n === 0) return undefined
  let inOrder = true
  for (let i = 1; i < n && inOrder; i++) inOrder = closeMs[at[i - 1]] <= closeMs[at[i]]
  return walk(closeMs, values, inOrder ? at : stableByClose(closeMs, at), startingBalance, relative)
}

/** The equity walk over trades already in close order. */
function walk(
  closeMs: Float64Array,
  values: Float64Array,
  at: Int32Array,
  sb: number,
  relative: boolean,
): Drawdown | undefined {
  const n = at.length
  const cum = new Float64Array(n)
  const high = new Float64Array(n)
  let c = 0
  let h = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    c += values[at[i]]
    h = Math.max(h, c)
    cum[i] = c
    high[i] = h
  }
  let k = 0
  if (relative) {
    let best = sb ? (sb + high[0] - (sb + cum[0])) / (sb + high[0]) : (high[0] - cum[0]) / high[0]
    for (let i = 1; i < n; i++) {
      const r = sb ? (sb + high[i] - (sb + cum[i])) / (sb + high[i]) : (high[i] - cum[i]) / high[i]
      if (r > best || (Number.isNaN(best) && !Number.isNaN(r))) {
        k = i
        best = r
      }
    }
  } else {
    let best = cum[0] - high[0]
    for (let i = 1; i < n; i++) {
      const d = cum[i] - high[i]
      if (d < best) {
        k = i
        best = d
      }
    }
  }
  if (k === 0) return undefined
  let peak = 0
  for (let i = 1; i < k; i++) if (high[i] > high[peak]) peak = i
  return {
    drawdownAbs: Math.abs(cum[k] - high[k]),
    highMs: closeMs[at[peak]],
    lowMs: closeMs[at[k]],
    highValue: cum[peak],
    lowValue: cum[k],
    relativeAccountDrawdown: sb ? (sb + high[k] - (sb + cum[k])) / (sb + high[k]) : (high[k] - cum[k]) / high[k],
  }
}

function allIndex(n: number): Int32Array {
  const index = new Int32Array(n)
  for (let i = 0; i < n; i++) index[i] = i
  return index
}

/** Indexes sorted by close date, ties in their given order. */
function stableByClose(closeMs: Float64Array, index: Int32Array): Int32Array {
  const order = Array.from(index, (i, pos) => ({ i, pos }))
  order.sort((a, b) => closeMs[a.i] - closeMs[b.i] || a.pos - b.pos)
  return Int32Array.from(order, (x) => x.i)
}

/** Lowest and highest `startingBalance + cumulative profit`, in the given order (freqtrade's `calculate_csum`). */
export function csumRange(
  values: ArrayLike<number>,
  startingBalance: number,
): { min: number; max: number } | undefined {
  if (values.length === 0) return undefined
  let c = 0
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (let i = 0; i < values.length; i++) {
    c += values[i]
    if (c < lo) lo = c
    if (c > hi) hi = c
  }
  return { min: lo + startingBalance, max: hi + startingBalance }
}
