import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import ccxt from 'ccxt'
import { simCcxtOverrides } from '../../../src/sim/ccxtOverrides.ts'
import { type SimExchange, startSimExchange } from '../../../src/sim/server.ts'
import { ManualClock } from '../../../src/util/clock.ts'

const MIN = 60_000
const T0 = Date.UTC(2024, 0, 10, 12, 2, 30) // 2.5 minutes into a 5m candle

describe('simulated exchange over HTTP', () => {
  const clock = new ManualClock(T0)
  let sim: SimExchange
  const get = async (path: string) => {
    const res = await fetch(`${sim.url}${path}`)
    return { status: res.status, body: (await res.json()) as unknown }
  }
  beforeAll(async () => {
    sim = await startSimExchange({ clock, seed: 21, balances: { USDT: 1000 } })
  })
  afterAll(() => sim.stop())

  test('klines stop at the clock: the last candle is the open one, cut at now', async () => {
    const { body } = await get('/api/v3/klines?symbol=BTCUSDT&interval=5m&limit=10')
    const rows = body as (string | number)[][]
    expect(rows.length).toBe(10)
    const lastOpen = Math.floor(T0 / (5 * MIN)) * 5 * MIN
    expect(rows[9]![0]).toBe(lastOpen)
    expect(rows[0]![0]).toBe(lastOpen - 9 * 5 * MIN)
    // the open 5m candle: two whole 1m bars and half of the third
    const ones = sim.source.candles('BTC/USDT', MIN, lastOpen, lastOpen + 3 * MIN)
    const vol = ones.volume[0]! + ones.volume[1]! + ones.volume[2]! / 2
    expect(Number(rows[9]![5])).toBeCloseTo(vol, 6)
    expect(Number(rows[9]![4])).toBe(sim.price('BTC/USDT'))
    // asking for the future gives nothing after now
    const { body: future } = await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${T0 + 10 * MIN}`)
    expect(future).toEqual([])
    const { body: capped } = await get(
      `/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${T0 - 5000 * MIN}&limit=5000`,
    )
    expect((capped as unknown[]).length).toBe(1000)
    const { body: ending } = await get(`/api/v3/klines?symbol=BTCUSDT&interval=1h&endTime=${T0 - 3_600_000}&limit=3`)
    expect((ending as number[][]).map((r) => r[0])).toEqual([
      Math.floor(T0 / 3_600_000) * 3_600_000 - 3 * 3_600_000,
      Math.floor(T0 / 3_600_000) * 3_600_000 - 2 * 3_600_000,
      Math.floor(T0 / 3_600_000) * 3_600_000 - 3_600_000,
    ])
  })

  test("Binance's error shapes: bad symbol, bad interval, missing key or signature", async () => {
    expect(await get('/api/v3/depth?symbol=NOPEUSDT')).toEqual({
      status: 400,
      body: { code: -1121, msg: 'Invalid symbol.' },
    })
    expect((await get('/api/v3/klines?symbol=BTCUSDT&interval=7m')).body).toEqual({
      code: -1120,
      msg: 'Invalid interval.',
    })
    const res = await get('/api/v3/account?timestamp=1')
    expect(res.status).toBe(401)
    expect((res.body as { code: number }).code).toBe(-2015)
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 2 }) })
    expect(bad.status).toBe(400)
  })

  test('a resting limit order fills when the price path crosses it; balances follow', async () => {
    const ex = new ccxt.binance({ ...simCcxtOverrides(sim.url), apiKey: 'acct-1', secret: 's' })
    await ex.loadMarkets()
    let low = Number.POSITIVE_INFINITY
    let lowAt = 0
    for (let k = 1; k <= 120; k++) {
      clock.set(T0 + k * MIN)
      const p = sim.price('ETH/USDT')
      if (p < low) {
        low = p
        lowAt = k
      }
    }
    clock.set(T0)
    const limit = Number(ex.priceToPrecision('ETH/USDT', low + 0.01))
    expect(limit).toBeLessThan(sim.price('ETH/USDT'))
    const o = await ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, limit)
    expect(o.status).toBe('open')
    let bal = await ex.fetchBalance()
    expect(bal.USDT!.used).toBeCloseTo(0.1 * limit, 8)
    clock.set(T0 + lowAt * MIN)
    const filled = await ex.fetchOrder(String(o.id), 'ETH/USDT')
    expect(filled.status).toBe('closed')
    expect(filled.average).toBe(limit)
    const trades = await ex.fetchMyTrades('ETH/USDT')
    expect(trades.length).toBe(1)
    expect(trades[0]!.takerOrMaker).toBe('maker')
    bal = await ex.fetchBalance()
    // bought 0.1 ETH at the limit, maker fee 0.1 % taken from the ETH received
    expect(bal.ETH!.free).toBeCloseTo(0.0999, 10)
    expect(bal.USDT!.free).toBeCloseTo(1000 - 0.1 * limit, 8)
    expect(bal.USDT!.used).toBe(0)
    // another key is another account
    const other = new ccxt.binance({ ...simCcxtOverrides(sim.url), apiKey: 'acct-2', secret: 's' })
    expect((await other.fetchBalance()).USDT!.free).toBe(1000)
    clock.set(T0)
  })
})
