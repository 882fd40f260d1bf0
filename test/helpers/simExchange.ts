import { Exchange, type ExchangeOptions } from '../../src/exchange/exchange.ts'
import type { SimExchange } from '../../src/sim/server.ts'
import type { Clock } from '../../src/util/clock.ts'

/**
 * ccxt's binance class connected to a simulator for a test, markets loaded: test keys, one quick retry, no ticker
 * cache, and no rate limiter (ccxt would pace requests by binance's weights in real time; fetchTickers alone weighs
 * 2 s). `options` override any of these.
 */
export async function connectSim(sim: SimExchange, clock: Clock, options: Partial<ExchangeOptions> = {}) {
  const exchange = new Exchange({
    name: 'sim',
    simUrl: sim.url,
    key: 'k',
    secret: 's',
    stakeCurrency: 'USDT',
    clock,
    retries: 1,
    retryDelayMs: 5,
    tickerTtlMs: 0,
    ccxtConfig: { enableRateLimit: false },
    ...options,
  })
  await exchange.loadMarkets()
  return exchange
}
