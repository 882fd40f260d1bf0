import { Exchange, type ExchangeOptions } from '../../../src/exchange/exchange.ts'
import { type SimExchange, type SimOptions, startSimExchange } from '../../../src/sim/server.ts'
import { ManualClock } from '../../../src/util/clock.ts'

/** 2024-01-10 12:00:30 UTC: half a minute into a 1m candle. */
export const T0 = Date.UTC(2024, 0, 10, 12, 0, 30)

export interface SimSetup {
  clock: ManualClock
  sim: SimExchange
  exchange: Exchange
  /** Every URL ccxt fetched. */
  urls: string[]
  stop(): Promise<void>
}

/**
 * A simulated exchange on loopback and an Exchange pointed at it. ccxt gets a fetch that records every URL and
 * refuses any host but 127.0.0.1, so a test fails if anything leaves the machine.
 */
export async function simSetup(
  simOpts: Partial<SimOptions> = {},
  exOpts: Partial<ExchangeOptions> = {},
): Promise<SimSetup> {
  const clock = new ManualClock(T0)
  const sim = await startSimExchange({ clock, seed: 7, ...simOpts })
  const urls: string[] = []
  const loopbackFetch = (url: string, init?: RequestInit) => {
    urls.push(url)
    if (new URL(url).hostname !== '127.0.0.1') throw new Error(`request outside loopback: ${url}`)
    return fetch(url, init)
  }
  const exchange = new Exchange({
    name: 'sim',
    simUrl: sim.url,
    key: 'test-key',
    secret: 'test-secret',
    stakeCurrency: 'USDT',
    clock,
    retryDelayMs: 2,
    ...exOpts,
    // ccxt's limiter stays on, paced faster than Binance's 50 ms so tests stay quick
    ccxtConfig: { fetchImplementation: loopbackFetch, rateLimit: 5, ...exOpts.ccxtConfig },
  })
  await exchange.loadMarkets()
  return {
    clock,
    sim,
    exchange,
    urls,
    stop: async () => {
      await exchange.close()
      await sim.stop()
    },
  }
}
