import { describe, expect, test } from 'bun:test'
import { TICK_SIZE } from '../../../src/domain/precision.ts'
import {
  DEFAULT_STOP_LIMIT_RATIO,
  stopNeedsReplacement,
  stopOnExchangeSettings,
  stopOrderPrices,
} from '../../../src/engine/stoplossOnExchange.ts'
import type { OrderTypes } from '../../../src/strategy/strategy.ts'

const types = (extra: Partial<OrderTypes> & Record<string, unknown> = {}): OrderTypes => ({
  entry: 'limit',
  exit: 'limit',
  stoploss: 'market',
  stoploss_on_exchange: false,
  stoploss_on_exchange_interval: 60,
  ...extra,
})

describe('stop-loss on the exchange: settings and prices', () => {
  test('settings: off by default, the interval in ms, the limit ratio 0.99 unless set', () => {
    expect(stopOnExchangeSettings(types())).toEqual({ enabled: false, intervalMs: 60_000, limitRatio: 0.99 })
    expect(DEFAULT_STOP_LIMIT_RATIO).toBe(0.99)
    const s = stopOnExchangeSettings(
      types({ stoploss_on_exchange: true, stoploss_on_exchange_interval: 300, stoploss_on_exchange_limit_ratio: 0.98 }),
    )
    expect(s).toEqual({ enabled: true, intervalMs: 300_000, limitRatio: 0.98 })
  })

  test('stop rounded down to the tick, limit = stop × ratio rounded down: 95.0195 → 95.01, 95.0195 × 0.99 = 94.069305 → 94.06', () => {
    expect(stopOrderPrices(95.0195, 0.99, 0.01, TICK_SIZE)).toEqual({ stopPrice: 95.01, limitPrice: 94.06 })
    // a stop already on the tick stays; 104.65 × 0.99 = 103.6035 → 103.60
    expect(stopOrderPrices(104.65, 0.99, 0.01, TICK_SIZE)).toEqual({ stopPrice: 104.65, limitPrice: 103.6 })
    // a coarser tick: 0.5 → 95.0 and 94.0 (95.0195 × 0.99 = 94.07)
    expect(stopOrderPrices(95.0195, 0.99, 0.5, TICK_SIZE)).toEqual({ stopPrice: 95, limitPrice: 94 })
    expect(() => stopOrderPrices(95, 1.01, 0.01, TICK_SIZE)).toThrow('stoploss_on_exchange_limit_ratio')
  })

  test('a resting stop is replaced only upwards and only once the interval has passed since it was placed', () => {
    const placed = 1_000_000
    expect(stopNeedsReplacement(104.65, 95.01, placed, placed + 60_000, 60_000)).toBe(true)
    expect(stopNeedsReplacement(104.65, 95.01, placed, placed + 59_999, 60_000)).toBe(false)
    expect(stopNeedsReplacement(95.01, 95.01, placed, placed + 600_000, 60_000)).toBe(false)
    expect(stopNeedsReplacement(90, 95.01, placed, placed + 600_000, 60_000)).toBe(false)
  })
})
