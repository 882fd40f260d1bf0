import { priceToPrecision } from '../domain/precision.ts'
import type { OrderTypes } from '../strategy/strategy.ts'

/** freqtrade's default `stoploss_on_exchange_limit_ratio`: the limit sits 1 % below the stop. */
export const DEFAULT_STOP_LIMIT_RATIO = 0.99

/** How the engine keeps a stop-loss order on the exchange (freqtrade's `order_types.stoploss_on_exchange*`). */
export interface StopOnExchangeSettings {
  enabled: boolean
  /** Least time between two replacements of a trailing stop, ms (`stoploss_on_exchange_interval`, seconds). */
  intervalMs: number
  /** Limit price as a fraction of the stop price (`stoploss_on_exchange_limit_ratio`). */
  limitRatio: number
}

/** The stop-on-exchange settings of the effective order types (strategy merged with the config). */
export function stopOnExchangeSettings(orderTypes: OrderTypes): StopOnExchangeSettings {
  const interval = orderTypes.stoploss_on_exchange_interval
  return {
    enabled: orderTypes.stoploss_on_exchange === true,
    intervalMs: (Number.isFinite(interval) && interval > 0 ? interval : 60) * 1000,
    limitRatio: orderTypes.stoploss_on_exchange_limit_ratio ?? DEFAULT_STOP_LIMIT_RATIO,
  }
}

/**
 * Stop and limit price of a stop-limit sell for a trade's stop, as freqtrade's binance `create_stoploss`: the stop
 * rounded down to the tick, the limit `ratio` × the stop, rounded down too. Throws when the ratio would put the
 * limit above the stop (the order could never sell at the stop).
 */
export function stopOrderPrices(
  stop: number,
  ratio: number,
  tick: number | undefined,
  precisionMode: number | undefined,
): { stopPrice: number; limitPrice: number } {
  if (!(ratio > 0) || ratio > 1) {
    throw new Error(`stoploss_on_exchange_limit_ratio must be in (0, 1] for a sell, got ${ratio}`)
  }
  const stopPrice = priceToPrecision(stop, tick, precisionMode, 'down')
  const limitPrice = priceToPrecision(stop * ratio, tick, precisionMode, 'down')
  return { stopPrice, limitPrice }
}

/**
 * Whether a resting stop order should be replaced by one at `wanted` (freqtrade's trailing stop on the exchange):
 * only upwards, and no sooner than `intervalMs` after the resting order was placed.
 */
export function stopNeedsReplacement(
  wanted: number,
  resting: number,
  placedAtMs: number,
  nowMs: number,
  intervalMs: number,
): boolean {
  return wanted > resting && nowMs - placedAtMs >= intervalMs
}
