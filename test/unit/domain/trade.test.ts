import { describe, expect, test } from 'bun:test'
import { amountToPrecision, openValue, priceToPrecision, round8, Trade } from '../../../src/domain/index.ts'
import { replayFills } from '../../../src/domain/trade.ts'

const trade = (o: Partial<ConstructorParameters<typeof Trade>[0]> = {}) =>
  new Trade({ id: 1, pair: 'ETH/BTC', openDateMs: 0, openRate: 0.05, amount: 2, feeOpen: 0.001, feeClose: 0.001, ...o })

describe('Trade money math (§6.4)', () => {
  test('open value includes the entry fee: 2 × 0.05 × 1.001 = 0.1001', () => {
    expect(trade().openTradeValue).toBe(0.1001)
    expect(trade().stakeAmount).toBe(0.1)
    expect(openValue(3, 33.33, 0.001)).toBe(100.08999)
  })

  test('close value deducts the exit fee: 2 × 0.06 × 0.999 = 0.11988', () => {
    expect(trade().closeValue(0.06)).toBe(0.11988)
  })

  test('profit abs = CV − OV rounded to 8; ratio = CV / OV − 1', () => {
    const t = trade()
    // 0.11988 − 0.1001 = 0.01978; 0.11988 / 0.1001 − 1 = 0.197602397…
    expect(t.profitAbs(0.06)).toBe(0.01978)
    expect(t.profitRatio(0.06)).toBe(0.11988 / 0.1001 - 1)
    expect(t.profitAbove(0.06, 0.1976)).toBe(true)
    expect(t.profitAbove(0.06, 0.1977)).toBe(false)
  })

  test('close: profit abs rounded to 8, close_profit = abs / open value', () => {
    const t = trade()
    t.close(0.06, 600_000, 'roi')
    expect(t.isOpen).toBe(false)
    expect(t.closeProfitAbs).toBe(0.01978)
    expect(t.closeProfit).toBe(0.01978 / 0.1001)
    expect(t.durationMinutes).toBe(10)
  })

  test('the initial stop is rounded up to the tick and later stops only rise', () => {
    // 0.05 × 0.9 = 0.045 exactly on the 0.00001 tick... 0.05123 × 0.9 = 0.046107 → up to 0.04611
    const t = trade({ openRate: 0.05123, pricePrecision: 0.00001 })
    t.adjustStopLoss(0.05123, -0.1, true)
    expect(t.stopLoss).toBe(0.04611)
    expect(t.initialStopLoss).toBe(0.04611)
    expect(t.stopLossPct).toBe(-0.1)
    t.adjustStopLoss(0.05, -0.1) // 0.045 < 0.04611: kept
    expect(t.stopLoss).toBe(0.04611)
    expect(t.isStopLossTrailing).toBe(false)
    t.adjustStopLoss(0.06, -0.02) // 0.0588 → on the tick
    expect(t.stopLoss).toBe(0.0588)
    expect(t.stopLossPct).toBe(-0.02)
    expect(t.isStopLossTrailing).toBe(true)
    expect(t.initialStopLoss).toBe(0.04611)
  })

  test('min/max rates widen with each candle', () => {
    const t = trade()
    t.adjustMinMax(0.051, 0.049)
    t.adjustMinMax(0.0505, 0.0495)
    expect([t.minRate, t.maxRate]).toEqual([0.049, 0.051])
  })
})

describe('precision', () => {
  test('amounts are truncated to the step, never rounded up', () => {
    expect(amountToPrecision(3.0003, 0.001)).toBe(3)
    expect(amountToPrecision(10.37344398340249, 0.01)).toBe(10.37)
    expect(amountToPrecision(0.999999, 1)).toBe(0)
    expect(amountToPrecision(1.23456, undefined)).toBe(1.23456)
  })

  test('prices round to the nearest tick, or up/down to the next tick', () => {
    expect(priceToPrecision(89.991, 0.01)).toBe(89.99)
    expect(priceToPrecision(89.991, 0.01, undefined, 'up')).toBe(90)
    expect(priceToPrecision(89.999, 0.01, undefined, 'down')).toBe(89.99)
    // already on the tick: unchanged
    expect(priceToPrecision(90.01, 0.01, undefined, 'up')).toBe(90.01)
  })

  test('round8 keeps 8 decimals', () => {
    expect(round8(0.123456789)).toBe(0.12345679)
    expect(round8(-1.0000000049)).toBe(-1)
  })
})

describe('replayFills (recalc_trade_from_orders)', () => {
  test('entries average by amount; an exit realises its profit against that average and leaves it', () => {
    // 2 at 100 and 1 at 70: average 90; selling 1.5 at 120 with 0.1 % fees realises
    // 1.5 × 120 × 0.999 − 1.5 × 90 × 1.001 = 179.82 − 135.135 = 44.685
    const p = replayFills(
      [
        { side: 'buy', filled: 2, price: 100 },
        { side: 'buy', filled: 1, price: 70 },
        { side: 'sell', filled: 1.5, price: 120 },
      ],
      0.001,
      0.001,
    )
    expect(p.openRate).toBe(90)
    expect(p.amount).toBe(1.5)
    expect(p.lastHeld).toBe(3)
    expect(p.maxStake).toBe(270)
    expect(p.entryValue).toBeCloseTo(270.27, 10)
    expect(round8(p.realized)).toBe(44.685)
  })

  test("a single entry's price comes back exactly, after an exit too", () => {
    // (197.19 × 5.071e-5) / 197.19 is 5.0709999999999994e-5 in floats
    const p = replayFills(
      [
        { side: 'buy', filled: 197.19, price: 5.071e-5 },
        { side: 'sell', filled: 98.59, price: 5.137e-5 },
      ],
      0.001,
      0.001,
    )
    expect(p.openRate).toBe(5.071e-5)
    expect(p.amount).toBe(98.6)
  })
})
