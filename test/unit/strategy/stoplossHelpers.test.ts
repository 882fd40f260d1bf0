import { describe, expect, test } from 'bun:test'
import { stoplossFromAbsolute, stoplossFromOpen } from '../../../src/strategy/index.ts'

describe('stoplossFromOpen (freqtrade stoploss_from_open)', () => {
  test('a stop relative to the entry, as a distance below the current rate', () => {
    // entry 100, now 120 (+20 %): a stop 7 % above the entry is 107, i.e. 1 − 107 / 120 below the rate
    expect(stoplossFromOpen(0.07, 0.2)).toBeCloseTo(1 - 107 / 120, 15)
    // entry 100, now 90 (−10 %): a stop 15 % below the entry is 85, 1 − 85 / 90 below the rate
    expect(stoplossFromOpen(-0.15, -0.1)).toBeCloseTo(1 - 85 / 90, 15)
    // at the entry (0 % profit) the distance is the requested one
    expect(stoplossFromOpen(-0.05, 0)).toBeCloseTo(0.05, 15)
  })

  test('0 when the stop would be above the current rate; 1 at −100 %', () => {
    // entry 100, now 105: a stop at 110 is above the rate
    expect(stoplossFromOpen(0.1, 0.05)).toBe(0)
    expect(stoplossFromOpen(-0.1, -1)).toBe(1)
  })
})

describe('stoplossFromAbsolute (freqtrade stoploss_from_absolute)', () => {
  test('a stop price as a distance below the current rate, within [0, 1]', () => {
    expect(stoplossFromAbsolute(95, 100)).toBeCloseTo(0.05, 15)
    expect(stoplossFromAbsolute(105, 100)).toBe(0)
    expect(stoplossFromAbsolute(-5, 100)).toBe(1)
    expect(stoplossFromAbsolute(95, 0)).toBe(1)
  })
})
