import type { Trade } from '../domain/trade.ts'
import type { RoiSteps } from '../engine/rules/index.ts'

/**
 * Skipping the candles on which nothing can happen to an open trade. Without a custom stop and without a callback
 * asked on every candle, an exit is only possible on a candle whose low reaches the stop, whose high reaches the price
 * of the ROI step in force, or that carries the previous candle's exit signal; and a trailing stop only moves on a
 * candle whose high, less the trailing distance, lies above the stop. The simulation checks a trade with the shared
 * rules on those candles only; every other candle merely widens the trade's seen price range, which the scan applies.
 * The tests are looser than the rules (ROI and offset prices a hair low, exit signals without their conditions), so a
 * candle they pass over is one the rules would pass over too.
 */

/** Relative slack on ROI prices: far wider than the float error of the rule's own profit arithmetic. */
const ROI_SLACK = 1e-9

/**
 * A price a hair below the lowest at which the trade's profit ratio could reach `ratio`; the rules ask
 * `profitRatio(high) > ratio` (or not below it), with profit ratio = amount × high × (1 − fee) / open value − 1.
 */
function priceForProfit(t: Trade, ratio: number): number {
  return (((1 + ratio) * t.openTradeValue) / (t.amount * (1 - t.feeClose))) * (1 - ROI_SLACK)
}

/** The price at which each ROI step could first be reached by this trade. */
export function roiPrices(t: Trade, roi: RoiSteps): Float64Array {
  // a plain loop: this runs once a trade, and `Float64Array.from` with a mapping goes through the iterator protocol
  const out = new Float64Array(roi.ratios.length)
  for (let k = 0; k < out.length; k++) out[k] = priceForProfit(t, roi.ratios[k])
  return out
}

/** The trailing-stop settings, as the scan tests them (see `trailingScan`). */
export interface TrailingScan {
  /** `1 − |stoploss|`: the stop trails a high at this share (the rule's own float). */
  keepStop: number
  /** `1 − |trailing_stop_positive|` once the profit offset is reached; 0 without a positive distance. */
  keepPositive: number
  /** A price a hair below where the profit reaches `trailing_stop_positive_offset`. */
  offsetPrice: number
  /** `trailing_only_offset_is_reached`: nothing moves below the offset. */
  onlyOffset: boolean
}

/** How a trailing stop can move for this trade; undefined without trailing. */
export function trailingScan(
  t: Trade,
  s: {
    trailingStop: boolean
    stoploss: number
    trailingStopPositive?: number | null
    trailingStopPositiveOffset: number
    trailingOnlyOffsetIsReached: boolean
  },
): TrailingScan | undefined {
  if (!s.trailingStop) return undefined
  const tsp = s.trailingStopPositive
  return {
    keepStop: 1 - Math.abs(s.stoploss),
    keepPositive: tsp === undefined || tsp === null ? 0 : 1 - Math.abs(tsp),
    offsetPrice: priceForProfit(t, s.trailingStopPositiveOffset),
    onlyOffset: s.trailingOnlyOffsetIsReached,
  }
}

/** The candles the scan reads: a pair's prices, dates and exit signals (the signal of row i acts on row i + 1). */
export interface ScanCandles {
  date: Float64Array
  high: Float64Array
  low: Float64Array
  exit: Uint8Array
}

/**
 * The first row at or after `from` on which an exit rule could fire for `t` (the candles' length when none does). The
 * trade's max and min rate take in the rows before it, as checking them one by one would have done.
 */
export function nextExitCandidate(
  t: Trade,
  c: ScanCandles,
  from: number,
  roi: RoiSteps,
  prices: Float64Array,
  exitSignals: boolean,
  trail?: TrailingScan,
): number {
  const { date, high, low, exit } = c
  const stop = t.stopLoss ?? Number.NEGATIVE_INFINITY
  const openMs = t.openDateMs
  const minutes = roi.minutes
  let step = -1
  let roiPrice = Number.POSITIVE_INFINITY
  let maxRate = t.maxRate
  let minRate = t.minRate
  let j = from
  for (; j < date.length; j++) {
    // the ROI step in force at this candle's age (steps only ever advance as the trade ages)
    const age = Math.floor((date[j] - openMs) / 60_000)
    while (step + 1 < minutes.length && minutes[step + 1] <= age) roiPrice = prices[++step]
    const h = high[j]
    const l = low[j]
    if (l <= stop || h >= roiPrice || (exitSignals && exit[j - 1] === 1)) break
    if (trail !== undefined) {
      // the stop moves when high × (1 − distance) lies above it: the stoploss distance, or the positive one past the
      // offset; with only-offset, nothing below the offset
      const reached = h >= trail.offsetPrice
      if ((reached || !trail.onlyOffset) && (h * trail.keepStop > stop || (reached && h * trail.keepPositive > stop)))
        break
    }
    if (h > maxRate) maxRate = h
    if (l < minRate) minRate = l
  }
  t.maxRate = maxRate
  t.minRate = minRate
  return j
}
