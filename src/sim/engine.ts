import { SyntheticBook } from './book.ts'
import { type CandleSource, candleStart, openCandle } from './candles.ts'
import type { SimMarket } from './markets.ts'

/** An answer in Binance's error shape; the server turns it into `{"code":..,"msg":..}` with this HTTP status. */
export class SimApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

export const INSUFFICIENT_BALANCE = 'Account has insufficient balance for requested action.'

export type Side = 'BUY' | 'SELL'
export type SimOrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS_LIMIT'
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED'

export interface SimFill {
  tradeId: number
  price: number
  qty: number
  quoteQty: number
  commission: number
  commissionAsset: string
  time: number
  isMaker: boolean
}

export interface SimOrder {
  orderId: number
  clientOrderId: string
  account: string
  market: SimMarket
  side: Side
  type: SimOrderType
  price: number
  /** Trigger price of a stop order (0 for other types). */
  stopPrice: number
  /** False while a stop order waits for its trigger; true for every order that can fill. */
  working: boolean
  origQty: number
  origQuoteOrderQty: number
  executedQty: number
  cumQuote: number
  status: OrderStatus
  time: number
  updateTime: number
  /** Clock time up to which the market has been checked against this order's price. */
  checkedUntil: number
  fills: SimFill[]
}

interface Balance {
  free: number
  locked: number
}

/** Rounds to 8 decimals, the precision Binance keeps balances and amounts in. */
export const r8 = (x: number): number => Math.round(x * 1e8) / 1e8

const MINUTE = 60_000

function isMultiple(x: number, step: number): boolean {
  const r = x / step
  return Math.abs(r - Math.round(r)) < 1e-7
}

/**
 * The matching side of the simulator: balances per API key, orders, fills against the synthetic book, and resting
 * limit orders filled when the price path crosses them. Time only moves when a request reads the clock, so every
 * request first calls `sync(now)`; no timers are needed.
 */
