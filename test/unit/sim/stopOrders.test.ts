import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { InvalidOrderError, TemporaryError } from '../../../src/exchange/errors.ts'
import type { Exchange } from '../../../src/exchange/exchange.ts'
import { LiveBroker } from '../../../src/exchange/liveBroker.ts'
import { type SimExchange, startSimExchange } from '../../../src/sim/server.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { connectSim } from '../../helpers/simExchange.ts'
import { pathSource, TST } from './pricePath.ts'

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

interface RawStop {
  info: { type: string; isWorking: boolean; stopPrice: string; status: string }
}

let clock: ManualClock
let sim: SimExchange
let exchange: Exchange
let broker: LiveBroker

beforeEach(async () => {
  clock = new ManualClock(B + 30 * S)
  sim = await startSimExchange({
    clock,
    seed: 3,
    markets: [TST],
    source: pathSource(B, PATH),
    balances: { USDT: 10_000, TST: 5 },
  })
  exchange = await connectSim(sim, clock, { retryDelayMs: 2, tickerTtlMs: 10_000 })
  broker = new LiveBroker(exchange)
})

afterEach(async () => {
  await exchange.close()
  await sim.stop()
})

describe('STOP_LOSS_LIMIT orders on the simulator, through ccxt', () => {
  test('a stop rests untriggered with its stop price and locked coins; one the price has reached is refused; cancel frees the coins', async () => {
    const placed = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    expect(placed.status).toBe('open')
    expect(placed.type).toBe('stop_loss_limit')
    expect(placed.stopPrice).toBe(95.01)
    expect(placed.price).toBe(94.05)
    expect(placed.filled).toBe(0)

    const [raw] = (await exchange.ccxt.fetchOpenOrders(PAIR)) as unknown as RawStop[]
    expect(raw!.info.type).toBe('STOP_LOSS_LIMIT')
    expect(raw!.info.isWorking).toBe(false)
    expect(raw!.info.stopPrice).toBe('95.01000000')
    let bal = await exchange.fetchBalance()
    expect(bal.TST!.free).toBe(4)
    expect(bal.TST!.used).toBe(1)

    // the last price is 100: a sell stop at 100.5 would trigger at once
    await expect(broker.createStoploss(PAIR, 1, 100.5, 99.5)).rejects.toBeInstanceOf(InvalidOrderError)

    clock.set(B + 4 * MIN)
    expect((await broker.fetchOrder(placed.id, PAIR)).status).toBe('open')
    const cancelled = await broker.cancelOrder(placed.id, PAIR)
    expect(cancelled.status).toBe('canceled')
    expect(cancelled.stopPrice).toBe(95.01)
    expect(await broker.fetchOpenOrders(PAIR)).toEqual([])
    bal = await exchange.fetchBalance()
    expect(bal.TST!.free).toBe(5)
    expect(bal.TST!.used).toBe(0)
    // after the fall a cancelled stop stays cancelled
    clock.set(B + 6 * MIN)
    expect((await broker.fetchOrder(placed.id, PAIR)).status).toBe('canceled')
  })

  test('the price trading through the stop triggers it: it sells into the bids at once, as a taker', async () => {
    const placed = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    // 25 s into the fall the price is 100 − 10 × 25/60 = 95.83: above the stop
    clock.set(B + 5 * MIN + 25 * S)
    expect((await broker.fetchOrder(placed.id, PAIR)).status).toBe('open')
    // at 30 s it is 95.00 ≤ 95.01: triggered; the best bid around 95.00 is floor(95 × 0.9999 / 0.01) × 0.01 = 94.99
    clock.set(B + 5 * MIN + 30 * S)
    const done = await broker.fetchOrder(placed.id, PAIR)
    expect(done.status).toBe('closed')
    expect(done.filled).toBe(1)
    expect(done.average).toBe(94.99)
    // taker fee 0.1 % of 94.99 in USDT
    expect(done.fee).toEqual({ cost: 0.09499, currency: 'USDT', rate: undefined })
    const [trade] = (await exchange.ccxt.fetchMyTrades(PAIR)) as unknown as { takerOrMaker: string }[]
    expect(trade!.takerOrMaker).toBe('taker')
    const bal = await exchange.fetchBalance()
    expect(bal.USDT!.free).toBeCloseTo(10_000 + 94.99 - 0.09499, 8)
    expect(bal.TST!.total).toBe(4)
    expect(bal.TST!.used).toBe(0)
  })

  test('a gap through the limit leaves it working at its limit price; it fills there, as a maker, when the price comes back', async () => {
    const placed = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    // 55 s into the fall: 90.83, best bid 90.82 — below the limit 94.05, so nothing sells yet
    clock.set(B + 5 * MIN + 55 * S)
    const waiting = await broker.fetchOrder(placed.id, PAIR)
    expect(waiting.status).toBe('open')
    expect(waiting.filled).toBe(0)
    const [raw] = (await exchange.ccxt.fetchOpenOrders(PAIR)) as unknown as RawStop[]
    expect(raw!.info.isWorking).toBe(true)
    // halfway back up the price is 95.00 ≥ 94.05: the resting limit fills at its price
    clock.set(B + 6 * MIN + 30 * S)
    const done = await broker.fetchOrder(placed.id, PAIR)
    expect(done.status).toBe('closed')
    expect(done.average).toBe(94.05)
    expect(done.fee!.cost).toBe(0.09405)
    const [trade] = (await exchange.ccxt.fetchMyTrades(PAIR)) as unknown as { takerOrMaker: string }[]
    expect(trade!.takerOrMaker).toBe('maker')
  })

  test('faults still apply: during maintenance the stop is refused and nothing is placed; afterwards it goes through', async () => {
    sim.setFaults({ maintenance: [B, B + 2 * MIN] })
    await expect(broker.createStoploss(PAIR, 1, 95.01, 94.05)).rejects.toBeInstanceOf(TemporaryError)
    sim.setFaults({})
    expect(await broker.fetchOpenOrders(PAIR)).toEqual([])
    const placed = await broker.createStoploss(PAIR, 1, 95.01, 94.05)
    expect((await broker.fetchOpenOrders(PAIR)).map((o) => o.id)).toEqual([placed.id])
  })
})
