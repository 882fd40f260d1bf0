import { randomUUID } from 'node:crypto'
import { type Clock, clock as processClock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import type { Broker, OrderInfo, OrderSide, OrderType } from './broker.ts'
import { InsufficientFundsError, InvalidOrderError, OrderNotFoundError } from './errors.ts'
import type { Balances, Exchange, MarketInfo } from './exchange.ts'

export interface DryRunOptions {
  /** Starting balance in the stake currency. */
  dryRunWallet: number
  clock?: Clock
  /** Order-book depth fetched to price market orders (default 100 levels). */
  bookDepth?: number
}

interface Wallet {
  free: number
  used: number
}

interface DryOrder extends OrderInfo {
  /** What is locked in the wallet for the unfilled rest: quote (incl. fee) for buys, base for sells. */
  locked: number
  lockedCurrency: string
  /** Stop orders: whether the stop has triggered (from then on the order is a resting limit sell). */
  triggered?: boolean
  /** Stop orders: clock time up to which candle lows have been checked against the stop. */
  checkedUntil?: number
}

const log = getLogger('tern.dryrun')

/** The public part of a dry-run order (a copy, without the wallet bookkeeping). */
function view(order: DryOrder): OrderInfo {
  const { locked, lockedCurrency, triggered, checkedUntil, ...info } = order
  return { ...info, fee: info.fee && { ...info.fee } }
}

/** Rounds money to 1e-12 so sums of fills do not drift. */
const tidy = (x: number) => Math.round(x * 1e12) / 1e12

/**
 * Paper trading against real market data: no order reaches the exchange.
 * - market orders fill at once by walking the fetched order book (so the average price includes the slippage a
 *   real fill of that size would have) and pay the taker fee;
 * - limit orders that cross the book fill at once like a market order capped at the limit price; the others rest
 *   and fill completely at their price, paying the maker fee, once a `fetchOrder` finds the book has crossed it
 *   (best ask ≤ buy price, best bid ≥ sell price);
 * - fees are charged in the quote currency on the order's value, as freqtrade's dry run does;
 * - the wallet starts with `dryRunWallet` stake currency, tracks base currencies too, locks funds of open orders,
 *   and rejects orders it cannot pay with InsufficientFundsError;
 * - stop-loss orders (stop-limit sells) lock the coins and wait; a `fetchOrder` triggers one once the best bid or
 *   the low of a 1m candle since it was last checked is at or below the stop, and then sells as freqtrade's dry run
 *   does: at the stop price while the market is still at or above it (the trigger came from a candle low), else
 *   into the bids down to the limit price, the rest resting at the limit price like a limit sell.
 */
export class DryRunBroker implements Broker {
  private readonly wallet = new Map<string, Wallet>()
  private readonly orders = new Map<string, DryOrder>()
  private readonly clock: Clock
  private readonly depth: number
  private nextId = 1
  /** Ids stay unique across restarts (the database keeps the old orders and their ids). */
  private readonly idPrefix = `dry-${randomUUID().slice(0, 8)}-`

  constructor(
    private readonly exchange: Exchange,
    opts: DryRunOptions,
  ) {
    if (!(opts.dryRunWallet >= 0)) throw new Error(`dry_run_wallet must be >= 0, got ${opts.dryRunWallet}`)
    this.clock = opts.clock ?? processClock
    this.depth = opts.bookDepth ?? 100
    this.wallet.set(exchange.stakeCurrency, { free: opts.dryRunWallet, used: 0 })
  }

  /**
   * Sets the simulated balances (free amounts per currency), e.g. rebuilt from the database after a restart: the
   * wallet itself lives only in memory. Open simulated orders are not restored.
   */
  restore(balances: Record<string, number>): void {
    this.wallet.clear()
    for (const [currency, free] of Object.entries(balances)) this.wallet.set(currency, { free: tidy(free), used: 0 })
  }

  private purse(currency: string): Wallet {
    let w = this.wallet.get(currency)
    if (!w) {
      w = { free: 0, used: 0 }
      this.wallet.set(currency, w)
    }
    return w
  }

  /** Walks book levels up to `amount` (and not past `limit`); the rest of the amount is what the book lacked. */
  private walk(
    levels: [number, number][],
    amount: number,
    side: OrderSide,
    limit?: number,
  ): { filled: number; cost: number } {
    let left = amount
    let cost = 0
    for (const [price, size] of levels) {
      if (left <= 0) break
      if (limit !== undefined && (side === 'buy' ? price > limit : price < limit)) break
      const q = Math.min(size, left)
      cost += q * price
      left = tidy(left - q)
    }
    if (left > 0 && limit === undefined && levels.length > 0) {
      // deeper than the fetched book: the rest at the worst fetched price
      cost += left * levels[levels.length - 1]![0]
      left = 0
    }
    return { filled: tidy(amount - left), cost: tidy(cost) }
  }

  /** A new open order with nothing filled yet (fee at the taker rate until a fill says otherwise). */
  private openOrder(
    pair: string,
    m: MarketInfo,
    now: number,
    spec: Pick<DryOrder, 'type' | 'side' | 'price' | 'amount' | 'locked' | 'lockedCurrency'> & Partial<DryOrder>,
  ): DryOrder {
    return {
      id: `${this.idPrefix}${this.nextId++}`,
      pair,
      status: 'open',
      filled: 0,
      remaining: spec.amount,
      cost: 0,
      fee: { cost: 0, currency: m.quote, rate: m.taker },
      timestamp: now,
      ...spec,
    }
  }

  async createOrder(
    pair: string,
    type: OrderType,
    side: OrderSide,
    amount: number,
    price?: number,
  ): Promise<OrderInfo> {
    const m = this.exchange.market(pair)
    if (!m.active) throw new InvalidOrderError(`${pair} is not trading on ${this.exchange.id}`)
    const qty = this.exchange.amountToPrecision(pair, amount)
    if (!(qty > 0) || (m.limits.amount.min !== undefined && qty < m.limits.amount.min)) {
      throw new InvalidOrderError(`${pair}: amount ${amount} is below the minimum ${m.limits.amount.min ?? 'step'}`)
    }
    let limit: number | undefined
    if (type === 'limit') {
      if (price === undefined || !(price > 0)) throw new InvalidOrderError(`${pair}: a limit order needs a price > 0`)
      limit = this.exchange.priceToPrecision(pair, price)
    }
    const book = await this.exchange.fetchOrderBook(pair, this.depth)
    const levels = side === 'buy' ? book.asks : book.bids
    if (levels.length === 0) throw new InvalidOrderError(`${pair}: the order book is empty`)
    const refPrice = limit ?? levels[0]![0]
    if (m.limits.cost.min !== undefined && qty * refPrice < m.limits.cost.min) {
      throw new InvalidOrderError(
        `${pair}: order value ${tidy(qty * refPrice)} ${m.quote} is below the minimum ${m.limits.cost.min}`,
      )
    }
    const now = this.clock.now()
    const crosses = limit === undefined || (side === 'buy' ? levels[0]![0] <= limit : levels[0]![0] >= limit)
    const fill = crosses ? this.walk(levels, qty, side, limit) : { filled: 0, cost: 0 }
    // a crossing limit order that the book could only partly fill rests with the rest, like on an exchange
    const rest = tidy(qty - fill.filled)
    const takerFee = tidy(fill.cost * m.taker)
    const restValue = limit !== undefined ? tidy(rest * limit) : 0
    const restFee = tidy(restValue * m.maker)
    const quote = this.purse(m.quote)
    const base = this.purse(m.base)
    if (side === 'buy') {
      const need = tidy(fill.cost + takerFee + restValue + restFee)
      if (need > quote.free + 1e-9) {
        throw new InsufficientFundsError(
          `${pair}: buying ${qty} needs ${need} ${m.quote}, the dry-run wallet has ${quote.free} ${m.quote} free`,
        )
      }
    } else if (qty > base.free + 1e-12) {
      throw new InsufficientFundsError(
        `${pair}: selling ${qty} ${m.base}, the dry-run wallet has ${base.free} ${m.base} free`,
      )
    }
    const order = this.openOrder(pair, m, now, {
      type,
      side,
      price: limit ?? 0,
      amount: qty,
      locked: 0,
      lockedCurrency: side === 'buy' ? m.quote : m.base,
    })
    if (fill.filled > 0) this.book(order, fill.filled, fill.cost, m.taker, now)
    if (rest > 0 && limit !== undefined) {
      const lock = side === 'buy' ? tidy(restValue + restFee) : rest
      const w = this.purse(order.lockedCurrency)
      w.free = tidy(w.free - lock)
      w.used = tidy(w.used + lock)
      order.locked = lock
    }
    if (type === 'market' && order.price === 0) order.price = order.average ?? 0
    this.orders.set(order.id, order)
    log.info(
      `dry-run ${side} ${type} ${qty} ${pair}: ${order.status}, filled ${order.filled} at ${order.average ?? '-'}`,
    )
    return view(order)
  }

  /** Books a fill of `qty` for `cost` quote at fee `rate`: moves the wallet and updates the order. */
  private book(order: DryOrder, qty: number, cost: number, rate: number, now: number): void {
    const m = this.exchange.market(order.pair)
    const quote = this.purse(m.quote)
    const base = this.purse(m.base)
    const fee = tidy(cost * rate)
    if (order.side === 'buy') {
      quote.free = tidy(quote.free - cost - fee)
      base.free = tidy(base.free + qty)
    } else {
      base.free = tidy(base.free - qty)
      quote.free = tidy(quote.free + cost - fee)
    }
    const feeSoFar = order.fee?.cost ?? 0
    order.filled = tidy(order.filled + qty)
    order.remaining = tidy(order.amount - order.filled)
    order.cost = tidy(order.cost + cost)
    order.average = order.cost / order.filled
    order.fee = { cost: tidy(feeSoFar + fee), currency: m.quote, rate }
    order.lastTradeTimestamp = now
    if (order.remaining <= 0) order.status = 'closed'
  }

  /** Releases what an open order has locked back to free. */
  private unlock(order: DryOrder): void {
    if (order.locked <= 0) return
    const w = this.purse(order.lockedCurrency)
    w.used = tidy(w.used - order.locked)
    w.free = tidy(w.free + order.locked)
    order.locked = 0
  }

  private get(id: string, pair: string): DryOrder {
    const order = this.orders.get(id)
    if (!order || order.pair !== pair) throw new OrderNotFoundError(`dry-run order ${id} for ${pair} does not exist`)
    return order
  }

  async fetchOrder(id: string, pair: string): Promise<OrderInfo> {
    const order = this.get(id, pair)
    if (order.status === 'open' && order.type === 'stop_loss_limit' && !order.triggered) {
      await this.checkStop(order)
      return view(order)
    }
    if (order.status === 'open' && (order.type === 'limit' || order.type === 'stop_loss_limit')) {
      const book = await this.exchange.fetchOrderBook(pair, 5)
      const best = order.side === 'buy' ? book.asks[0]?.[0] : book.bids[0]?.[0]
      const crossed = best !== undefined && (order.side === 'buy' ? best <= order.price : best >= order.price)
      if (crossed) {
        this.unlock(order)
        const m = this.exchange.market(pair)
        this.book(order, order.remaining, tidy(order.remaining * order.price), m.maker, this.clock.now())
      }
    }
    return view(order)
  }

  /**
   * Places a simulated stop-loss: checked like an order on the exchange (amount, minimum value at the limit price,
   * coins free), refused like Binance refuses a stop the market has already reached, and the coins locked.
   */
  async createStoploss(pair: string, amount: number, stopPrice: number, limitPrice: number): Promise<OrderInfo> {
    const m = this.exchange.market(pair)
    if (!m.active) throw new InvalidOrderError(`${pair} is not trading on ${this.exchange.id}`)
    const qty = this.exchange.amountToPrecision(pair, amount)
    if (!(qty > 0) || (m.limits.amount.min !== undefined && qty < m.limits.amount.min)) {
      throw new InvalidOrderError(`${pair}: amount ${amount} is below the minimum ${m.limits.amount.min ?? 'step'}`)
    }
    if (!(stopPrice > 0) || !(limitPrice > 0) || limitPrice > stopPrice) {
      throw new InvalidOrderError(`${pair}: a stop-loss sell needs 0 < limit ${limitPrice} <= stop ${stopPrice}`)
    }
    if (m.limits.cost.min !== undefined && qty * limitPrice < m.limits.cost.min) {
      throw new InvalidOrderError(
        `${pair}: order value ${tidy(qty * limitPrice)} ${m.quote} is below the minimum ${m.limits.cost.min}`,
      )
    }
    const bid = (await this.exchange.fetchOrderBook(pair, 5)).bids[0]?.[0]
    if (bid !== undefined && bid <= stopPrice) {
      throw new InvalidOrderError(`${pair}: stop price ${stopPrice} would trigger immediately (best bid ${bid})`)
    }
    const base = this.purse(m.base)
    if (qty > base.free + 1e-12) {
      throw new InsufficientFundsError(
        `${pair}: a stop-loss for ${qty} ${m.base}, the dry-run wallet has ${base.free} ${m.base} free`,
      )
    }
    const now = this.clock.now()
    base.free = tidy(base.free - qty)
    base.used = tidy(base.used + qty)
    const order = this.openOrder(pair, m, now, {
      type: 'stop_loss_limit',
      side: 'sell',
      price: this.exchange.priceToPrecision(pair, limitPrice),
      stopPrice: this.exchange.priceToPrecision(pair, stopPrice),
      amount: qty,
      locked: qty,
      lockedCurrency: m.base,
      triggered: false,
      checkedUntil: now,
    })
    this.orders.set(order.id, order)
    log.info(`dry-run stop-loss sell ${qty} ${pair} at ${order.stopPrice} (limit ${order.price})`)
    return view(order)
  }

  /** Triggers and fills a waiting stop order when the market has reached its stop since it was last checked. */
  private async checkStop(order: DryOrder): Promise<void> {
    const now = this.clock.now()
    const stop = order.stopPrice!
    const book = await this.exchange.fetchOrderBook(order.pair, this.depth)
    const bid = book.bids[0]?.[0]
    let low = bid ?? Number.POSITIVE_INFINITY
    // whole 1m candles since the last check: a dip between two looks at the book still triggers the stop
    const since = Math.ceil((order.checkedUntil ?? order.timestamp) / 60_000) * 60_000
    if (now - since >= 60_000) {
      const rows = await this.exchange.fetchOhlcv(order.pair, '1m', since)
      for (let i = 0; i < rows.date.length; i++) {
        if (rows.date[i]! + 60_000 <= now) low = Math.min(low, rows.low[i]!)
      }
    }
    order.checkedUntil = now
    if (!(low <= stop)) return
    order.triggered = true
    const m = this.exchange.market(order.pair)
    this.unlock(order)
    if (bid !== undefined && bid >= stop) {
      // the market came back above the stop: the trigger's fill at the stop price
      this.book(order, order.remaining, tidy(order.remaining * stop), m.taker, now)
    } else {
      const fill = this.walk(book.bids, order.remaining, 'sell', order.price)
      if (fill.filled > 0) this.book(order, fill.filled, fill.cost, m.taker, now)
    }
    if (order.status === 'open') {
      // the rest waits at the limit price
      const w = this.purse(m.base)
      w.free = tidy(w.free - order.remaining)
      w.used = tidy(w.used + order.remaining)
      order.locked = order.remaining
    }
    log.info(
      `dry-run stop-loss ${order.id} on ${order.pair} triggered: filled ${order.filled} at ${order.average ?? '-'}`,
    )
  }

  async cancelOrder(id: string, pair: string): Promise<OrderInfo> {
    const order = this.get(id, pair)
    if (order.status === 'open') {
      this.unlock(order)
      order.status = 'canceled'
    }
    return view(order)
  }

  async fetchOpenOrders(pair?: string): Promise<OrderInfo[]> {
    return [...this.orders.values()].filter((o) => o.status === 'open' && (!pair || o.pair === pair)).map(view)
  }

  async fetchBalance(): Promise<Balances> {
    const out: Balances = {}
    for (const [cur, w] of this.wallet) out[cur] = { free: w.free, used: w.used, total: tidy(w.free + w.used) }
    return out
  }
}
