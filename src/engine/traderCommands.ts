import { roundTo } from '../domain/precision.ts'
import type { OrderType } from '../exchange/broker.ts'
import { OrderNotFoundError } from '../exchange/errors.ts'
import type { Exchange } from '../exchange/exchange.ts'
import { getLogger } from '../util/logger.ts'
import { EngineRefusal, type ForceEnterRequest, type ForceExitRequest, type TradeCommands } from './commands.ts'
import { isPendingOrder, type LiveTrade } from './liveTrade.ts'
import { minPairStake, stakeLimitsOf } from './rules/index.ts'
import type { Trader } from './trader.ts'

const log = getLogger('tern.engine')

/**
 * The commands of the API and the notifiers on the trader's trades (force entry and exit, delete, cancel open orders,
 * reload from the exchange), each run in the trader's turn (`exclusive`) so that it never interleaves with an
 * iteration. Refusals are `EngineRefusal`s with freqtrade's messages (contract §8).
 */
export class TraderCommands implements TradeCommands {
  constructor(private readonly trader: Trader) {}

  private requireRunning(): void {
    if (this.trader.botState !== 'running') throw new EngineRefusal('trader is not running')
  }

  forceEnter(req: ForceEnterRequest): Promise<number> {
    return this.trader.exclusive(() => this.forceEnterNow(req))
  }

  private async forceEnterNow(req: ForceEnterRequest): Promise<number> {
    this.requireRunning()
    if (req.side === 'short') throw new EngineRefusal("Can't go short on Spot markets.")
    let m: ReturnType<Exchange['market']>
    try {
      m = this.trader.opts.exchange.market(req.pair)
    } catch {
      throw new EngineRefusal('Symbol does not exist or market is not active.')
    }
    if (!m.active) throw new EngineRefusal('Symbol does not exist or market is not active.')
    if (m.quote !== this.trader.opts.config.stake_currency) {
      throw new EngineRefusal(
        `Wrong pair selected. Only pairs with stake-currency ${this.trader.opts.config.stake_currency} allowed.`,
      )
    }
    const { config, settings } = this.trader.opts
    const order = {
      price: req.price,
      ordertype: req.ordertype ?? config.order_types?.force_entry ?? settings.orderTypes.entry ?? 'limit',
      stake: req.stakeAmount,
      tag: req.entryTag || 'force_entry',
    }
    const existing = [...this.trader.open.values()].find((t) => t.pair === req.pair)
    if (existing) {
      const ids = existing.openOrders().map((o) => o.orderId)
      if (ids.length > 0) {
        throw new EngineRefusal(
          `position for ${req.pair} already open - id: ${existing.id} and has open order ${ids.join(',')}`,
        )
      }
      if (!settings.positionAdjustmentEnable) {
        throw new EngineRefusal(`position for ${req.pair} already open - id: ${existing.id}`)
      }
      // with position adjustment, a force entry adds to the held position
      let added = false
      try {
        await this.trader.ensurePrices()
        added = await this.trader.addToPosition(existing, order)
      } catch (err) {
        log.warn(`forceenter ${req.pair} (adding to trade ${existing.id}) failed: ${(err as Error).message}`)
      }
      if (!added) throw new EngineRefusal(`Failed to enter position for ${req.pair}.`)
      return existing.id
    }
    const max = this.trader.maxOpenTrades
    if (max >= 0 && this.trader.open.size >= max) throw new EngineRefusal('Maximum number of trades is reached.')
    let t: LiveTrade | undefined
    try {
      await this.trader.ensurePrices()
      t = await this.trader.enter(req.pair, order)
    } catch (err) {
      log.warn(`forceenter ${req.pair} failed: ${(err as Error).message}`)
      throw new EngineRefusal(`Failed to enter position for ${req.pair}.`)
    }
    if (!t) throw new EngineRefusal(`Failed to enter position for ${req.pair}.`)
    return t.id
  }

  forceExit(tradeId: number | 'all', req: ForceExitRequest): Promise<void> {
    return this.trader.exclusive(() => this.forceExitNow(tradeId, req))
  }

  private async forceExitNow(tradeId: number | 'all', req: ForceExitRequest): Promise<void> {
    this.requireRunning()
    const ot = this.trader.opts.config.order_types ?? {}
    const type = req.ordertype ?? ot.force_exit ?? this.trader.opts.settings.orderTypes.exit ?? 'limit'
    if (tradeId === 'all') {
      for (const t of [...this.trader.open.values()]) {
        try {
          await this.forceExitOne(t, type, undefined)
        } catch (err) {
          log.warn(`force exit of trade ${t.id} failed: ${(err as Error).message}`)
        }
      }
      return
    }
    const t = this.trader.open.get(tradeId)
    if (!t) throw new EngineRefusal('invalid argument')
    await this.forceExitOne(t, type, req.amount)
  }

