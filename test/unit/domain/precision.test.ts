import { describe, expect, test } from 'bun:test'
import { functions, Precise } from 'ccxt'
import { amountToPrecision, openValue, priceToPrecision, roundTo } from '../../../src/domain/index.ts'

// The fast paths compute on decimal texts in plain numbers; they must agree with ccxt's own helpers everywhere.
let seed = 7
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32
}
const TICKS = [1, 0.1, 0.01, 0.001, 0.00001, 1e-8, 0.5, 0.25, 0.05, 5, 10]

describe('exact decimal fast paths agree with ccxt', () => {
  test('amount truncation equals decimalToPrecision(TRUNCATE, TICK_SIZE)', () => {
    for (let i = 0; i < 5000; i++) {
      const tick = TICKS[i % TICKS.length]
      const amount = rand() * 10 ** Math.floor(rand() * 8 - 3)
      const want = Number(functions.decimalToPrecision(amount, functions.TRUNCATE, tick, functions.TICK_SIZE))
      expect(amountToPrecision(amount, tick)).toBe(want)
    }
  })

  test('price rounded up to the tick equals the decimal computation', () => {
    for (let i = 0; i < 5000; i++) {
      const tick = TICKS[i % TICKS.length]
      const price = rand() * 10 ** Math.floor(rand() * 6 - 2) * 0.95
      const p = String(tick)
      const x = String(price)
      const missing = Precise.stringMod(x, p)
      const want = Precise.stringEq(missing, '0')
        ? price
        : roundTo(Number(Precise.stringAdd(Precise.stringSub(x, missing), p)), 14)
      expect(priceToPrecision(price, tick, functions.TICK_SIZE, 'up')).toBe(want)
    }
  })

  test('open value equals the Precise product', () => {
    for (let i = 0; i < 5000; i++) {
      const amount = Math.floor(rand() * 1e6) / 1e3
      const rate = Math.floor(rand() * 1e7) / 10 ** Math.floor(rand() * 9)
      const fee = [0.001, 0.00075, 0.0025, 0][i % 4]
      const ot = Precise.stringMul(String(amount), String(rate))
      const want = Number(Precise.stringAdd(ot, Precise.stringMul(ot, String(fee))))
      expect(openValue(amount, rate, fee)).toBe(want)
    }
  })
})
