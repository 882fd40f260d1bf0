import type { Server } from 'bun'
import type { OhlcvColumns } from '../frame/ohlcv.ts'
import type { Clock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import { type CandleSource, candleStart, openCandle } from './candles.ts'
import { SimApiError, SimEngine, type SimOrder } from './engine.ts'
import { type FaultDecision, FaultInjector, type SimFaults } from './faults.ts'
import {
  DEFAULT_SIM_MARKETS,
  exchangeInfoSymbol,
  resolveMarket,
  type SimMarket,
  type SimMarketSpec,
  splitSymbol,
} from './markets.ts'
import { SyntheticCandleSource } from './syntheticSource.ts'

export interface SimOptions {
  /** The clock the exchange lives by (real time, or accelerated / manual shared with the bot). */
  clock: Clock
  /** Seeds candles, books and faults: the same seed gives the same exchange. */
  seed: number
  /** Markets and their rules; default `DEFAULT_SIM_MARKETS`. */
  markets?: SimMarketSpec[]
  /** More pairs (`BASE/QUOTE`) that must exist, e.g. a bot's whitelist; they get default rules for their price. */
  extraPairs?: string[]
  /** Starting balances of every account (one per API key); default `{ USDT: 10000 }`. */
  balances?: Record<string, number>
  /** Price source; default a `SyntheticCandleSource` with this seed and the markets' levels. */
  source?: CandleSource
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  hostname?: '127.0.0.1'
}

export interface SimExchange {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  readonly port: number
  readonly markets: readonly SimMarket[]
  readonly source: CandleSource
  stop(): Promise<void>
  setFaults(faults: SimFaults): void
  faults(): SimFaults
  /** Requests received per path (including ones answered with a fault), since start or the last reset. */
  requestCounts(): Record<string, number>
  /** Requests received for one path, e.g. `/api/v3/klines`. */
  requestCount(path: string): number
  resetRequestCounts(): void
  /** Current price of a pair (close so far of the still-open 1m candle). */
  price(pair: string): number
}

const log = getLogger('tern.sim')

const INTERVALS: Record<string, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
}

const PRIVATE = new Set([
  '/api/v3/account',
  '/api/v3/order',
  '/api/v3/openOrders',
  '/api/v3/allOrders',
  '/api/v3/myTrades',
])

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000']

/**
 * A number with 8 decimals, as Binance prints them. Shortest-form `String(x)` padded with zeros is the same text as
 * `toFixed(8)` for values with at most 8 decimals and several times faster, which matters for 1000-row klines.
 */
function n8(x: number): string {
  const s = String(x)
  if (s.includes('e')) return x.toFixed(8)
  const dot = s.indexOf('.')
  if (dot < 0) return `${s}.00000000`
  const decimals = s.length - dot - 1
  return decimals > 8 ? x.toFixed(8) : s + ZEROS[8 - decimals]
}

function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  })
}

const binanceError = (status: number, code: number, msg: string, headers?: Record<string, string>) =>
  json({ code, msg }, status, headers)