export class SimEngine {
  private readonly accounts = new Map<string, Map<string, Balance>>()
  private readonly orders = new Map<number, SimOrder>()
  private readonly open = new Set<SimOrder>()
  private readonly trades = new Map<string, { order: SimOrder; fill: SimFill }[]>()
  private nextOrderId = 1
  private nextTradeId = 1
  private syncedAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly source: CandleSource,
    private readonly seed: number,
    private readonly initialBalances: Record<string, number>,
  ) {}

  /** The price at `now`: the close so far of the still-open base candle. */
  price(market: SimMarket, now: number): number {
    const bar = openCandle(this.source, market.symbol, this.source.baseTimeframeMs, now, market.tickSize)
    if (bar) return bar.close
    // past the end of replayed data: the last known close
    const before = this.source.candles(market.symbol, this.source.baseTimeframeMs, now - 30 * 86_400_000, now)
    const n = before.close.length
    return n > 0 ? before.close[n - 1]! : market.price
  }

  book(market: SimMarket, now: number): SyntheticBook {
    return new SyntheticBook(market, this.price(market, now), this.seed, Math.floor(now / MINUTE))
  }

  private account(key: string): Map<string, Balance> {
    let acc = this.accounts.get(key)
    if (!acc) {
      acc = new Map()
      for (const [asset, amount] of Object.entries(this.initialBalances)) acc.set(asset, { free: amount, locked: 0 })
      this.accounts.set(key, acc)
    }
    return acc
  }

  private balance(key: string, asset: string): Balance {
    const acc = this.account(key)
    let b = acc.get(asset)
    if (!b) {
      b = { free: 0, locked: 0 }
      acc.set(asset, b)
    }
    return b
  }

  balances(key: string): { asset: string; free: number; locked: number }[] {
    return [...this.account(key).entries()].map(([asset, b]) => ({ asset, free: b.free, locked: b.locked }))
  }

  /** Fills resting limit orders whose price the market has crossed since they were last checked. */
  sync(now: number): void {
    if (now <= this.syncedAt && this.open.size === 0) return
    this.syncedAt = now
    for (const order of [...this.open]) {
      if (now <= order.checkedUntil) continue
      const [lo, hi] = this.range(order.market, order.checkedUntil, now)
      order.checkedUntil = now
      if (!order.working) {
        this.trigger(order, lo, hi, now)
        continue
      }
      const crossed = order.side === 'BUY' ? lo <= order.price : hi >= order.price
      if (crossed) this.fill(order, order.price, r8(order.origQty - order.executedQty), now, true)
    }
  }

  /**
   * A stop order whose trigger price the market reached in the range just checked becomes a limit order at its
   * limit price: it takes what the book at `now` offers up to that price (as a taker), and any rest rests like a
   * limit order. A sell stop triggers when the price trades at or below the stop, a buy stop at or above it.
   */
  private trigger(order: SimOrder, lo: number, hi: number, now: number): void {
    const reached = order.side === 'SELL' ? lo <= order.stopPrice : hi >= order.stopPrice
    if (!reached) return
    order.working = true
    order.updateTime = now
    const rest = r8(order.origQty - order.executedQty)
    for (const f of this.walk(this.book(order.market, now), order.side, { qty: rest }, order.price)) {
      this.fill(order, f.price, f.qty, now, false)
    }
  }

  /**
   * Lowest and highest price in (from, to]. Within a base candle the price is taken to move in a straight line from
   * open to close with wicks growing in proportion (as the open candle is shown), so no price is seen before it
   * happens.
   */
  private range(market: SimMarket, from: number, to: number): [number, number] {
    const base = this.source.baseTimeframeMs
    const p0 = this.price(market, from)
    const p1 = this.price(market, to)
    let lo = Math.min(p0, p1)
    let hi = Math.max(p0, p1)
    const firstBar = candleStart(from, base)
    const lastBar = candleStart(to, base)
    if (lastBar > firstBar) {
      // the rest of the first bar ends at its close; whole bars in between; the open bar so far
      const rows = this.source.candles(market.symbol, base, firstBar, lastBar)
      for (let i = 0; i < rows.date.length; i++) {
        if (rows.date[i] === firstBar) {
          lo = Math.min(lo, rows.close[i]!)
          hi = Math.max(hi, rows.close[i]!)
        } else {
          lo = Math.min(lo, rows.low[i]!)
          hi = Math.max(hi, rows.high[i]!)
        }
      }
      const bar = openCandle(this.source, market.symbol, base, to, market.tickSize)
      if (bar) {
        lo = Math.min(lo, bar.low)
        hi = Math.max(hi, bar.high)
      }
    }
    return [lo, hi]
  }

  private validate(m: SimMarket, qty: number, price: number | undefined, notional: number): void {
    if (m.status !== 'TRADING') throw new SimApiError(400, -1013, 'Market is closed.')
    if (price !== undefined && (price < m.tickSize || !isMultiple(price, m.tickSize))) {
      throw new SimApiError(400, -1013, 'Filter failure: PRICE_FILTER')
    }
    if (qty < m.minQty - 1e-12 || qty > m.maxQty || !isMultiple(qty, m.stepSize)) {
      throw new SimApiError(400, -1013, 'Filter failure: LOT_SIZE')
    }
    if (notional < m.minNotional - 1e-12) throw new SimApiError(400, -1013, 'Filter failure: NOTIONAL')
  }

  /** Walks one side of the book: the fills that take `qty` base (or spend `quote` quote) up to a price limit. */
  private walk(
    book: SyntheticBook,
    side: Side,
    want: { qty?: number; quote?: number },
    limit?: number,
  ): { price: number; qty: number }[] {
    const step = book.market.stepSize
    const fills: { price: number; qty: number }[] = []
    let qtyLeft = want.qty ?? Number.POSITIVE_INFINITY
    let quoteLeft = want.quote ?? Number.POSITIVE_INFINITY
    for (let k = 0; qtyLeft > 1e-12 && quoteLeft > 1e-12; k++) {
      const level = book.level(side === 'BUY' ? 'asks' : 'bids', k)
      if (!level) break
      const [price, size] = level
      if (limit !== undefined && (side === 'BUY' ? price > limit : price < limit)) break
      let q = Math.min(size, qtyLeft)
      if (quoteLeft < q * price) q = Math.floor(quoteLeft / price / step + 1e-9) * step
      q = r8(q)
      if (q <= 0) break
      fills.push({ price, qty: q })
      qtyLeft = r8(qtyLeft - q)
      quoteLeft = r8(quoteLeft - q * price)
    }
    return fills
  }

  /** Books one fill: moves balances, charges the fee in the asset received (as Binance does without BNB). */
  private fill(order: SimOrder, price: number, qty: number, now: number, isMaker: boolean): void {
    const m = order.market
    const rate = isMaker ? m.makerFee : m.takerFee
    const quoteQty = r8(price * qty)
    const base = this.balance(order.account, m.base)
    const quote = this.balance(order.account, m.quote)
    let commission: number
    let commissionAsset: string
    if (order.side === 'BUY') {
      commission = r8(qty * rate)
      commissionAsset = m.base
      if (order.type === 'MARKET') quote.free = r8(quote.free - quoteQty)
      else {
        // the limit price was locked; anything bought cheaper goes back to free
        quote.locked = r8(quote.locked - order.price * qty)
        quote.free = r8(quote.free + order.price * qty - quoteQty)
      }
      base.free = r8(base.free + qty - commission)
    } else {
      commission = r8(quoteQty * rate)
      commissionAsset = m.quote
      if (order.type === 'MARKET') base.free = r8(base.free - qty)
      else base.locked = r8(base.locked - qty)
      quote.free = r8(quote.free + quoteQty - commission)
    }
    const fill: SimFill = {
      tradeId: this.nextTradeId++,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      time: now,
      isMaker,
    }
    order.fills.push(fill)
    order.executedQty = r8(order.executedQty + qty)
    order.cumQuote = r8(order.cumQuote + quoteQty)
    order.updateTime = now
    order.status = order.executedQty >= order.origQty - 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED'
    if (order.status === 'FILLED') this.open.delete(order)
    let list = this.trades.get(order.account)
    if (!list) {
      list = []
      this.trades.set(order.account, list)
    }
    list.push({ order, fill })
  }

  createOrder(
    account: string,
    m: SimMarket,
    req: {
      side: Side
      type: SimOrderType
      quantity?: number
      quoteOrderQty?: number
      price?: number
      /** Trigger price; required for STOP_LOSS_LIMIT. */
      stopPrice?: number
      clientOrderId?: string
    },
    now: number,
  ): SimOrder {
    this.sync(now)
    const book = this.book(m, now)
    const order: SimOrder = {
      orderId: this.nextOrderId,
      clientOrderId: req.clientOrderId ?? `sim${this.nextOrderId}`,
      account,
      market: m,
      side: req.side,
      type: req.type,
      price: req.type === 'MARKET' ? 0 : req.price!,
      stopPrice: req.type === 'STOP_LOSS_LIMIT' ? req.stopPrice! : 0,
      working: req.type !== 'STOP_LOSS_LIMIT',
      origQty: 0,
      origQuoteOrderQty: req.quoteOrderQty ?? 0,
      executedQty: 0,
      cumQuote: 0,
      status: 'NEW',
      time: now,
      updateTime: now,
      checkedUntil: now,
      fills: [],
    }
    if (req.type === 'MARKET') {
      const fills =
        req.quoteOrderQty !== undefined
          ? this.walk(book, req.side, { quote: req.quoteOrderQty })
          : this.walk(book, req.side, { qty: req.quantity! })
      const qty = r8(fills.reduce((s, f) => s + f.qty, 0))
      const cost = r8(fills.reduce((s, f) => s + f.price * f.qty, 0))
      order.origQty = req.quantity ?? qty
      this.validate(m, req.quoteOrderQty !== undefined ? qty : order.origQty, undefined, cost)
      if (req.side === 'BUY' && this.balance(account, m.quote).free < cost - 1e-12) {
        throw new SimApiError(400, -2010, INSUFFICIENT_BALANCE)
      }
      if (req.side === 'SELL' && this.balance(account, m.base).free < order.origQty - 1e-12) {
        throw new SimApiError(400, -2010, INSUFFICIENT_BALANCE)
      }
      this.register(order)
      for (const f of fills) this.fill(order, f.price, f.qty, now, false)
      // a book that ran dry leaves the rest unfilled, as Binance expires it
      if (order.status !== 'FILLED') order.status = 'EXPIRED'
      return order
    }
    const price = req.price!
    const qty = req.quantity!
    order.origQty = qty
    this.validate(m, qty, price, price * qty)
    if (req.type === 'STOP_LOSS_LIMIT') {
      const stop = order.stopPrice
      if (stop < m.tickSize || !isMultiple(stop, m.tickSize))
        throw new SimApiError(400, -1013, 'Filter failure: PRICE_FILTER')
      // as on Binance, a stop the last price has already reached is refused rather than filled at once
      const last = this.price(m, now)
      if (req.side === 'SELL' ? last <= stop : last >= stop) {
        throw new SimApiError(400, -2010, 'Stop price would trigger immediately.')
      }
    }
    const crosses =
      req.type !== 'STOP_LOSS_LIMIT' && (req.side === 'BUY' ? price >= book.bestAsk : price <= book.bestBid)
    if (req.type === 'LIMIT_MAKER' && crosses) {
      throw new SimApiError(400, -2010, 'Order would immediately match and take.')
    }
    if (req.side === 'BUY') {
      const quote = this.balance(account, m.quote)
      const need = r8(price * qty)
      if (quote.free < need - 1e-12) throw new SimApiError(400, -2010, INSUFFICIENT_BALANCE)
      quote.free = r8(quote.free - need)
      quote.locked = r8(quote.locked + need)
    } else {
      const base = this.balance(account, m.base)
      if (base.free < qty - 1e-12) throw new SimApiError(400, -2010, INSUFFICIENT_BALANCE)
      base.free = r8(base.free - qty)
      base.locked = r8(base.locked + qty)
    }
    this.register(order)
    this.open.add(order)
    if (crosses) {
      for (const f of this.walk(book, req.side, { qty }, price)) this.fill(order, f.price, f.qty, now, false)
    }
    return order
  }

  private register(order: SimOrder): void {
    this.nextOrderId++
    this.orders.set(order.orderId, order)
  }

  /** An order of this account and market, by id or client id; -2013 when there is none. */
  findOrder(account: string, m: SimMarket, orderId?: number, clientOrderId?: string, cancel = false): SimOrder {
    let order: SimOrder | undefined
    if (orderId !== undefined) order = this.orders.get(orderId)
    else if (clientOrderId !== undefined) {
      for (const o of this.orders.values()) if (o.clientOrderId === clientOrderId && o.account === account) order = o
    }
    if (!order || order.account !== account || order.market.id !== m.id) {
      throw cancel
        ? new SimApiError(400, -2011, 'Unknown order sent.')
        : new SimApiError(400, -2013, 'Order does not exist.')
    }
    return order
  }

  cancelOrder(order: SimOrder, now: number): SimOrder {
    this.sync(now)
    if (!this.open.has(order)) throw new SimApiError(400, -2011, 'Unknown order sent.')
    const rest = r8(order.origQty - order.executedQty)
    if (order.side === 'BUY') {
      const quote = this.balance(order.account, order.market.quote)
      quote.locked = r8(quote.locked - order.price * rest)
      quote.free = r8(quote.free + order.price * rest)
    } else {
      const base = this.balance(order.account, order.market.base)
      base.locked = r8(base.locked - rest)
      base.free = r8(base.free + rest)
    }
    order.status = 'CANCELED'
    order.updateTime = now
    this.open.delete(order)
    return order
  }

  openOrders(account: string, m?: SimMarket): SimOrder[] {
    return [...this.open].filter((o) => o.account === account && (!m || o.market.id === m.id))
  }

  allOrders(account: string, m: SimMarket): SimOrder[] {
    return [...this.orders.values()].filter((o) => o.account === account && o.market.id === m.id)
  }

  accountTrades(account: string, m: SimMarket): { order: SimOrder; fill: SimFill }[] {
    return (this.trades.get(account) ?? []).filter((t) => t.order.market.id === m.id)
  }
}
