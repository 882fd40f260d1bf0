import type { Trade } from '../domain/trade.ts'
import type { RoiSteps } from '../engine/rules/index.ts'

/**
 * Skipping the candles on which nothing can happen to an open trade. With a stop that never moves (no trailing and no
 * custom stop) and no callback asked on every candle, an exit is only possible on a candle whose low reaches the stop,
 * whose high reaches the price of the ROI step in force, or that carries the previous candle's exit signal. The
 * simulation checks a trade with the shared exit rules on those candles only; every other candle merely widens the
 * trade's seen price range, which the scan applies. The tests are looser than the rules (a ROI price a hair low, exit
 * signals without their conditions), so a candle they pass over is one the rules would pass over too.
 */

/** Relative slack on ROI prices: far wider than the float error of the rule's own profit arithmetic. */
const ROI_SLACK = 1e-9

/**
 * The price at which each ROI step could first be reached by this trade: the rule asks `profitRatio(high) > ratio`,
 * with profit ratio = amount × high × (1 − fee) / open value − 1.
 */
export function roiPrices(t: Trade, roi: RoiSteps): Float64Array {
  const perUnit = t.amount * (1 - t.feeClose)
  const out = new Float64Array(roi.ratios.length)
  for (let k = 0; k < out.length; k++) out[k] = (((1 + roi.ratios[k]) * t.openTradeValue) / perUnit) * (1 - ROI_SLACK)
  return out
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
    if (h > maxRate) maxRate = h
    if (l < minRate) minRate = l
  }
  t.maxRate = maxRate
  t.minRate = minRate
  return j
}
