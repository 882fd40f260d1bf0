import type { Exchange } from '../exchange/exchange.ts'
import type { OhlcvColumns } from '../frame/ohlcv.ts'
import { getLogger } from '../util/logger.ts'
import type { PairPerformance, PrecisionMode } from './inputs.ts'
import type { PairlistDataSource } from './pairlistManager.ts'

const log = getLogger('tern.pairlist')

/** ccxt's TICK_SIZE precision mode constant. */
const CCXT_TICK_SIZE = 4

/** How the exchange states price and amount precision (ccxt's `precisionMode`). */
export function precisionModeOf(exchange: Exchange): PrecisionMode {
  return (exchange.ccxt as unknown as { precisionMode?: number }).precisionMode === CCXT_TICK_SIZE
    ? 'tick_size'
    : 'decimal_places'
}

/**
 * The pairlist data of a live exchange: its markets, its (cached) tickers, and closed candles fetched on demand a few
 * pairs at a time. A pair whose candles cannot be fetched is logged and left out (candle filters then remove it).
 */
export function exchangePairlistSource(
  exchange: Exchange,
  opts: { performance?: (minutes: number) => PairPerformance[]; concurrency?: number } = {},
): PairlistDataSource {
  return {
    markets: () => exchange.loadMarkets(),
    tickers: () => exchange.fetchTickers(),
    performance: opts.performance,
    async candles(pairs, timeframe, sinceMs) {
      const out = new Map<string, OhlcvColumns>()
      const queue = [...pairs]
      const worker = async () => {
        for (let pair = queue.shift(); pair !== undefined; pair = queue.shift()) {
          try {
            out.set(pair, await exchange.fetchOhlcv(pair, timeframe, sinceMs))
          } catch (err) {
            log.warn(`${pair} ${timeframe} candles for the pairlist failed: ${(err as Error).message}`)
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, queue.length) }, worker))
      return out
    },
  }
}
