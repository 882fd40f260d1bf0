import { describe, expect, test } from 'bun:test'
import { bookSide, pricingRate } from '../../../src/engine/pricing.ts'

const book = {
  bids: [
    [99, 1],
    [98, 1],
    [97, 1],
  ] as [number, number][],
  asks: [
    [101, 1],
    [102, 1],
  ] as [number, number][],
}
const ticker = { symbol: 'X/USDT', bid: 99, ask: 101, last: 100 }

describe('entry and exit pricing of a long', () => {
  test('same = the side the order rests on, other = the side it takes', () => {
    expect(bookSide('entry', 'same')).toBe('bid')
    expect(bookSide('entry', 'other')).toBe('ask')
    expect(bookSide('exit', 'same')).toBe('ask')
    expect(bookSide('exit', 'other')).toBe('bid')
    expect(bookSide('exit', 'ask')).toBe('ask')
  })

  test('the order book level order_book_top', () => {
    expect(pricingRate('entry', { price_side: 'same', order_book_top: 2 }, ticker, book)).toBe(98)
    expect(pricingRate('exit', { price_side: 'same', order_book_top: 1 }, ticker, book)).toBe(101)
    // deeper than the book: its last level
    expect(pricingRate('exit', { price_side: 'same', order_book_top: 5 }, ticker, book)).toBe(102)
  })

  test('the ticker, moved towards last by price_last_balance only when that is the better price', () => {
    const cfg = { use_order_book: false, price_side: 'other' as const, price_last_balance: 0.5 }
    // entry at the ask 101 above last 100: halfway → 100.5
    expect(pricingRate('entry', cfg, ticker, book)).toBe(100.5)
    // exit at the bid 99 below last 100: halfway → 99.5
    expect(pricingRate('exit', cfg, ticker, book)).toBe(99.5)
    // entry at the bid (same) is already below last: unchanged
    expect(pricingRate('entry', { ...cfg, price_side: 'same' }, ticker, book)).toBe(99)
    expect(pricingRate('entry', { use_order_book: false }, undefined, book)).toBeUndefined()
  })
})
