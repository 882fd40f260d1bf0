import { describe, expect, test } from 'bun:test'
import { compileRoi, roiExitPrice, roiRate, roiThreshold, tradeAgeMinutes } from '../../../../src/engine/rules/index.ts'

describe('ROI rules', () => {
  const table = { 0: 0.04, 30: 0.02, 60: 0 }

  test('the threshold is the largest step at or below the trade age', () => {
    expect(roiThreshold(table, 0)).toBe(0.04)
    expect(roiThreshold(table, 29)).toBe(0.04)
    expect(roiThreshold(table, 30)).toBe(0.02)
    expect(roiThreshold(table, 120)).toBe(0)
    expect(roiThreshold({ 10: 0.01 }, 5)).toBeUndefined()
    expect(roiThreshold(compileRoi({ 30: 0.02, 0: 0.04 }), 45)).toBe(0.02)
  })

  test('age in whole minutes', () => {
    expect(tradeAgeMinutes(0, 59_999)).toBe(0)
    expect(tradeAgeMinutes(0, 600_000)).toBe(10)
  })

  test('ROI rate includes both fees: 100 × (0.04 + 1.0025) / 0.9975', () => {
    // the reference result's first trade: open 9.64e-05, fee 0.25 %, ROI 4 % → 0.00010074887218045112
    expect(roiRate(9.64e-5, 0.04, 0.0025, 0.0025)).toBe(0.00010074887218045112)
  })

  test('the exit price is clamped to the candle, or the open on a new step opening above it', () => {
    const c = { open: 100, high: 110, low: 99, close: 105 }
    // rate 104 inside the candle
    expect(roiExitPrice(c, 100, 0, 0, 0, 0.04, 5, 5)).toBe(104)
    // rate below the low (candle opens and stays above) → low; but on a new step (duration = step) → open
    expect(roiExitPrice({ open: 103, high: 110, low: 102, close: 105 }, 100, 0, 0, 10, 0.01, 15, 5)).toBe(102)
    expect(roiExitPrice({ open: 103, high: 110, low: 102, close: 105 }, 100, 0, 0, 10, 0.01, 10, 5)).toBe(103)
    // a red entry candle entered below its open cannot exit above its close
    expect(roiExitPrice({ open: 100, high: 106, low: 95, close: 96 }, 99, 0, 0, 0, 0.04, 0, 5)).toBeUndefined()
    // roi −1 on a candle boundary: exit at the open
    expect(roiExitPrice(c, 100, 0, 0, 60, -1, 60, 5)).toBe(100)
  })

  test("early freqtrade's pricing: the ROI rate itself, neither the open on a new step nor the candle's low", () => {
    const legacy = { newStepAtOpen: false, withinCandle: false }
    // the 1 % rate 101 lies below the candle (low 102): today's price is the low 102 or, on a new step, the open 103
    const c = { open: 103, high: 110, low: 102, close: 105 }
    expect(roiExitPrice(c, 100, 0, 0, 10, 0.01, 15, 5, legacy)).toBe(101)
    expect(roiExitPrice(c, 100, 0, 0, 10, 0.01, 10, 5, legacy)).toBe(101)
    // the reference result's ETH/BTC trade of 2018-01-10 16:40: ROI 0 at 40 min, open 0.09132568, fee 0.25 % →
    // 0.09132568 × 1.0025 / 0.9975 = 0.0917834528320802, under the 17:20 candle (open 0.09219597, low 0.09199091)
    const eth = { open: 0.09219597, high: 0.09259877, low: 0.09199091, close: 0.0925651 }
    expect(roiExitPrice(eth, 0.09132568, 0.0025, 0.0025, 40, 0, 40, 5, legacy)).toBe(0.0917834528320802)
    expect(roiExitPrice(eth, 0.09132568, 0.0025, 0.0025, 40, 0, 40, 5)).toBe(0.09219597)
  })
})
