import { describe, expect, test } from 'bun:test'
import { Trade } from '../../../../src/domain/trade.ts'
import { checkStoploss, type StoplossSettings, stoplossExitPrice } from '../../../../src/engine/rules/index.ts'

const base: StoplossSettings = {
  stoploss: -0.1,
  trailingStop: false,
  trailingStopPositive: undefined,
  trailingStopPositiveOffset: 0,
  trailingOnlyOffsetIsReached: false,
  useCustomStoploss: false,
}
const trade = () => new Trade({ id: 1, pair: 'A/B', openDateMs: 0, openRate: 100, amount: 1, feeOpen: 0, feeClose: 0 })

describe('stop-loss rules', () => {
  test('the stop is set from the open rate and hit when the low reaches it', () => {
    const t = trade()
    expect(checkStoploss(t, base, 95, 101)).toBe('none')
    expect(t.stopLoss).toBe(90)
    expect(checkStoploss(t, base, 90, 101)).toBe('stop_loss')
  })

  test('trailing: the stop follows the high; a hit after it moved is a trailing stop', () => {
    const t = trade()
    const s = { ...base, trailingStop: true }
    expect(checkStoploss(t, s, 115, 120)).toBe('none')
    expect(t.stopLoss).toBe(108)
    expect(checkStoploss(t, s, 107, 110)).toBe('trailing_stop_loss')
  })

  test('a custom stop moves the stop when the strategy returns a ratio', () => {
    const t = trade()
    const s = { ...base, useCustomStoploss: true }
    // at high 110, −5 % → 104.5
    checkStoploss(t, s, 105, 110, () => -0.05)
    expect(t.stopLoss).toBe(104.5)
  })

  test('a custom stop that reaches the low does not keep the trailing stop from moving on that candle (freqtrade)', () => {
    const t = trade()
    const s = {
      ...base,
      useCustomStoploss: true,
      trailingStop: true,
      trailingStopPositive: 0.01,
      trailingStopPositiveOffset: 0.02,
    }
    // the stop (90) was below the low (104) before either moved: the custom −5 % at the high 110 puts it at 104.5, at
    // or above the low, and the trailing step still runs: +10 % is past the 2 % offset, 1 % below 110 is 108.9
    expect(checkStoploss(t, s, 104, 110, () => -0.05)).toBe('trailing_stop_loss')
    expect(t.stopLoss).toBe(108.9)
  })

  test('exit price: the stop, the open when the candle is wholly below, the worst case on the entry candle', () => {
    expect(stoplossExitPrice(90, 95, 96, 89, 'stop_loss', 10, base)).toBe(90)
    expect(stoplossExitPrice(90, 85, 88, 84, 'stop_loss', 10, base)).toBe(85)
    // trailing hit on the entry candle: open × (1 − 0.10) bounded by the low
    const s = { ...base, trailingStop: true }
    expect(stoplossExitPrice(95, 100, 106, 80, 'trailing_stop_loss', 0, s)).toBe(90)
    expect(stoplossExitPrice(95, 100, 106, 92, 'trailing_stop_loss', 0, s)).toBe(92)
  })
})
