import type { RoiTable } from '../../strategy/strategy.ts'

/** A ROI table sorted by minutes, ready for lookups in a hot loop. */
export interface RoiSteps {
  readonly minutes: Float64Array
  readonly ratios: Float64Array
}

/** Sorts a `minimal_roi` table (`{0: 0.04, 30: 0.02}`) into ascending steps. */
export function compileRoi(table: RoiTable): RoiSteps {
  const keys = Object.keys(table)
    .map(Number)
    .filter((k) => Number.isFinite(k))
    .sort((a, b) => a - b)
  return {
    minutes: Float64Array.from(keys),
    ratios: Float64Array.from(keys.map((k) => table[k] as number)),
  }
}

/** Index of the ROI step in force for a trade of this age (the largest step ≤ age), or −1 before the first step. */
export function roiStepIndex(steps: RoiSteps, ageMinutes: number): number {
  const m = steps.minutes
  let i = -1
  for (let k = 0; k < m.length; k++) {
    if (m[k] <= ageMinutes) i = k
    else break
  }
  return i
}

/** The ROI threshold for a trade of this age, or undefined before the first step (freqtrade's `min_roi_reached_entry`). */
export function roiThreshold(minimalRoi: RoiTable | RoiSteps, ageMinutes: number): number | undefined {
  const steps =
    'minutes' in minimalRoi && minimalRoi.minutes instanceof Float64Array
      ? (minimalRoi as RoiSteps)
      : compileRoi(minimalRoi as RoiTable)
  const i = roiStepIndex(steps, ageMinutes)
  return i < 0 ? undefined : steps.ratios[i]
}

/** Whole minutes between open and now, as freqtrade's `int(seconds // 60)`. */
export function tradeAgeMinutes(openMs: number, nowMs: number): number {
  return Math.floor((nowMs - openMs) / 60_000)
}

/**
 * The exit price at which a long yields exactly `roi` after both fees: `open_rate × (1 + roi + fee_open) / (1 − fee_close)`
 * written as freqtrade computes it.
 */
export function roiRate(openRate: number, roi: number, feeOpen: number, feeClose: number): number {
  const roiPart = openRate * roi
  const openFee = openRate * (1 + feeOpen)
  return -(roiPart + openFee) / (feeClose - 1)
}

/** Candle values a ROI exit price is bound to. */
export interface CandlePrices {
  open: number
  high: number
  low: number
  close: number
}

/** How a ROI exit is priced; today's freqtrade uses both rules, its early releases neither. */
export interface RoiPriceRules {
  /** A ROI step that begins on a candle opening above its rate exits at that open. */
  newStepAtOpen: boolean
  /** The price is bound to the candle's low and high (else it is the ROI rate itself). */
  withinCandle: boolean
}

/** Today's ROI pricing. */
export const ROI_PRICE_RULES: RoiPriceRules = { newStepAtOpen: true, withinCandle: true }

/**
 * freqtrade's `_get_close_rate_for_roi` for a long: the ROI rate clamped to the candle; the open when a new ROI step
 * begins exactly on this candle and the candle opens above the rate; `undefined` when freqtrade refuses the exit
 * (ROI on the entry candle of a red candle whose close is below the rate, entered below the open).
 * `roi === -1` on a candle boundary (a forced exit through the ROI table) exits at the open.
 */
export function roiExitPrice(
  c: CandlePrices,
  openRate: number,
  feeOpen: number,
  feeClose: number,
  stepMinutes: number,
  roi: number,
  durationMinutes: number,
  timeframeMinutes: number,
  rules: RoiPriceRules = ROI_PRICE_RULES,
): number | undefined {
  if (roi === -1 && stepMinutes % timeframeMinutes === 0) return c.open
  const rate = roiRate(openRate, roi, feeOpen, feeClose)
  const newStep =
    rules.newStepAtOpen &&
    durationMinutes > 0 &&
    durationMinutes === stepMinutes &&
    stepMinutes % timeframeMinutes === 0 &&
    c.open > rate
  if (newStep) return c.open
  if (durationMinutes === 0 && c.open > c.close && openRate < c.open && rate > c.close) return undefined
  return rules.withinCandle ? Math.min(Math.max(rate, c.low), c.high) : rate
}
