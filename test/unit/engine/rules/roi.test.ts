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
})
