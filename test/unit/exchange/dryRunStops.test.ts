import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { DryRunBroker } from '../../../src/exchange/dryRunBroker.ts'
import { InsufficientFundsError, InvalidOrderError } from '../../../src/exchange/errors.ts'
import type { Exchange } from '../../../src/exchange/exchange.ts'
import { type SimExchange, startSimExchange } from '../../../src/sim/server.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { connectSim } from '../../helpers/simExchange.ts'
import { pathSource, TST } from '../sim/pricePath.ts'

const MIN = 60_000
const S = 1000
const PAIR = 'TST/USDT'
const B = Date.UTC(2024, 0, 10, 12, 0, 0)
// 100 until minute 5, straight down to 90 by minute 6, back up to 100 by minute 7
const PATH: [number, number][] = [
  [B + 5 * MIN, 100],
  [B + 6 * MIN, 90],
  [B + 7 * MIN, 100],
]
// one TST bought at the best ask 100.01 with the 0.1 % fee: 10 000 − 100.01 − 0.10001
const AFTER_BUY = 10_000 - 100.01 - 0.10001

let clock: ManualClock
let sim: SimExchange
let exchange: Exchange
let broker: DryRunBroker

beforeEach(async () => {
  clock = new ManualClock(B + 30 * S)
  sim = await startSimExchange({ clock, seed: 3, markets: [TST], source: pathSource(B, PATH) })
  exchange = await connectSim(sim, clock, { retryDelayMs: 2, tickerTtlMs: 10_000 })
  broker = new DryRunBroker(exchange, { dryRunWallet: 10_000, clock })
  const buy = await broker.createOrder(PAIR, 'market', 'buy', 1)
  expect(buy.average).toBe(100.01)
})

afterEach(async () => {
  await exchange.close()
  await sim.stop()
})

describe('dry-run stop-loss orders', () => {
  test('a stop locks the coins until cancelled; one at or above the best bid, or for more than is held, is refused', async () => {
    // best bid at 100: floor(100 × 0.9999 / 0.01) × 0.01 = 99.99
    await expect(broker.createStoploss(PAIR, 1, 99.99, 98.99)).rejects.toBeInstanceOf(InvalidOrderError)
    await expect(broker.createStoploss(PAIR, 2, 95.01, 94.05)).rejects.toBeInstanceOf(InsufficientFundsError)
    const stop = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    expect(stop).toMatchObject({ status: 'open', type: 'stop_loss_limit', stopPrice: 95.01, price: 94.05, filled: 0 })
    let bal = await broker.fetchBalance()
    expect(bal.TST).toEqual({ free: 0, used: 1, total: 1 })
    expect((await broker.fetchOpenOrders(PAIR)).map((o) => o.id)).toEqual([stop.id])
    clock.set(B + 4 * MIN)
    expect((await broker.fetchOrder(stop.id, PAIR)).status).toBe('open')
    expect((await broker.cancelOrder(stop.id, PAIR)).status).toBe('canceled')
    bal = await broker.fetchBalance()
    expect(bal.TST).toEqual({ free: 1, used: 0, total: 1 })
    // a cancelled stop never fills, even after the fall
    clock.set(B + 6 * MIN)
    expect((await broker.fetchOrder(stop.id, PAIR)).status).toBe('canceled')
  })

  test('the best bid below the stop triggers it: it sells into the bids down to the limit, paying the taker fee', async () => {
    const stop = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    // 30 s into the fall the price is 95.00, best bid 94.99 < 95.01
    clock.set(B + 5 * MIN + 30 * S)
    const done = await broker.fetchOrder(stop.id, PAIR)
    expect(done).toMatchObject({ status: 'closed', filled: 1, remaining: 0, average: 94.99 })
    expect(done.fee!.cost).toBeCloseTo(0.09499, 10)
    const bal = await broker.fetchBalance()
    expect(bal.TST!.total).toBe(0)
    expect(bal.USDT!.free).toBeCloseTo(AFTER_BUY + 94.99 - 0.09499, 8)
  })

  test('a dip between two looks is seen in the 1m candle lows: the stop fills at its stop price', async () => {
    const stop = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    clock.set(B + 4 * MIN)
    expect((await broker.fetchOrder(stop.id, PAIR)).status).toBe('open')
    // by minute 8 the price is back at 100, but the candle of minute 5 went down to 90
    clock.set(B + 8 * MIN)
    const done = await broker.fetchOrder(stop.id, PAIR)
    expect(done).toMatchObject({ status: 'closed', filled: 1, average: 95.01 })
    expect(done.fee!.cost).toBeCloseTo(0.09501, 10)
    const bal = await broker.fetchBalance()
    expect(bal.USDT!.free).toBeCloseTo(AFTER_BUY + 95.01 - 0.09501, 8)
  })

  test('a gap below the limit leaves it resting at the limit price, filled there as a maker when the bid is back', async () => {
    const stop = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    // 55 s into the fall: 90.83, best bid 90.82 < 94.05
    clock.set(B + 5 * MIN + 55 * S)
    const waiting = await broker.fetchOrder(stop.id, PAIR)
    expect(waiting).toMatchObject({ status: 'open', filled: 0 })
    expect((await broker.fetchBalance()).TST).toEqual({ free: 0, used: 1, total: 1 })
    // halfway back up: price 95.00, best bid 94.99 ≥ 94.05
    clock.set(B + 6 * MIN + 30 * S)
    const done = await broker.fetchOrder(stop.id, PAIR)
    expect(done).toMatchObject({ status: 'closed', filled: 1, average: 94.05 })
    expect(done.fee!.cost).toBeCloseTo(0.09405, 10)
    expect((await broker.fetchBalance()).TST!.total).toBe(0)
  })
})
