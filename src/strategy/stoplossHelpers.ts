/**
 * freqtrade's strategy helpers for `customStoploss` (its `stoploss_from_open` / `stoploss_from_absolute`, spot long):
 * a stop meant relative to the entry, or as a price, turned into the distance below the current rate that
 * `customStoploss` returns. Both give 0 when the stop would be at or above the current rate, which `customStoploss`
 * treats as "no change" (as freqtrade does).
 */

/**
 * The stop distance below the current rate for a stop `openRelativeStop` away from the entry (0.05 = 5 % above the
 * open rate, −0.05 = 5 % below it), given the trade's `currentProfit` ratio: 1 − (1 + openRelativeStop) / (1 +
 * currentProfit), never negative. A profit of −100 % gives 1 (the formula is undefined there).
 */
export function stoplossFromOpen(openRelativeStop: number, currentProfit: number): number {
  if (currentProfit === -1) return 1
  const stop = 1 - (1 + openRelativeStop) / (1 + currentProfit)
  return Math.max(stop, 0)
}

/**
 * The stop distance below `currentRate` for a stop at the price `stopRate`: 1 − stopRate / currentRate, within
 * [0, 1]. A current rate of 0 gives 1 (the formula is undefined there).
 */
export function stoplossFromAbsolute(stopRate: number, currentRate: number): number {
  if (currentRate === 0) return 1
  return Math.min(Math.max(1 - stopRate / currentRate, 0), 1)
}
