import type { OhlcvColumns } from '../frame/ohlcv.ts'
import { simCcxtOverrides } from '../sim/ccxtOverrides.ts'
import { type CcxtExchange, exchangeClass } from '../util/ccxtParts.ts'
import { type Clock, clock as processClock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import { CandleCache, type OhlcvRow, rowsToColumns } from './candleCache.ts'
import { BadPairError, ExchangeConfigError } from './errors.ts'
import { type RetryOptions, withRetry } from './retry.ts'

export interface ExchangeOptions {
  /** A ccxt exchange id (`binance`, `kraken`, ...), or `sim` for the simulated exchange at `simUrl`. */
  name: string
  key?: string
  secret?: string
  password?: string
  uid?: string
  /** Passed to the ccxt constructor, merged over the defaults (`enableRateLimit: true`). */
  ccxtConfig?: Record<string, unknown>
  stakeCurrency: string
  /** Base URL of the simulated exchange, required with `name: 'sim'`. */
  simUrl?: string
  clock?: Clock
  /** Retries of temporary failures (default 4) and the first backoff delay (default 1000 ms). */
  retries?: number
  retryDelayMs?: number
  /** Closed candles kept per (pair, timeframe) by `refreshOhlcv` (default 1000). */
  candleHistory?: number
  /** How long `fetchTickers` answers from its cache (default 10 s of clock time). */
  tickerTtlMs?: number
  /** At most this many pairs are fetched at once by `refreshOhlcv` (ccxt's rate limiter paces them further). */
  concurrency?: number
}

export interface MarketInfo {
  symbol: string
  base: string
  quote: string
  active: boolean
  /** ccxt precision (tick/step sizes for TICK_SIZE exchanges such as binance). */
  precision: { amount?: number; price?: number }
  limits: {
    amount: { min?: number; max?: number }
    cost: { min?: number; max?: number }
    price: { min?: number; max?: number }
  }
  maker: number
  taker: number
}

export interface Ticker {
  symbol: string
  timestamp?: number
  last?: number
  bid?: number
  ask?: number
  high?: number
  low?: number
  baseVolume?: number
  quoteVolume?: number
  percentage?: number
}

export interface OrderBook {
  bids: [number, number][]
  asks: [number, number][]
  timestamp?: number
}

export type Balances = Record<string, { free: number; used: number; total: number }>

const log = getLogger('tern.exchange')

/**
 * One exchange through ccxt: markets and their rules, candles (paged and cached), tickers, order book, balances.
 * Every call retries temporary failures and surfaces the typed errors of `errors.ts`.
 */
export class Exchange {
  readonly id: string
  readonly ccxt: CcxtExchange
  readonly stakeCurrency: string
  readonly retry: RetryOptions
  private readonly clock: Clock
  private readonly cache: CandleCache
  private readonly tickerTtlMs: number
  private readonly concurrency: number
  private tickers: { at: number; data: Record<string, Ticker> } | undefined
  private marketsLoaded = false

  constructor(opts: ExchangeOptions) {
    const isSim = opts.name === 'sim'
    const ccxtId = isSim ? 'binance' : opts.name
    const Ctor = exchangeClass(ccxtId)
    if (!Ctor) {
      throw new ExchangeConfigError(
        `exchange '${opts.name}' is not supported: it is not a ccxt exchange id (e.g. binance, kraken, okx) nor 'sim'`,
      )
    }
    if (isSim && !opts.simUrl) throw new ExchangeConfigError("exchange 'sim' needs the simulator's URL (simUrl)")
    const credentials: Record<string, unknown> = {}
    if (opts.key) credentials.apiKey = opts.key
    if (opts.secret) credentials.secret = opts.secret
    if (opts.password) credentials.password = opts.password
    if (opts.uid) credentials.uid = opts.uid
    const config = deepMerge(
      deepMerge({ enableRateLimit: true }, isSim ? simCcxtOverrides(opts.simUrl!) : {}),
      opts.ccxtConfig ?? {},
    )
    this.ccxt = new Ctor({ ...config, ...credentials })
    this.id = opts.name
    this.stakeCurrency = opts.stakeCurrency
    this.clock = opts.clock ?? processClock
    this.retry = { retries: opts.retries ?? 4, baseDelayMs: opts.retryDelayMs ?? 1000, log }
    this.cache = new CandleCache(opts.candleHistory ?? 1000)
    this.tickerTtlMs = opts.tickerTtlMs ?? 10_000
    this.concurrency = Math.max(1, opts.concurrency ?? 8)
  }

  /** Runs a ccxt call with this exchange's retry policy. */
  call<T>(what: string, fn: () => Promise<T>, orderContext = false): Promise<T> {
    return withRetry(`${this.id} ${what}`, fn, this.retry, orderContext)
  }

  async loadMarkets(reload = false): Promise<Record<string, MarketInfo>> {
    await this.call('loadMarkets', () => this.ccxt.loadMarkets(reload))
    this.marketsLoaded = true
    const out: Record<string, MarketInfo> = {}
    for (const symbol of Object.keys(this.ccxtMarkets)) out[symbol] = this.market(symbol)
    return out
  }

  /** Every market symbol loaded so far. */
  symbols(): string[] {
    return Object.keys(this.ccxtMarkets)
  }

  private get ccxtMarkets(): NonNullable<CcxtExchange['markets']> {
    return this.ccxt.markets ?? {}
  }

  private ensureMarkets(): void {
    if (!this.marketsLoaded)
      throw new ExchangeConfigError(`${this.id}: markets are not loaded; call loadMarkets() first`)
  }

  /** Rules of one market; BadPairError naming the pair when the exchange has no such market. */
  market(pair: string): MarketInfo {
    this.ensureMarkets()
    const m = this.ccxtMarkets[pair]
    if (!m) throw new BadPairError(`pair '${pair}' is not available on ${this.id}`)
    return {
      symbol: m.symbol,
      base: m.base,
      quote: m.quote,
      active: m.active !== false,
      precision: { amount: m.precision?.amount, price: m.precision?.price },
      limits: {
        amount: { min: m.limits?.amount?.min, max: m.limits?.amount?.max },
        cost: { min: m.limits?.cost?.min, max: m.limits?.cost?.max },
        price: { min: m.limits?.price?.min, max: m.limits?.price?.max },
      },
      maker: m.maker ?? 0,
      taker: m.taker ?? 0,
    }
  }

  /** Amount rounded as the exchange wants it (ccxt's own rounding: truncation for amounts on binance). */
  amountToPrecision(pair: string, amount: number): number {
    this.market(pair)
    return Number(this.ccxt.amountToPrecision(pair, amount))
  }

  /** Price rounded as the exchange wants it (ccxt's own rounding: to the nearest tick on binance). */
  priceToPrecision(pair: string, price: number): number {
    this.market(pair)
    return Number(this.ccxt.priceToPrecision(pair, price))
  }

  /**
   * Checks that the stake currency is traded and that every pair exists, is active and is quoted in the stake
   * currency. Throws one error that names every offending pair.
   */
  validatePairs(pairs: string[]): void {
    this.ensureMarkets()
    const markets = Object.values(this.ccxtMarkets)
    if (!markets.some((m) => m?.quote === this.stakeCurrency)) {
      throw new ExchangeConfigError(`stake currency '${this.stakeCurrency}' is not a quote currency on ${this.id}`)
    }
    const problems: string[] = []
    for (const pair of pairs) {
      const m = this.ccxtMarkets[pair]
      if (!m) problems.push(`pair '${pair}' is not available on ${this.id}`)
      else if (m.active === false) problems.push(`pair '${pair}' is not active (not trading) on ${this.id}`)
      else if (m.quote !== this.stakeCurrency) {
        problems.push(`pair '${pair}' is not quoted in the stake currency ${this.stakeCurrency}`)
      }
    }
    if (problems.length > 0) throw new BadPairError(problems.join('; '))
  }

  /** The candle timeframes the exchange offers, as ccxt lists them. */
  timeframes(): string[] {
    return Object.keys(this.ccxt.timeframes ?? {})
  }

  /** Milliseconds of a timeframe the exchange offers; ExchangeConfigError naming it otherwise. */
  timeframeMs(timeframe: string): number {
    const supported = this.timeframes()
    if (!supported.includes(timeframe)) {
      throw new ExchangeConfigError(
        `timeframe '${timeframe}' is not supported by ${this.id}; supported: ${supported.join(', ')}`,
      )
    }
    return this.ccxt.parseTimeframe(timeframe) * 1000
  }

  /** Candles per request the exchange allows (1000 on binance). */
  get ohlcvPageLimit(): number {
    const features = (this.ccxt as unknown as { features?: { spot?: { fetchOHLCV?: { limit?: number } } } }).features
    return features?.spot?.fetchOHLCV?.limit ?? 500
  }

  private async fetchRows(pair: string, timeframe: string, sinceMs: number): Promise<OhlcvRow[]> {
    const tf = this.timeframeMs(timeframe)
    const limit = this.ohlcvPageLimit
    const rows: OhlcvRow[] = []
    let since = sinceMs
    for (;;) {
      const from = since
      const page = (await this.call(`fetchOHLCV ${pair} ${timeframe}`, () =>
        this.ccxt.fetchOHLCV(pair, timeframe, from, limit),
      )) as OhlcvRow[]
      let added = 0
      for (const r of page) {
        if (r[0] < from) continue
        if (rows.length > 0 && r[0] <= rows[rows.length - 1]![0]) continue
        rows.push(r)
        added++
      }
      if (added === 0 || page.length < limit) break
      since = rows[rows.length - 1]![0] + tf
      if (since > this.clock.now()) break
    }
    return rows
  }

  /**
   * All candles of a pair from `sinceMs` until now, paging past the per-request limit. The still-open candle is left
   * out unless `includeOpen` is set.
   */
  async fetchOhlcv(pair: string, timeframe: string, sinceMs: number, includeOpen = false): Promise<OhlcvColumns> {
    this.market(pair)
    const tf = this.timeframeMs(timeframe)
    const rows = await this.fetchRows(pair, timeframe, sinceMs)
    const now = this.clock.now()
    while (!includeOpen && rows.length > 0 && rows[rows.length - 1]![0] + tf > now) rows.pop()
    return rowsToColumns(rows)
  }

  /**
   * Brings the cached closed candles of every pair up to date — asking only for candles after the newest cached one
   * (the first time: the last `candleHistory` candles), and only once a newer candle can have closed — and returns
   * them. Pairs are fetched concurrently; ccxt's rate limiter paces the requests. A pair whose refresh fails keeps
   * its previous candles and is logged.
   */
  async refreshOhlcv(pairs: string[], timeframe: string): Promise<Map<string, OhlcvColumns>> {
    const tf = this.timeframeMs(timeframe)
    const out = new Map<string, OhlcvColumns>()
    const queue = [...new Set(pairs)]
    const worker = async () => {
      for (let pair = queue.shift(); pair !== undefined; pair = queue.shift()) {
        const p = pair
        try {
          this.market(p)
          const now = this.clock.now()
          const last = this.cache.lastDate(p, timeframe)
          // the candle after the newest cached one has not closed yet: nothing new to ask for
          if (last !== undefined && last + 2 * tf > now) {
            out.set(p, this.cache.get(p, timeframe) as OhlcvColumns)
            continue
          }
          const since = last !== undefined ? last + tf : Math.floor(now / tf) * tf - this.cache.maxCandles * tf
          const rows = await this.fetchRows(p, timeframe, since)
          while (rows.length > 0 && rows[rows.length - 1]![0] + tf > now) rows.pop()
          out.set(p, this.cache.merge(p, timeframe, rows))
        } catch (e) {
          log.warn(`${this.id}: refreshing ${p} ${timeframe} candles failed: ${(e as Error).message}`)
          const old = this.cache.get(p, timeframe)
          if (old) out.set(p, old)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker))
    return out
  }

  /** Cached closed candles (after `refreshOhlcv`). */
  ohlcv(pair: string, timeframe: string): OhlcvColumns | undefined {
    return this.cache.get(pair, timeframe)
  }

  /** All tickers, answered from a cache younger than `tickerTtlMs` unless `fresh`. */
  async fetchTickers(fresh = false): Promise<Record<string, Ticker>> {
    const now = this.clock.now()
    if (!fresh && this.tickers && now - this.tickers.at < this.tickerTtlMs) return this.tickers.data
    const raw = await this.call('fetchTickers', () => this.ccxt.fetchTickers())
    const data: Record<string, Ticker> = {}
    for (const [symbol, t] of Object.entries(raw)) data[symbol] = toTicker(symbol, t)
    this.tickers = { at: now, data }
    return data
  }

  async fetchTicker(pair: string): Promise<Ticker> {
    this.market(pair)
    return toTicker(pair, await this.call(`fetchTicker ${pair}`, () => this.ccxt.fetchTicker(pair)))
  }

  async fetchOrderBook(pair: string, limit = 100): Promise<OrderBook> {
    this.market(pair)
    const ob = await this.call(`fetchOrderBook ${pair}`, () => this.ccxt.fetchOrderBook(pair, limit))
    return {
      bids: ob.bids.map(([p, q]) => [Number(p), Number(q)] as [number, number]),
      asks: ob.asks.map(([p, q]) => [Number(p), Number(q)] as [number, number]),
      timestamp: ob.timestamp,
    }
  }

  async fetchBalance(): Promise<Balances> {
    const b = (await this.call('fetchBalance', () => this.ccxt.fetchBalance())) as unknown as {
      free: Record<string, number>
      used: Record<string, number>
      total: Record<string, number>
    }
    const out: Balances = {}
    for (const cur of Object.keys(b.total ?? {})) {
      out[cur] = { free: b.free?.[cur] ?? 0, used: b.used?.[cur] ?? 0, total: b.total[cur] ?? 0 }
    }
    return out
  }

  /** Releases ccxt's resources (keep-alive connections, websockets). */
  async close(): Promise<void> {
    await this.ccxt.close()
  }
}

function toTicker(symbol: string, t: Record<string, unknown> | object): Ticker {
  const r = t as Record<string, number | undefined>
  return {
    symbol,
    timestamp: r.timestamp,
    last: r.last,
    bid: r.bid,
    ask: r.ask,
    high: r.high,
    low: r.low,
    baseVolume: r.baseVolume,
    quoteVolume: r.quoteVolume,
    percentage: r.percentage,
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype
}

/** Merges plain objects recursively; anything else in `b` replaces what is in `a`. */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v
  }
  return out
}
