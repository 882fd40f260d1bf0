import { describe, expect, test } from 'bun:test'
import { adjustedEntry, replacementAmount } from '../../../../src/engine/rules/index.ts'
import type { AdjustEntryPriceContext } from '../../../../src/strategy/callbacks.ts'
import { logRing } from '../../../../src/util/logger.ts'

const ctx: AdjustEntryPriceContext = {
  pair: 'BTC/USDT',
  nowMs: 0,
  df: undefined,
  trade: { id: 1, pair: 'BTC/USDT' } as AdjustEntryPriceContext['trade'],
  order: { side: 'buy', price: 100, amount: 2, filled: 0, remaining: 2, createdMs: 0, status: 'open' },
  proposedRate: 104,
  currentOrderRate: 100,
  entryTag: undefined,
  side: 'long',
}

const answering = (answer: unknown) => ({ adjustEntryPrice: () => answer as number })

describe('adjustedEntry (check_order_replace)', () => {
  test('the order keeps its place without the callback, and when the callback answers its own price', () => {
    expect(adjustedEntry(undefined, ctx)).toEqual({ keep: true })
    expect(adjustedEntry({}, ctx)).toEqual({ keep: true })
    expect(adjustedEntry(answering(100), ctx)).toEqual({ keep: true })
  })

  test('another price moves it there; no usable price cancels it', () => {
    expect(adjustedEntry(answering(101.5), ctx)).toEqual({ keep: false, rate: 101.5 })
    for (const none of [null, undefined, 0, -3, Number.NaN, '101']) {
      expect(adjustedEntry(answering(none), ctx)).toEqual({ keep: false, rate: undefined })
    }
  })

  test('a callback that throws keeps the order, and says so in the log', () => {
    class Broken {
      adjustEntryPrice(): number {
        throw new Error('no data')
      }
    }
    expect(adjustedEntry(new Broken(), ctx)).toEqual({ keep: true })
    const line = logRing.last(5).find((row) => row[4].includes('Broken.adjustEntryPrice failed for BTC/USDT'))
    expect(line?.[4]).toContain('no data; keeping the order')
  })
})

describe('replacementAmount', () => {
  test('the same stake at the new rate, cut to the step', () => {
    // 2 left at 100 = stake 200; at 99 that is 2.0202… → 2.02 with step 0.01
    expect(replacementAmount(200, 99, {}, 0.01, undefined)).toBe(2.02)
    // at 101: 1.98019… → 1.98
    expect(replacementAmount(200, 101, {}, 0.01, undefined)).toBe(1.98)
  })

  test("nothing to place under the market's minimum stake or step", () => {
    // minimum cost 10 (with freqtrade's 5 % reserve above it): a stake of 8 is too small
    expect(replacementAmount(8, 99, { minCost: 10 }, 0.01, undefined)).toBeUndefined()
    expect(replacementAmount(0.5, 99, {}, 0.01, undefined)).toBeUndefined()
    expect(replacementAmount(0, 99, {}, 0.01, undefined)).toBeUndefined()
  })
})
