/** freqtrade's default `custom_price_max_distance_ratio`: a custom price may sit at most 2 % from the proposed one. */
export const CUSTOM_PRICE_MAX_DISTANCE_RATIO = 0.02

/** A callback's price when it is usable (a finite number above 0); undefined keeps the proposed rate. */
export function usableCustomPrice(price: unknown): number | undefined {
  return typeof price === 'number' && Number.isFinite(price) && price > 0 ? price : undefined
}

/**
 * freqtrade's `get_valid_price` (live entries and exits): the strategy's custom price, or `proposed` when it gave
 * none, kept within `maxDistanceRatio` of `proposed` on either side. E.g. proposed 100, custom 97, ratio 0.02 → 98.
 */
export function customPriceWithin(
  custom: unknown,
  proposed: number,
  maxDistanceRatio: number = CUSTOM_PRICE_MAX_DISTANCE_RATIO,
): number {
  const price = usableCustomPrice(custom) ?? proposed
  const lowest = proposed - proposed * maxDistanceRatio
  const highest = proposed + proposed * maxDistanceRatio
  return Math.max(Math.min(price, highest), lowest)
}

/** A limit order fills in a backtest candle when its price lies within the candle's range (freqtrade's rule). */
export function limitOrderFills(price: number, low: number, high: number): boolean {
  return low <= price && price <= high
}
