import { exchangeClass } from '../util/ccxtParts.ts'

let binanceApiUrls: Record<string, string> | undefined

/** ccxt's own table of binance API base URLs (spot, sapi, futures, ...), read once. */
function defaultApiUrls(): Record<string, string> {
  if (!binanceApiUrls) {
    const probe = new (exchangeClass('binance')!)()
    binanceApiUrls = { ...(probe.urls as { api: Record<string, string> }).api }
  }
  return binanceApiUrls
}

/**
 * Constructor options that point ccxt's `binance` class at a simulated exchange at `url`:
 * - every entry of `urls.api` (ccxt merges user URLs into its own, so all of them must be replaced, or a call such
 *   as `sapi` would still reach the real exchange) keeps its path and moves to the sim's origin;
 * - only spot markets are loaded, no currencies (a private `sapi` call on Binance), no margin pair lists, no time
 *   difference probe — so loading markets is exactly one `GET /api/v3/exchangeInfo`.
 */
export function simCcxtOverrides(url: string): Record<string, unknown> {
  const origin = url.replace(/\/+$/, '')
  const api: Record<string, string> = {}
  for (const [key, value] of Object.entries(defaultApiUrls())) {
    api[key] = `${origin}${new URL(value).pathname}`
  }
  return {
    urls: { api },
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      adjustForTimeDifference: false,
      warnOnFetchOpenOrdersWithoutSymbol: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
    },
  }
}
