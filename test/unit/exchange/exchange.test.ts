import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { BadPairError, ExchangeConfigError } from '../../../src/exchange/errors.ts'
import { Exchange } from '../../../src/exchange/exchange.ts'
import { type SimSetup, simSetup, T0 } from './simSetup.ts'

const MIN = 60_000
const MARKETS = [
  { symbol: 'BTC/USDT', price: 60_000, tickSize: 0.01, stepSize: 0.00001, minNotional: 5 },
  { symbol: 'ETH/USDT', price: 3_000, tickSize: 0.01, stepSize: 0.0001 },
  { symbol: 'TST/USDT', price: 100, tickSize: 0.05, stepSize: 0.01, minQty: 0.1, minNotional: 10 },
  { symbol: 'OLD/USDT', price: 1, status: 'BREAK' as const },
  { symbol: 'ETH/BTC', price: 0.05, tickSize: 0.00001, stepSize: 0.0001 },
]

describe('Exchange against the simulated exchange', () => {
  let s: SimSetup
  beforeAll(async () => {
    s = await simSetup({ extraPairs: ['PEPE/USDT'], markets: MARKETS })
  })
  afterAll(() => s.stop())

  test('loading markets is one exchangeInfo request and nothing leaves loopback', () => {
    expect(s.sim.requestCounts()).toEqual({ '/api/v3/exchangeInfo': 1 })
    expect(s.urls.every((u) => u.startsWith(s.sim.url))).toBe(true)
  })

  test('precision and limits come through ccxt in TICK_SIZE mode', () => {
    const btc = s.exchange.market('BTC/USDT')
    expect(btc.precision).toEqual({ price: 0.01, amount: 0.00001 })
    expect(btc.limits.cost.min).toBe(5)
    expect(btc.limits.amount.min).toBe(0.00001)
    expect(btc.taker).toBe(0.001)
    const tst = s.exchange.market('TST/USDT')
    expect(tst.limits.cost.min).toBe(10)
    expect(tst.limits.amount.min).toBe(0.1)
    expect(s.exchange.market('ETH/BTC').limits.cost.min).toBe(0.0001)
  })

  test('ccxt rounds prices to the nearest tick and truncates amounts to the step', () => {
    // binance in ccxt: priceToPrecision uses ROUND, amountToPrecision uses TRUNCATE
    expect(String(s.exchange.priceToPrecision('BTC/USDT', 123.456789))).toBe('123.46')
    expect(String(s.exchange.priceToPrecision('BTC/USDT', 123.454))).toBe('123.45')
    expect(String(s.exchange.amountToPrecision('BTC/USDT', 0.123456789))).toBe('0.12345')
    // tick 0.05: 123.33 → 123.35, 123.32 → 123.3; step 0.01 truncates 1.239 → 1.23
    expect(String(s.exchange.priceToPrecision('TST/USDT', 123.33))).toBe('123.35')
    expect(String(s.exchange.priceToPrecision('TST/USDT', 123.32))).toBe('123.3')
    expect(String(s.exchange.amountToPrecision('TST/USDT', 1.239))).toBe('1.23')
  })

  test('a pair only named in extraPairs exists with default rules scaled to its price', () => {
    const m = s.sim.markets.find((x) => x.symbol === 'PEPE/USDT')!
    const info = s.exchange.market('PEPE/USDT')
    expect(info.precision.price).toBe(10 ** Math.round(Math.log10(m.price * 1e-5)))
    expect(info.limits.cost.min).toBe(5)
  })

  test('paged fetch of 3500 1m candles: 4 requests, sorted, contiguous, no duplicates, open candle dropped', async () => {
    s.sim.resetRequestCounts()
    const since = Math.floor(T0 / MIN) * MIN - 3500 * MIN
    const c = await s.exchange.fetchOhlcv('BTC/USDT', '1m', since)
    expect(c.date.length).toBe(3500)
    expect(c.date[0]).toBe(since)
    for (let i = 1; i < c.date.length; i++) expect(c.date[i]! - c.date[i - 1]!).toBe(MIN)
    expect(c.date[c.date.length - 1]! + MIN).toBeLessThanOrEqual(T0)
    expect(s.sim.requestCount('/api/v3/klines')).toBe(4)
    // exactly the source's candles
    const src = s.sim.source.candles('BTC/USDT', MIN, since, since + 3500 * MIN)
    expect(Array.from(c.close)).toEqual(Array.from(src.close))
    expect(Array.from(c.volume)).toEqual(Array.from(src.volume))
  })

  test('the candle cache asks only for new candles, drops the open one and stays bounded', async () => {
    const ex = new Exchange({
      name: 'sim',
      simUrl: s.sim.url,
      stakeCurrency: 'USDT',
      clock: s.clock,
      candleHistory: 300,
      ccxtConfig: {
        fetchImplementation: (url: string, init?: RequestInit) => {
          s.urls.push(url)
          return fetch(url, init)
        },
      },
    })
    await ex.loadMarkets()
    s.sim.resetRequestCounts()
    s.urls.length = 0
    const first = await ex.refreshOhlcv(['BTC/USDT', 'ETH/USDT', 'BTC/USDT'], '5m')
    expect(s.sim.requestCount('/api/v3/klines')).toBe(2)
    const btc = first.get('BTC/USDT')!
    expect(btc.date.length).toBe(300)
    const lastClosed = Math.floor(T0 / 300_000) * 300_000 - 300_000
    expect(btc.date[299]).toBe(lastClosed)

    // before the next candle has closed there is nothing new: no request, the same candles
    s.clock.advance(MIN)
    const unchanged = await ex.refreshOhlcv(['BTC/USDT', 'ETH/USDT'], '5m')
    expect(s.sim.requestCount('/api/v3/klines')).toBe(2)
    expect(unchanged.get('BTC/USDT')?.date[299]).toBe(lastClosed)
    s.clock.advance(-MIN)

    s.clock.advance(10 * MIN)
    s.urls.length = 0
    const second = await ex.refreshOhlcv(['BTC/USDT', 'ETH/USDT'], '5m')
    expect(s.sim.requestCount('/api/v3/klines')).toBe(4)
    const asked = s.urls
      .filter((u) => u.includes('klines'))
      .map((u) => Number(new URL(u).searchParams.get('startTime')))
    expect(asked).toEqual([lastClosed + 300_000, lastClosed + 300_000])
    const btc2 = second.get('BTC/USDT')!
    expect(btc2.date.length).toBe(300)
    expect(btc2.date[299]).toBe(lastClosed + 2 * 300_000)
    expect(btc2.date[0]).toBe(btc.date[2])
    expect(ex.ohlcv('ETH/USDT', '5m')!.date.length).toBe(300)
    s.clock.set(T0)
    await ex.close()
  })

  test('same seed gives identical candles through ccxt; tickers and order book are served', async () => {
    const other = await simSetup({ markets: MARKETS })
    try {
      const since = Math.floor(T0 / MIN) * MIN - 200 * MIN
      const a = await s.exchange.fetchOhlcv('ETH/USDT', '15m', since)
      const b = await other.exchange.fetchOhlcv('ETH/USDT', '15m', since)
      expect(a.date.length).toBeGreaterThan(10)
      expect(Array.from(a.close)).toEqual(Array.from(b.close))
      expect(Array.from(a.high)).toEqual(Array.from(b.high))
    } finally {
      await other.stop()
    }
    const tickers = await s.exchange.fetchTickers()
    expect(tickers['BTC/USDT']!.last).toBeCloseTo(s.sim.price('BTC/USDT'), 6)
    const before = s.sim.requestCount('/api/v3/ticker/24hr')
    await s.exchange.fetchTickers()
    expect(s.sim.requestCount('/api/v3/ticker/24hr')).toBe(before)
    const book = await s.exchange.fetchOrderBook('BTC/USDT', 20)
    expect(book.bids.length).toBe(20)
    expect(book.asks[0]![0]).toBeGreaterThan(book.bids[0]![0])
  })

  test('bad input gives errors that name what is wrong', async () => {
    expect(() => new Exchange({ name: 'nosuchexchange', stakeCurrency: 'USDT' })).toThrow(
      /exchange 'nosuchexchange' is not supported/,
    )
    expect(() => new Exchange({ name: 'nosuchexchange', stakeCurrency: 'USDT' })).toThrow(ExchangeConfigError)
    expect(() => s.exchange.market('NOPE/USDT')).toThrow(BadPairError)
    expect(() => s.exchange.validatePairs(['BTC/USDT', 'NOPE/USDT'])).toThrow(/'NOPE\/USDT' is not available/)
    expect(() => s.exchange.validatePairs(['OLD/USDT'])).toThrow(/'OLD\/USDT' is not active/)
    expect(() => s.exchange.validatePairs(['ETH/BTC'])).toThrow(/'ETH\/BTC' is not quoted in the stake currency USDT/)
    expect(() => s.exchange.validatePairs(['BTC/USDT', 'ETH/USDT'])).not.toThrow()
    expect(s.exchange.fetchOhlcv('BTC/USDT', '7m', T0 - 3_600_000)).rejects.toThrow(/timeframe '7m' is not supported/)
    expect(s.exchange.fetchOhlcv('NOPE/USDT', '1m', T0 - 3_600_000)).rejects.toThrow(/'NOPE\/USDT'/)
    const eur = new Exchange({ name: 'sim', simUrl: s.sim.url, stakeCurrency: 'EUR', clock: s.clock })
    await eur.loadMarkets()
    expect(() => eur.validatePairs(['BTC/USDT'])).toThrow(/stake currency 'EUR'/)
    await eur.close()
  })
})