  private async forceExitOne(t: LiveTrade, type: OrderType, amount: number | undefined): Promise<void> {
    try {
      for (const o of t.openOrders()) await this.trader.cancelOrder(t, o, 'force_exit')
    } catch {
      throw new EngineRefusal('Failed to exit trade.')
    }
    if (!this.trader.open.has(t.id) || t.openOrders().length > 0) throw new EngineRefusal('Failed to exit trade.')
    if (amount !== undefined && amount < t.row.amount) {
      const rate = this.trader.exitRate(t.pair) ?? (await this.trader.rate(t.pair, 'exit')) ?? t.row.openRate
      const m = this.trader.opts.exchange.market(t.pair)
      const min = minPairStake(stakeLimitsOf(m), rate, this.trader.opts.settings.stoploss)
      const left = (t.row.amount - amount) * rate
      if (min !== undefined && left < min) {
        throw new EngineRefusal(`Remaining amount of ${roundTo(left, 8)} would be too small.`)
      }
    }
    try {
      await this.trader.exit(t, 'force_exit', type, amount)
    } catch (err) {
      log.warn(`force exit of trade ${t.id} failed: ${(err as Error).message}`)
      throw new EngineRefusal('Failed to exit trade.')
    }
  }

  deleteTrade(tradeId: number): Promise<number> {
    return this.trader.exclusive(() => this.deleteTradeNow(tradeId))
  }

  private async deleteTradeNow(tradeId: number): Promise<number> {
    const t = this.trader.open.get(tradeId) ?? (await this.trader.opts.store.load(tradeId))
    if (!t) throw new EngineRefusal('invalid argument')
    let cancelled = 0
    for (const o of t.orders.filter((x) => x.ftIsOpen && !isPendingOrder(x))) {
      try {
        await this.trader.opts.broker.cancelOrder(o.orderId, o.ftPair)
        cancelled++
      } catch (err) {
        log.warn(`trade ${tradeId}: cancelling order ${o.orderId} failed: ${(err as Error).message}`)
      }
    }
    await this.trader.opts.store.delete(tradeId)
    this.trader.open.delete(tradeId)
    return cancelled
  }

  cancelOpenOrders(tradeId: number): Promise<void> {
    return this.trader.exclusive(() => this.cancelOpenOrdersNow(tradeId))
  }

  private async cancelOpenOrdersNow(tradeId: number): Promise<void> {
    this.requireRunning()
    const t = this.trader.open.get(tradeId)
    if (!t) throw new EngineRefusal('Invalid trade_id.')
    const list = t.openOrders()
    if (list.length === 0) throw new EngineRefusal('No open order for trade_id.')
    for (const o of list) {
      try {
        await this.trader.opts.broker.fetchOrder(o.orderId, o.ftPair)
      } catch {
        throw new EngineRefusal('Order not found.')
      }
      await this.trader.cancelOrder(t, o, 'cancelled by user')
    }
    if (!this.trader.open.has(tradeId)) throw new EngineRefusal('no active trade')
  }

  reloadTrade(tradeId: number): Promise<void> {
    return this.trader.exclusive(() => this.reloadTradeNow(tradeId))
  }

  private async reloadTradeNow(tradeId: number): Promise<void> {
    const t = this.trader.open.get(tradeId) ?? (await this.trader.opts.store.load(tradeId))
    if (!t) throw new EngineRefusal(`Could not find trade with id ${tradeId}.`)
    for (const o of [...t.orders]) {
      if (isPendingOrder(o)) continue
      try {
        const info = await this.trader.opts.broker.fetchOrder(o.orderId, o.ftPair)
        await this.trader.applyInfo(t, o, info)
      } catch (err) {
        if (!(err instanceof OrderNotFoundError)) throw err
      }
    }
    if (this.trader.open.has(t.id)) await this.adoptOutsideSales(t)
  }

  /**
   * Sales of the trade's coins made outside the bot since it opened (freqtrade's `handle_onexchange_order`): each
   * filled sell the database does not know is added to the trade as an exit order; one that leaves nothing closes
   * the trade as `sold_on_exchange`, a partial one reduces it. Live only: a dry-run has no outside orders.
   */
  private async adoptOutsideSales(t: LiveTrade): Promise<void> {
    if (!this.trader.isLive) return
    const list = await this.trader.ordersSince(t.pair, t.openDateMs - 10_000)
    const before = t.row.exitReason
    for (const raw of list) {
      if (raw.side !== 'sell' || !((raw.filled ?? 0) > 0)) continue
      if (await this.trader.opts.store.knowsOrder(t.pair, String(raw.id))) continue
      // the order list carries no fees; the order itself does
      const info = await this.trader.opts.broker.fetchOrder(String(raw.id), t.pair)
      log.warn(`trade ${t.id}: found sell order ${raw.id} made outside the bot (${info.filled} ${t.pair})`)
      const type = info.type === 'market' ? 'market' : 'limit'
      const o = await this.trader.opts.store.addOrder(t, {
        ...this.trader.pendingOrder(t.pair, 'sell', type, info.amount, info.price, null),
        orderId: String(raw.id),
      })
      t.row.exitReason = 'sold_on_exchange'
      await this.trader.applyInfo(t, o, info)
      if (!this.trader.open.has(t.id)) return
      // sold in part: the trade goes on with the rest, as it was
      t.row.exitReason = before
      await this.trader.opts.store.save(t)
    }
  }
}