/** Starts the simulated exchange on loopback. */
export async function startSimExchange(opts: SimOptions): Promise<SimExchange> {
  const clock = opts.clock
  const specs = new Map<string, SimMarketSpec>()
  for (const s of opts.markets ?? DEFAULT_SIM_MARKETS) specs.set(s.symbol, s)
  for (const pair of opts.extraPairs ?? []) {
    splitSymbol(pair)
    if (!specs.has(pair)) specs.set(pair, { symbol: pair })
  }
  const markets = [...specs.values()].map((s) => resolveMarket(s, opts.seed))
  const byId = new Map(markets.map((m) => [m.id, m]))
  const bySymbol = new Map(markets.map((m) => [m.symbol, m]))
  const source =
    opts.source ??
    new SyntheticCandleSource({
      seed: opts.seed,
      profile: (pair) => {
        const m = bySymbol.get(pair)
        return m && { price: m.price, volatility: m.volatility, tickSize: m.tickSize }
      },
    })
  const engine = new SimEngine(source, opts.seed, opts.balances ?? { USDT: 10_000 })
  const faults = new FaultInjector(opts.seed)
  const counts = new Map<string, number>()

  const market = (params: URLSearchParams): SimMarket => {
    const id = params.get('symbol')
    if (!id)
      throw new SimApiError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")
    const m = byId.get(id)
    if (!m) throw new SimApiError(400, -1121, 'Invalid symbol.')
    return m
  }

  const marketsFromParams = (params: URLSearchParams): SimMarket[] => {
    if (params.has('symbol')) return [market(params)]
    const list = params.get('symbols')
    if (!list) return markets
    let ids: unknown
    try {
      ids = JSON.parse(list)
    } catch {
      throw new SimApiError(400, -1100, "Illegal characters found in parameter 'symbols'.")
    }
    if (!Array.isArray(ids)) throw new SimApiError(400, -1100, "Illegal characters found in parameter 'symbols'.")
    return ids.map((id) => {
      const m = byId.get(String(id))
      if (!m) throw new SimApiError(400, -1121, 'Invalid symbol.')
      return m
    })
  }

  const num = (params: URLSearchParams, key: string, required = false): number | undefined => {
    const raw = params.get(key)
    if (raw === null || raw === '') {
      if (required) {
        throw new SimApiError(400, -1102, `Mandatory parameter '${key}' was not sent, was empty/null, or malformed.`)
      }
      return undefined
    }
    const v = Number(raw)
    if (!Number.isFinite(v)) throw new SimApiError(400, -1100, `Illegal characters found in parameter '${key}'.`)
    return v
  }

  const ticker24 = (m: SimMarket, now: number) => {
    const base = source.baseTimeframeMs
    const from = now - 86_400_000
    const rows = source.candles(m.symbol, base, candleStart(from, base), candleStart(now, base))
    const cur = openCandle(source, m.symbol, base, now, m.tickSize)
    const last = engine.price(m, now)
    let open = rows.open.length > 0 ? rows.open[0]! : (cur?.open ?? last)
    let high = Math.max(last, cur?.high ?? last)
    let low = Math.min(last, cur?.low ?? last)
    let volume = cur?.volume ?? 0
    let quoteVolume = volume * last
    for (let i = 0; i < rows.date.length; i++) {
      high = Math.max(high, rows.high[i]!)
      low = Math.min(low, rows.low[i]!)
      volume += rows.volume[i]!
      quoteVolume += rows.volume[i]! * rows.close[i]!
    }
    if (!(open > 0)) open = last
    const book = engine.book(m, now)
    const bid = book.level('bids', 0)!
    const ask = book.level('asks', 0)!
    return {
      symbol: m.id,
      priceChange: n8(last - open),
      priceChangePercent: ((100 * (last - open)) / open).toFixed(3),
      weightedAvgPrice: n8(volume > 0 ? quoteVolume / volume : last),
      prevClosePrice: n8(open),
      lastPrice: n8(last),
      lastQty: n8(m.minQty),
      bidPrice: n8(bid[0]),
      bidQty: n8(bid[1]),
      askPrice: n8(ask[0]),
      askQty: n8(ask[1]),
      openPrice: n8(open),
      highPrice: n8(high),
      lowPrice: n8(low),
      volume: n8(volume),
      quoteVolume: n8(quoteVolume),
      openTime: from,
      closeTime: now,
      firstId: 1,
      lastId: Math.max(1, Math.round(volume)),
      count: Math.max(1, Math.round(volume)),
    }
  }

  const klines = (params: URLSearchParams, now: number): Response => {
    const m = market(params)
    const interval = params.get('interval') ?? ''
    const tf = INTERVALS[interval]
    if (!tf) throw new SimApiError(400, -1120, 'Invalid interval.')
    const limit = Math.min(1000, Math.max(1, num(params, 'limit') ?? 500))
    const startTime = num(params, 'startTime')
    const endTime = num(params, 'endTime')
    const nowCandle = candleStart(now, tf)
    // candles open at or after startTime, at or before endTime, never after the clock's now
    const last = Math.min(nowCandle, endTime !== undefined ? candleStart(endTime, tf) : nowCandle)
    let first: number
    if (startTime !== undefined)
      first = candleStart(startTime, tf) < startTime ? candleStart(startTime, tf) + tf : startTime
    else first = last - (limit - 1) * tf
    let cols: OhlcvColumns | undefined
    let count = 0
    if (first <= last) {
      const end = Math.min(last + tf, first + limit * tf)
      cols = source.candles(m.symbol, tf, first, end)
      count = cols.date.length
    }
    const parts: string[] = []
    for (let i = 0; i < count; i++) {
      const c = cols!
      const t = c.date[i]!
      let o = c.open[i]!
      let h = c.high[i]!
      let l = c.low[i]!
      let cl = c.close[i]!
      let v = c.volume[i]!
      if (t === nowCandle) {
        // the still-open candle, as far as it has got
        const bar = openCandle(source, m.symbol, tf, now, m.tickSize)
        if (bar) {
          o = bar.open
          h = bar.high
          l = bar.low
          cl = bar.close
          v = bar.volume
        }
      }
      const qv = v * cl
      parts.push(
        `[${t},"${n8(o)}","${n8(h)}","${n8(l)}","${n8(cl)}","${n8(v)}",${t + tf - 1},"${n8(qv)}",${Math.max(1, Math.round(v))},"${n8(v / 2)}","${n8(qv / 2)}","0"]`,
      )
    }
    return new Response(`[${parts.join(',')}]`, { headers: { 'content-type': 'application/json;charset=UTF-8' } })
  }

  const orderJson = (o: SimOrder) => ({
    symbol: o.market.id,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: n8(o.price),
    origQty: n8(o.origQty),
    executedQty: n8(o.executedQty),
    cummulativeQuoteQty: n8(o.cumQuote),
    status: o.status,
    timeInForce: 'GTC',
    type: o.type,
    side: o.side,
    stopPrice: n8(o.stopPrice),
    icebergQty: n8(0),
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.working,
    // a stop order starts working when it triggers; Binance shows -1 until then
    workingTime: o.working ? o.time : -1,
    origQuoteOrderQty: n8(o.origQuoteOrderQty),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  })

  const fillJson = (o: SimOrder) =>
    o.fills.map((f) => ({
      price: n8(f.price),
      qty: n8(f.qty),
      commission: n8(f.commission),
      commissionAsset: f.commissionAsset,
      tradeId: f.tradeId,
    }))

  const createOrder = (account: string, params: URLSearchParams, now: number) => {
    const m = market(params)
    const side = params.get('side')
    if (side !== 'BUY' && side !== 'SELL') throw new SimApiError(400, -1117, 'Invalid side.')
    const type = params.get('type')
    if (type !== 'LIMIT' && type !== 'MARKET' && type !== 'LIMIT_MAKER' && type !== 'STOP_LOSS_LIMIT') {
      throw new SimApiError(400, -1116, 'Invalid orderType.')
    }
    const quantity = num(params, 'quantity')
    const quoteOrderQty = num(params, 'quoteOrderQty')
    const price = num(params, 'price', type !== 'MARKET')
    const stopPrice = type === 'STOP_LOSS_LIMIT' ? num(params, 'stopPrice', true) : undefined
    if (type === 'MARKET') {
      if (quantity === undefined && quoteOrderQty === undefined) {
        throw new SimApiError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
      }
    } else if (quantity === undefined) {
      throw new SimApiError(400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.")
    }
    if ((quantity ?? 1) <= 0 || (quoteOrderQty ?? 1) <= 0 || (price ?? 1) <= 0 || (stopPrice ?? 1) <= 0) {
      throw new SimApiError(400, -1013, 'Invalid quantity.')
    }
    const order = engine.createOrder(
      account,
      m,
      {
        side,
        type,
        quantity,
        quoteOrderQty: type === 'MARKET' && quantity === undefined ? quoteOrderQty : undefined,
        price: type === 'MARKET' ? undefined : price,
        stopPrice,
        clientOrderId: params.get('newClientOrderId') ?? undefined,
      },
      now,
    )
    const { time, updateTime, isWorking, stopPrice: stop, icebergQty, ...rest } = orderJson(order)
    // Binance answers the stop price only for stop orders
    return {
      ...rest,
      ...(order.type === 'STOP_LOSS_LIMIT' ? { stopPrice: stop } : {}),
      transactTime: now,
      fills: fillJson(order),
    }
  }

  const handlePrivate = (path: string, method: string, account: string, params: URLSearchParams, now: number) => {
    if (path === '/api/v3/account') {
      return {
        makerCommission: 10,
        takerCommission: 10,
        buyerCommission: 0,
        sellerCommission: 0,
        commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
        canTrade: true,
        canWithdraw: true,
        canDeposit: true,
        brokered: false,
        requireSelfTradePrevention: false,
        preventSor: false,
        updateTime: now,
        accountType: 'SPOT',
        balances: engine.balances(account).map((b) => ({ asset: b.asset, free: n8(b.free), locked: n8(b.locked) })),
        permissions: ['SPOT'],
        uid: 1,
      }
    }
    if (path === '/api/v3/order') {
      if (method === 'POST') return createOrder(account, params, now)
      const m = market(params)
      const id = num(params, 'orderId')
      const clientId = params.get('origClientOrderId') ?? undefined
      if (id === undefined && clientId === undefined) {
        throw new SimApiError(
          400,
          -1102,
          "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
        )
      }
      if (method === 'DELETE') {
        const order = engine.cancelOrder(engine.findOrder(account, m, id, clientId, true), now)
        const { time, updateTime, isWorking, workingTime, ...rest } = orderJson(order)
        return { ...rest, origClientOrderId: order.clientOrderId, transactTime: now }
      }
      if (method === 'GET') return orderJson(engine.findOrder(account, m, id, clientId))
    }
    if (path === '/api/v3/openOrders' && method === 'GET') {
      const m = params.has('symbol') ? market(params) : undefined
      return engine.openOrders(account, m).map(orderJson)
    }
    if (path === '/api/v3/allOrders' && method === 'GET') {
      return engine.allOrders(account, market(params)).map(orderJson)
    }
    if (path === '/api/v3/myTrades' && method === 'GET') {
      const m = market(params)
      const orderId = num(params, 'orderId')
      const startTime = num(params, 'startTime') ?? Number.NEGATIVE_INFINITY
      const endTime = num(params, 'endTime') ?? Number.POSITIVE_INFINITY
      const fromId = num(params, 'fromId') ?? 0
      const limit = Math.min(1000, num(params, 'limit') ?? 500)
      return engine
        .accountTrades(account, m)
        .filter(
          ({ order, fill }) =>
            (orderId === undefined || order.orderId === orderId) &&
            fill.time >= startTime &&
            fill.time <= endTime &&
            fill.tradeId >= fromId,
        )
        .slice(0, limit)
        .map(({ order, fill }) => ({
          symbol: m.id,
          id: fill.tradeId,
          orderId: order.orderId,
          orderListId: -1,
          price: n8(fill.price),
          qty: n8(fill.qty),
          quoteQty: n8(fill.quoteQty),
          commission: n8(fill.commission),
          commissionAsset: fill.commissionAsset,
          time: fill.time,
          isBuyer: order.side === 'BUY',
          isMaker: fill.isMaker,
          isBestMatch: true,
        }))
    }
    throw new SimApiError(404, -1000, `Unknown endpoint ${method} ${path}`)
  }

  const handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url)
    const path = url.pathname
    const method = req.method
    const params = url.searchParams
    if (method === 'POST' || method === 'PUT' || method === 'DELETE') {
      const body = await req.text()
      if (body && !(req.headers.get('content-type') ?? '').includes('json')) {
        for (const [k, v] of new URLSearchParams(body)) params.append(k, v)
      }
    }
    const now = clock.now()
    engine.sync(now)
    switch (path) {
      case '/api/v3/ping':
        return json({})
      case '/api/v3/time':
        return json({ serverTime: now })
      case '/api/v3/exchangeInfo': {
        const list = params.has('symbol') || params.has('symbols') ? marketsFromParams(params) : markets
        return json({
          timezone: 'UTC',
          serverTime: now,
          rateLimits: [
            { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
            { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
            { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
          ],
          exchangeFilters: [],
          symbols: list.map(exchangeInfoSymbol),
        })
      }
      case '/api/v3/ticker/24hr': {
        const single = params.has('symbol')
        const list = marketsFromParams(params).map((m) => ticker24(m, now))
        return json(single ? list[0] : list)
      }
      case '/api/v3/ticker/bookTicker': {
        const single = params.has('symbol')
        const list = marketsFromParams(params).map((m) => {
          const book = engine.book(m, now)
          const bid = book.level('bids', 0)!
          const ask = book.level('asks', 0)!
          return { symbol: m.id, bidPrice: n8(bid[0]), bidQty: n8(bid[1]), askPrice: n8(ask[0]), askQty: n8(ask[1]) }
        })
        return json(single ? list[0] : list)
      }
      case '/api/v3/ticker/price': {
        const single = params.has('symbol')
        const list = marketsFromParams(params).map((m) => ({ symbol: m.id, price: n8(engine.price(m, now)) }))
        return json(single ? list[0] : list)
      }
      case '/api/v3/avgPrice': {
        const m = market(params)
        return json({ mins: 5, price: n8(engine.price(m, now)), closeTime: now })
      }
      case '/api/v3/depth': {
        const m = market(params)
        const limit = Math.min(5000, Math.max(1, num(params, 'limit') ?? 100))
        const { bids, asks } = engine.book(m, now).depth(limit)
        return json({
          lastUpdateId: Math.floor(now / 100),
          bids: bids.map(([p, q]) => [n8(p), n8(q)]),
          asks: asks.map(([p, q]) => [n8(p), n8(q)]),
        })
      }
      case '/api/v3/klines':
        return klines(params, now)
    }
    if (PRIVATE.has(path)) {
      const key = req.headers.get('x-mbx-apikey')
      if (!key || !params.get('signature')) {
        return binanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.')
      }
      return json(handlePrivate(path, method, key, params, now))
    }
    return new Response('Not Found', { status: 404 })
  }

  const playFault = (fault: FaultDecision): Response | undefined => {
    switch (fault) {
      case 'maintenance':
        return binanceError(503, 1, 'System is under maintenance.')
      case 'drop':
        // An erroring body stream makes Bun reset the connection before any byte of the answer is sent, which is
        // what a dropped connection looks like to the client (ECONNRESET). Bun prints the reason once per drop.
        return new Response(
          new ReadableStream({
            pull(controller) {
              controller.error('sim fault: connection dropped on purpose')
            },
          }),
        )
      case 'rateLimit':
        return binanceError(
          429,
          -1003,
          'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
          { 'retry-after': '1' },
        )
      case 'error500':
        return binanceError(500, -1001, 'Internal error; unable to process your request. Please try again.')
      case 'error503':
        return new Response('Service Unavailable', { status: 503, headers: { 'content-type': 'text/plain' } })
      default:
        return undefined
    }
  }

  const server: Server<undefined> = Bun.serve({
    port: opts.port ?? 0,
    hostname: opts.hostname ?? '127.0.0.1',
    idleTimeout: 30,
    fetch: async (req) => {
      const path = new URL(req.url).pathname
      if (path === '/_sim/faults') {
        if (req.method === 'POST') {
          try {
            faults.set((await req.json()) as SimFaults)
          } catch (e) {
            return json({ error: (e as Error).message }, 400)
          }
        }
        return json(faults.get())
      }
      if (path === '/_sim/requests') return json(Object.fromEntries(counts))
      counts.set(path, (counts.get(path) ?? 0) + 1)
      if (faults.latencyMs > 0) await Bun.sleep(faults.latencyMs)
      const fault = playFault(faults.decide(clock.now()))
      if (fault) return fault
      try {
        return await handle(req)
      } catch (e) {
        if (e instanceof SimApiError) return binanceError(e.status, e.code, e.message)
        log.error({ err: e }, `sim: ${req.method} ${path} failed`)
        return binanceError(500, -1000, 'An unknown error occurred while processing the request.')
      }
    },
  })

  const port = server.port!
  const url = `http://127.0.0.1:${port}`
  log.debug(`simulated exchange listening on ${url} with ${markets.length} markets`)
  return {
    url,
    port,
    markets,
    source,
    stop: async () => {
      await server.stop(true)
    },
    setFaults: (f) => faults.set(f),
    faults: () => faults.get(),
    requestCounts: () => Object.fromEntries(counts),
    requestCount: (path) => counts.get(path) ?? 0,
    resetRequestCounts: () => counts.clear(),
    price: (pair) => {
      const m = bySymbol.get(pair)
      if (!m) throw new Error(`the simulated exchange has no market '${pair}'`)
      return engine.price(m, clock.now())
    },
  }
}
