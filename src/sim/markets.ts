import { hashKey, unitFromHash } from './random.ts'

/** A market as the caller describes it; anything left out gets Binance-like defaults scaled to the price level. */
export interface SimMarketSpec {
  /** Unified symbol, `BASE/QUOTE`. */
  symbol: string
  /** Typical price level the synthetic candles wander around. */
  price?: number
  /** Typical daily volatility of returns (0.03 = 3 %). */
  volatility?: number
  tickSize?: number
  stepSize?: number
  /** LOT_SIZE minQty. */
  minQty?: number
  /** NOTIONAL minNotional, in quote units. */
  minNotional?: number
  makerFee?: number
  takerFee?: number
  status?: 'TRADING' | 'BREAK'
}

/** A market with every rule decided. */
export interface SimMarket {
  symbol: string
  /** Exchange id, e.g. `BTCUSDT`. */
  id: string
  base: string
  quote: string
  price: number
  volatility: number
  tickSize: number
  stepSize: number
  minQty: number
  maxQty: number
  minNotional: number
  makerFee: number
  takerFee: number
  status: 'TRADING' | 'BREAK'
}

/** The markets a sim offers when none are given: the usual USDT majors plus one BTC-quoted pair. */
export const DEFAULT_SIM_MARKETS: readonly SimMarketSpec[] = [
  { symbol: 'BTC/USDT', price: 60_000, volatility: 0.03, tickSize: 0.01, stepSize: 0.00001 },
  { symbol: 'ETH/USDT', price: 3_000, volatility: 0.04, tickSize: 0.01, stepSize: 0.0001 },
  { symbol: 'BNB/USDT', price: 600, volatility: 0.035, tickSize: 0.01, stepSize: 0.001 },
  { symbol: 'SOL/USDT', price: 150, volatility: 0.05, tickSize: 0.01, stepSize: 0.001 },
  { symbol: 'XRP/USDT', price: 0.6, volatility: 0.045, tickSize: 0.0001, stepSize: 0.1 },
  { symbol: 'ADA/USDT', price: 0.45, volatility: 0.045, tickSize: 0.0001, stepSize: 0.1 },
  { symbol: 'DOGE/USDT', price: 0.15, volatility: 0.06, tickSize: 0.00001, stepSize: 1 },
  { symbol: 'LTC/USDT', price: 80, volatility: 0.04, tickSize: 0.01, stepSize: 0.001 },
  { symbol: 'ETH/BTC', price: 0.05, volatility: 0.025, tickSize: 0.00001, stepSize: 0.0001 },
]

const USD_LIKE = new Set(['USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USD', 'DAI', 'EUR'])

/** The nearest power of ten to `x` (in log space). */
export function nearestPowerOfTen(x: number): number {
  const exp = Math.round(Math.log10(x))
  // built from the exponent's decimal string so 1e-5 is exactly 0.00001, not 0.000009999...
  return Number(`1e${exp}`)
}

/** Default minimum order value in quote units: 5 for dollar-like quotes, small amounts for coin quotes. */
export function defaultMinNotional(quote: string): number {
  if (USD_LIKE.has(quote)) return 5
  if (quote === 'BTC') return 0.0001
  if (quote === 'ETH') return 0.001
  if (quote === 'BNB') return 0.01
  return 1
}

/** A price level for a pair nobody described: stable for the pair name, plausible for its quote. */
function defaultPriceLevel(base: string, quote: string, seed: number): number {
  const u = unitFromHash(hashKey(seed, 'price-level', base, quote))
  // log-uniform within a range typical for the quote currency
  const [lo, hi] = quote === 'BTC' ? [-6, -1.5] : quote === 'ETH' ? [-5, -1] : [-2, 3]
  return 10 ** (lo + u * (hi - lo))
}

/** Splits `BASE/QUOTE`; throws on anything else. */
export function splitSymbol(symbol: string): [string, string] {
  const m = /^([A-Z0-9]+)\/([A-Z0-9]+)$/.exec(symbol)
  if (!m) throw new Error(`invalid market symbol '${symbol}': expected BASE/QUOTE, e.g. BTC/USDT`)
  return [m[1]!, m[2]!]
}

/** Fills in every rule of a market spec. */
export function resolveMarket(spec: SimMarketSpec, seed: number): SimMarket {
  const [base, quote] = splitSymbol(spec.symbol)
  const price = spec.price ?? defaultPriceLevel(base, quote, seed)
  const tickSize = spec.tickSize ?? nearestPowerOfTen(price * 1e-5)
  const stepSize = spec.stepSize ?? Math.min(1, nearestPowerOfTen(10 / price))
  return {
    symbol: spec.symbol,
    id: `${base}${quote}`,
    base,
    quote,
    price,
    volatility: spec.volatility ?? 0.02 + 0.04 * unitFromHash(hashKey(seed, 'vol', spec.symbol)),
    tickSize,
    stepSize,
    minQty: spec.minQty ?? stepSize,
    maxQty: 9_000_000,
    minNotional: spec.minNotional ?? defaultMinNotional(quote),
    makerFee: spec.makerFee ?? 0.001,
    takerFee: spec.takerFee ?? 0.001,
    status: spec.status ?? 'TRADING',
  }
}

/** Decimal string as Binance prints filter values (at least 8 decimals, more when the value needs them). */
export function binanceDecimal(x: number): string {
  if (x === 0) return '0.00000000'
  const needed = Math.max(8, Math.ceil(-Math.log10(Math.abs(x))) + 2)
  return x.toFixed(Math.min(needed, 20))
}

/** The decimals a tick/step implies (0.01 → 2). */
export function decimalsOf(step: number): number {
  return Math.max(0, Math.round(-Math.log10(step)))
}

/** One `symbols[]` entry of `/api/v3/exchangeInfo`, with the filters ccxt reads. */
export function exchangeInfoSymbol(m: SimMarket): Record<string, unknown> {
  return {
    symbol: m.id,
    status: m.status,
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: binanceDecimal(m.tickSize),
        maxPrice: binanceDecimal(Math.max(1_000_000, m.price * 1000)),
        tickSize: binanceDecimal(m.tickSize),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: binanceDecimal(m.minQty),
        maxQty: binanceDecimal(m.maxQty),
        stepSize: binanceDecimal(m.stepSize),
      },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: binanceDecimal(m.maxQty), stepSize: '0.00000000' },
      {
        filterType: 'NOTIONAL',
        minNotional: binanceDecimal(m.minNotional),
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  }
}
