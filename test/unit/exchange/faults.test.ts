import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import ccxt from 'ccxt'
import { InsufficientFundsError, TemporaryError } from '../../../src/exchange/errors.ts'
import { LiveBroker } from '../../../src/exchange/liveBroker.ts'
import { type SimSetup, simSetup, T0 } from './simSetup.ts'

const PAIR = 'BTC/USDT'
const TICKER = '/api/v3/ticker/24hr'

describe('retries against injected faults', () => {
  let s: SimSetup
  const unhandled: unknown[] = []
  const onUnhandled = (e: unknown) => unhandled.push(e)
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    s = await simSetup({}, { retries: 4, ccxtConfig: { timeout: 400 } })
  })
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await s.stop()
    expect(unhandled).toEqual([])
  })

  test('5xx answers are retried until the call succeeds', async () => {
    s.sim.setFaults({ errorRate: 0.3 })
    s.sim.resetRequestCounts()
    for (let i = 0; i < 6; i++) expect((await s.exchange.fetchTicker(PAIR)).last).toBeGreaterThan(0)
    const sent = s.sim.requestCount(TICKER)
    expect(sent).toBeGreaterThan(6) // every extra request is one retry
    s.sim.setFaults({ errorRate: 1 })
    s.sim.resetRequestCounts()
    const err = await s.exchange.fetchTicker(PAIR).catch((e) => e)
    expect(err).toBeInstanceOf(TemporaryError)
    expect(s.sim.requestCount(TICKER)).toBe(5) // first try + 4 retries
  })

  test('429 rate limiting is retried and then recovers', async () => {
    s.sim.setFaults({ rateLimitRate: 1 })
    s.sim.resetRequestCounts()
    const err = await s.exchange.fetchTicker(PAIR).catch((e) => e)
    expect(err).toBeInstanceOf(TemporaryError)
    expect((err as Error).cause).toBeInstanceOf(ccxt.DDoSProtection)
    expect(s.sim.requestCount(TICKER)).toBe(5)
    s.sim.setFaults({ rateLimitRate: 0.5 })
    s.sim.resetRequestCounts()
    for (let i = 0; i < 4; i++) expect((await s.exchange.fetchTicker(PAIR)).last).toBeGreaterThan(0)
    expect(s.sim.requestCount(TICKER)).toBeGreaterThan(4)
  })

  test('dropped connections are retried', async () => {
    s.sim.setFaults({ dropRate: 1 })
    s.sim.resetRequestCounts()
    const err = await s.exchange.fetchTicker(PAIR).catch((e) => e)
    expect(err).toBeInstanceOf(TemporaryError)
    expect((err as Error).cause).toBeInstanceOf(ccxt.NetworkError)
    // 5 attempts; Bun's fetch may itself resend once on a reset keep-alive connection
    expect(s.sim.requestCount(TICKER)).toBeGreaterThanOrEqual(5)
    expect(s.sim.requestCount(TICKER)).toBeLessThanOrEqual(10)
    s.sim.setFaults({ dropRate: 0.5 })
    s.sim.resetRequestCounts()
    for (let i = 0; i < 8; i++) expect((await s.exchange.fetchTicker(PAIR)).last).toBeGreaterThan(0)
    expect(s.sim.requestCount(TICKER)).toBeGreaterThan(8)
  })

  test('latency slows calls down; latency past the timeout is retried as a timeout', async () => {
    s.sim.setFaults({ latencyMs: 60 })
    const t = performance.now()
    await s.exchange.fetchTicker(PAIR)
    expect(performance.now() - t).toBeGreaterThanOrEqual(55)
    s.sim.setFaults({ latencyMs: 700 })
    s.sim.resetRequestCounts()
    const err = await s.exchange.fetchTicker(PAIR).catch((e) => e)
    expect(err).toBeInstanceOf(TemporaryError)
    expect((err as Error).cause).toBeInstanceOf(ccxt.RequestTimeout)
    expect(s.sim.requestCount(TICKER)).toBe(5)
  })

  test('faults can be set over HTTP; a maintenance window gives a temporary error after the retries', async () => {
    const res = await fetch(`${s.sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ maintenance: [T0 - 1000, T0 + 3_600_000] }),
    })
    expect(res.status).toBe(200)
    expect(s.sim.faults().maintenance).toEqual([T0 - 1000, T0 + 3_600_000])
    s.sim.resetRequestCounts()
    const err = await s.exchange.fetchTicker(PAIR).catch((e) => e)
    expect(err).toBeInstanceOf(TemporaryError)
    expect((err as Error).cause).toBeInstanceOf(ccxt.OnMaintenance)
    expect(s.sim.requestCount(TICKER)).toBe(5)
    // the window is in clock time: after it, all is well
    s.clock.set(T0 + 3_600_000)
    expect((await s.exchange.fetchTicker(PAIR)).last).toBeGreaterThan(0)
    s.clock.set(T0)
  })

  test('an order placed through a flaky connection is placed exactly once', async () => {
    s.sim.setFaults({ errorRate: 0.3, dropRate: 0.3 })
    const broker = new LiveBroker(s.exchange)
    const placed = []
    for (let i = 0; i < 5; i++) placed.push(await broker.createOrder(PAIR, 'limit', 'buy', 0.001, 30_000 + i))
    s.sim.setFaults({})
    const open = await broker.fetchOpenOrders(PAIR)
    expect(open.map((o) => o.price).sort()).toEqual([30_000, 30_001, 30_002, 30_003, 30_004])
    for (const o of open) await broker.cancelOrder(o.id, PAIR)
  })

  test('insufficient funds is not retried, even with faults on', async () => {
    s.sim.setFaults({ latencyMs: 5 })
    s.sim.resetRequestCounts()
    const broker = new LiveBroker(s.exchange)
    await expect(broker.createOrder(PAIR, 'market', 'buy', 10)).rejects.toThrow(InsufficientFundsError)
    expect(s.sim.requestCount('/api/v3/order')).toBe(1)
    s.sim.setFaults({})
  })
})
