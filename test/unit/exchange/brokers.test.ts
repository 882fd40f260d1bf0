import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { DryRunBroker } from '../../../src/exchange/dryRunBroker.ts'
import { InsufficientFundsError, InvalidOrderError, OrderNotFoundError } from '../../../src/exchange/errors.ts'
import { LiveBroker } from '../../../src/exchange/liveBroker.ts'
import { type SimSetup, simSetup, T0 } from './simSetup.ts'

const MIN = 60_000
const PAIR = 'BTC/USDT'
/** Minutes between looks at the market in the resting-order test. */
const STEP = 3

describe('DryRunBroker', () => {
  let s: SimSetup
  beforeAll(async () => {
    s = await simSetup()
  })
  afterAll(() => s.stop())

  test('market buy walks the book: average, fee and wallet match the hand-worked walk', async () => {
    s.clock.set(T0)
    const broker = new DryRunBroker(s.exchange, { dryRunWallet: 10_000, clock: s.clock })
    const book = await s.exchange.fetchOrderBook(PAIR, 100)
    const [a0, a1, a2] = book.asks
    // the first two levels whole and half of the third (rounded down to the 0.00001 step)
    const half = Math.floor((a2![1] / 2) * 1e5) / 1e5
    const amount = Number((a0![1] + a1![1] + half).toFixed(5))
    const cost = a0![0] * a0![1] + a1![0] * a1![1] + a2![0] * half
    const order = await broker.createOrder(PAIR, 'market', 'buy', amount)
    expect(order.status).toBe('closed')
    expect(order.filled).toBe(amount)
    expect(order.cost).toBeCloseTo(cost, 8)
    expect(order.average!).toBeCloseTo(cost / amount, 8)
    expect(order.average!).toBeGreaterThan(a0![0]) // slippage past the best ask
    expect(order.fee!.cost).toBeCloseTo(cost * 0.001, 8)
    expect(order.fee!.currency).toBe('USDT')
    const bal = await broker.fetchBalance()
    expect(bal.USDT!.free).toBeCloseTo(10_000 - cost * 1.001, 8)
    expect(bal.BTC!.total).toBe(amount)

    // selling it back walks the bids and pays the fee in USDT
    const sell = await broker.createOrder(PAIR, 'market', 'sell', amount)
    let proceeds = 0
    let left = amount
    for (const [p, q] of book.bids) {
      const take = Math.min(q, left)
      proceeds += take * p
      left = Number((left - take).toFixed(8))
      if (left <= 0) break
    }
    expect(sell.cost).toBeCloseTo(proceeds, 8)
    const after = await broker.fetchBalance()
    expect(after.BTC!.total).toBe(0)
    expect(after.USDT!.free).toBeCloseTo(10_000 - cost * 1.001 + proceeds * 0.999, 8)
  })

  test('limit buy below the market rests with funds locked and fills once the price crosses it', async () => {
    s.clock.set(T0)
    const broker = new DryRunBroker(s.exchange, { dryRunWallet: 10_000, clock: s.clock })
    // the lowest price of the next three hours, so the order is bound to fill at some point
    let low = Number.POSITIVE_INFINITY
    for (let k = STEP; k <= 180; k += STEP) {
      s.clock.set(T0 + k * MIN)
      low = Math.min(low, s.sim.price(PAIR))
    }
    s.clock.set(T0)
    const limit = s.exchange.priceToPrecision(PAIR, low * 1.0003)
    const askNow = (await s.exchange.fetchOrderBook(PAIR, 5)).asks[0]![0]
    expect(limit).toBeLessThan(askNow)
    const amount = 0.05
    const order = await broker.createOrder(PAIR, 'limit', 'buy', amount, limit)
    expect(order.status).toBe('open')
    const locked = amount * limit * 1.001
    let bal = await broker.fetchBalance()
    expect(bal.USDT!.used).toBeCloseTo(locked, 8)
    expect(bal.USDT!.free).toBeCloseTo(10_000 - locked, 8)

    let filledAt = -1
    for (let k = STEP; k <= 180 && filledAt < 0; k += STEP) {
      s.clock.set(T0 + k * MIN)
      const ask = (await s.exchange.fetchOrderBook(PAIR, 5)).asks[0]![0]
      const o = await broker.fetchOrder(order.id, PAIR)
      if (o.status === 'closed') {
        filledAt = k
        expect(ask).toBeLessThanOrEqual(limit)
        expect(o.filled).toBe(amount)
        expect(o.average).toBe(limit)
        expect(o.fee!.cost).toBeCloseTo(amount * limit * 0.001, 10)
      } else {
        expect(ask).toBeGreaterThan(limit)
      }
    }
    expect(filledAt).toBeGreaterThan(0)
    bal = await broker.fetchBalance()
    expect(bal.USDT!.used).toBe(0)
    expect(bal.USDT!.free).toBeCloseTo(10_000 - locked, 8)
    expect(bal.BTC!.free).toBe(amount)
    s.clock.set(T0)
  }, 15_000)

  test('cancel releases the lock; orders the wallet cannot pay or below the limits are refused', async () => {
    s.clock.set(T0)
    const broker = new DryRunBroker(s.exchange, { dryRunWallet: 1_000, clock: s.clock })
    const o = await broker.createOrder(PAIR, 'limit', 'buy', 0.01, 30_000)
    expect((await broker.fetchBalance()).USDT!.free).toBeCloseTo(1_000 - 300 * 1.001, 8)
    expect((await broker.fetchOpenOrders(PAIR)).map((x) => x.id)).toEqual([o.id])
    const c = await broker.cancelOrder(o.id, PAIR)
    expect(c.status).toBe('canceled')
    expect((await broker.fetchBalance()).USDT).toEqual({ free: 1_000, used: 0, total: 1_000 })
    await expect(broker.createOrder(PAIR, 'market', 'buy', 1)).rejects.toThrow(InsufficientFundsError)
    await expect(broker.createOrder(PAIR, 'market', 'sell', 0.01)).rejects.toThrow(InsufficientFundsError)
    await expect(broker.createOrder(PAIR, 'limit', 'buy', 0.00001, 30_000)).rejects.toThrow(InvalidOrderError)
    await expect(broker.fetchOrder('dry-999', PAIR)).rejects.toThrow(OrderNotFoundError)
  })
})

