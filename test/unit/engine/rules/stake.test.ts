import { describe, expect, test } from 'bun:test'
import {
  availableStake,
  entryAmount,
  exitSignalAllowed,
  isEntrySignal,
  maxPairStake,
  minPairStake,
  roiApplies,
  tradeStakeAmount,
  validateStake,
} from '../../../../src/engine/rules/index.ts'

describe('stake sizing', () => {
  test('available = (tied up + free) × ratio − tied up, at most free', () => {
    // free 505, tied 495: (1000 × 0.99) − 495 = 495
    expect(availableStake({ free: 505, tiedUp: 495 }, 0.99)).toBe(495)
    // with available_capital 500 and 20 closed profit: 520 − 100 tied = 420, but free is 300
    expect(availableStake({ free: 300, tiedUp: 100 }, 0.99, 500, 20)).toBe(300)
  })

  test('fixed stake needs the balance; unlimited shares it over the slots', () => {
    expect(tradeStakeAmount(100, 990, 0, 3)).toBe(100)
    expect(tradeStakeAmount(100, 99, 0, 3)).toBe(0)
    // (990 + 0) / 3 = 330
    expect(tradeStakeAmount('unlimited', 990, 0, 3)).toBe(330)
    // (200 + 600) / 3 = 266.67 > 200 available → 200
    expect(tradeStakeAmount('unlimited', 200, 600, 3)).toBe(200)
    expect(tradeStakeAmount('unlimited', 990, 0, -1)).toBe(0)
  })

  test('minimum stake carries the stop-loss reserve: 10 × 1.05 / 0.9, or amount × price × 1.05', () => {
    expect(minPairStake({ minCost: 10 }, 100, -0.1)).toBeCloseTo(11.6666667, 6)
    expect(minPairStake({ minAmount: 0.2 }, 100, -0.1)).toBeCloseTo(21, 10)
    expect(minPairStake({}, 100, -0.1)).toBeUndefined()
    expect(maxPairStake({ maxAmount: 10 }, 100)).toBe(1000)
    expect(maxPairStake({}, 100)).toBe(Number.POSITIVE_INFINITY)
  })

  test('validation raises to the minimum (≤ 30 % short), lowers to what is available', () => {
    expect(validateStake(10, 12, 1000, 500)).toBe(12)
    expect(validateStake(9, 12, 1000, 500)).toBe(0) // 9 × 1.3 = 11.7 < 12
    expect(validateStake(600, 12, 1000, 500)).toBe(500)
    expect(validateStake(10, 600, 1000, 500)).toBe(0) // minimum above the available balance
    // an addition to a trade holding 950 of a market taking 1000 at most: 50 more
    expect(validateStake(100, 12, 1000, 500, 950)).toBe(50)
    // holding 995: the minimum no longer fits
    expect(validateStake(100, 12, 1000, 500, 995)).toBe(0)
  })

  test('entry amount is cut to the step', () => {
    expect(entryAmount(100, 33.33, 0.001)).toBe(3)
    expect(entryAmount(0.5, 1, 1)).toBe(0)
  })
})

describe('signal rules', () => {
  test('entry needs enter_long without exit_long', () => {
    expect(isEntrySignal(1, 0)).toBe(true)
    expect(isEntrySignal(1, 1)).toBe(false)
    expect(isEntrySignal(0, 0)).toBe(false)
    expect(isEntrySignal(Number.NaN, 0)).toBe(false)
  })

  test('exit signal needs no entry signal; exitProfitOnly asks for profit', () => {
    expect(exitSignalAllowed(0, 1, false, () => false)).toBe(true)
    expect(exitSignalAllowed(1, 1, false, () => true)).toBe(false)
    expect(exitSignalAllowed(0, 1, true, () => false)).toBe(false)
    expect(exitSignalAllowed(0, 1, true, () => true)).toBe(true)
  })

  test('ignore_roi_if_entry_signal skips ROI only while the entry signal is up', () => {
    expect(roiApplies(1, true)).toBe(false)
    expect(roiApplies(0, true)).toBe(true)
    expect(roiApplies(1, false)).toBe(true)
  })
})