describe('LiveBroker against the simulated exchange', () => {
  let s: SimSetup
  beforeAll(async () => {
    s = await simSetup({ balances: { USDT: 10_000 } })
  })
  afterAll(() => s.stop())

  test('limit order: create, fetch, list open, cancel; balances lock and unlock', async () => {
    const broker = new LiveBroker(s.exchange)
    const o = await broker.createOrder(PAIR, 'limit', 'buy', 0.01, 30_000)
    expect(o.status).toBe('open')
    expect(o.amount).toBe(0.01)
    expect(o.price).toBe(30_000)
    expect(o.clientOrderId).toMatch(/^tern-/)
    let bal = await broker.fetchBalance()
    expect(bal.USDT).toEqual({ free: 9_700, used: 300, total: 10_000 })
    const fetched = await broker.fetchOrder(o.id, PAIR)
    expect(fetched.status).toBe('open')
    expect((await broker.fetchOpenOrders(PAIR)).map((x) => x.id)).toEqual([o.id])
    const c = await broker.cancelOrder(o.id, PAIR)
    expect(c.status).toBe('canceled')
    expect(await broker.fetchOpenOrders(PAIR)).toEqual([])
    bal = await broker.fetchBalance()
    expect(bal.USDT).toEqual({ free: 10_000, used: 0, total: 10_000 })
    await expect(broker.fetchOrder('999999', PAIR)).rejects.toThrow(OrderNotFoundError)
  })

  test('market buy fills against the book; fee in the received asset as on Binance', async () => {
    const broker = new LiveBroker(s.exchange)
    const book = await s.exchange.fetchOrderBook(PAIR, 100)
    const amount = 0.02
    let cost = 0
    let left = amount
    for (const [p, q] of book.asks) {
      const take = Math.min(q, left)
      cost += take * p
      left = Number((left - take).toFixed(8))
      if (left <= 0) break
    }
    const o = await broker.createOrder(PAIR, 'market', 'buy', amount)
    expect(o.status).toBe('closed')
    expect(o.filled).toBe(amount)
    expect(o.cost).toBeCloseTo(cost, 6)
    const f = await broker.fetchOrder(o.id, PAIR)
    expect(f.fee).toEqual({ cost: 0.00002, currency: 'BTC', rate: undefined })
    const bal = await broker.fetchBalance()
    expect(bal.BTC!.total).toBe(0.01998)
    expect(bal.USDT!.total).toBeCloseTo(10_000 - cost, 6)
  })

  test('insufficient funds and filter failures are typed and not retried', async () => {
    const broker = new LiveBroker(s.exchange)
    s.sim.resetRequestCounts()
    await expect(broker.createOrder(PAIR, 'limit', 'buy', 1, 30_000)).rejects.toThrow(InsufficientFundsError)
    expect(s.sim.requestCount('/api/v3/order')).toBe(1)
    // 0.0001 BTC at 30000 = 3 USDT, below the 5 USDT minimum order value
    await expect(broker.createOrder(PAIR, 'limit', 'buy', 0.0001, 30_000)).rejects.toThrow(InvalidOrderError)
    await expect(broker.createOrder(PAIR, 'limit', 'buy', 0.0001, 30_000)).rejects.toThrow(/NOTIONAL/)
    expect(s.sim.requestCount('/api/v3/order')).toBe(3)
  })
})
