import { afterAll, afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { orders, trades } from '../../src/db/schema.ts'
import type { OrderView } from '../../src/strategy/callbacks.ts'
import { type DryRunBot, dryRunBot } from '../helpers/dryRunBot.ts'
import { tempDir } from '../helpers/tmp.ts'

const MINUTE = 60_000
// a minute boundary plus 5 s: the bot sees the candle that just closed
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)
const PAIRS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']
const ENTER_OFTEN = join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies', 'EnterOften.ts')
const CALLBACKS = join(import.meta.dir, '..', '..', 'src', 'strategy', 'callbacks.ts')

/**
 * EnterOften with both timeout callbacks: each records what it was asked and answers true from `cancelFromMs` on.
 * Its `adjustEntryPrice` records what it was asked too and answers as `adjust` says: the order's own price (keep),
 * the proposed rate (move there) or null (cancel). Written to the test's strategy folder, as a user's strategy file
 * would be.
 */
const ASKING_STRATEGY = `
import type { AdjustEntryPriceContext, OrderFilledContext, OrderTimeoutContext } from ${JSON.stringify(CALLBACKS)}
import EnterOften from ${JSON.stringify(ENTER_OFTEN)}

export default class TimeoutAsking extends EnterOften {
  cancelFromMs = Number.POSITIVE_INFINITY
  readonly asked: { side: string; pair: string; tradeId: number; nowMs: number; order: object }[] = []
  adjust = 'keep'
  readonly adjustAsked: { nowMs: number; proposedRate: number; currentOrderRate: number; order: object }[] = []

  override adjustEntryPrice(ctx: AdjustEntryPriceContext): number | null {
    const { nowMs, proposedRate, currentOrderRate } = ctx
    this.adjustAsked.push({ nowMs, proposedRate, currentOrderRate, order: { ...ctx.order } })
    if (this.adjust === 'move') return proposedRate
    if (this.adjust === 'cancel') return null
    return currentOrderRate
  }

  readonly filled: { pair: string; tradeId: number; nowMs: number; isOpen: boolean; order: object }[] = []

  override orderFilled(ctx: OrderFilledContext): void {
    const { pair, trade, nowMs, order } = ctx
    this.filled.push({ pair, tradeId: trade.id, nowMs, isOpen: trade.isOpen, order: { ...order } })
  }

  override checkEntryTimeout(ctx: OrderTimeoutContext): boolean {
    return this.answer('entry', ctx)
  }

  override checkExitTimeout(ctx: OrderTimeoutContext): boolean {
    return this.answer('exit', ctx)
  }

  private answer(side: string, ctx: OrderTimeoutContext): boolean {
    this.asked.push({ side, pair: ctx.pair, tradeId: ctx.trade.id, nowMs: ctx.nowMs, order: { ...ctx.order } })
    return ctx.nowMs >= this.cancelFromMs
  }
}
`

/** The loaded strategy instance, as the test reads and steers it. */
interface TimeoutAsking {
  cancelFromMs: number
  asked: { side: string; pair: string; tradeId: number; nowMs: number; order: OrderView }[]
  adjust: 'keep' | 'move' | 'cancel'
  adjustAsked: { nowMs: number; proposedRate: number; currentOrderRate: number; order: OrderView }[]
  filled: { pair: string; tradeId: number; nowMs: number; isOpen: boolean; order: OrderView }[]
}

type World = DryRunBot & { strategy: TimeoutAsking }

// the strategy file, written once, as a user's strategy file would be
const strategyDir = tempDir()
mkdirSync(join(strategyDir.path, 'strategies'))
writeFileSync(join(strategyDir.path, 'strategies', 'TimeoutAsking.ts'), ASKING_STRATEGY)
afterAll(() => strategyDir.cleanup())

async function world(extra: Record<string, unknown> = {}): Promise<World> {
  const bot = await dryRunBot(T0, {
    strategy: 'TimeoutAsking',
    strategy_path: join(strategyDir.path, 'strategies'),
    exchange: { name: 'sim', pair_whitelist: PAIRS },
    // far beyond the test's few minutes: only the strategy's answer can time an order out
    unfilledtimeout: { entry: 600, exit: 600, unit: 'minutes' },
    ...extra,
  })
  return { ...bot, strategy: bot.tb.trader.opts.strategy as unknown as TimeoutAsking }
}

let w: World
beforeEach(async () => {
  w = await world()
})
afterEach(async () => {
  await w.cleanup()
})

describe('live: checkEntryTimeout / checkExitTimeout', () => {
  test('checkEntryTimeout true cancels a resting entry on that iteration (unfilledtimeout.entry 600 min) and removes the trade', async () => {
    w.tb.bot.stopEntry()
    const cmd = w.tb.bot.trades!
    await w.tb.bot.iterate()
    w.tb.bot.maxOpenTrades = 3
    const price = w.tb.bot.prices!.exitRate('BTC/USDT')! * 0.5
    const id = await cmd.forceEnter({ pair: 'BTC/USDT', side: 'long', price, ordertype: 'limit', stakeAmount: 60 })
    const [o] = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))
    expect(o!.status).toBe('open')
    w.strategy.cancelFromMs = T0 + 3 * MINUTE

    // asked and answered no: the order rests on
    w.clock.set(T0 + MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades).where(eq(trades.id, id))).length).toBe(1)
    expect(w.strategy.asked).toEqual([
      {
        side: 'entry',
        pair: 'BTC/USDT',
        tradeId: id,
        nowMs: T0 + MINUTE,
        order: {
          side: 'buy',
          price: o!.price!,
          amount: o!.amount!,
          filled: 0,
          remaining: o!.amount!,
          createdMs: o!.orderDate!,
          status: 'open',
        },
      },
    ])
    expect(o!.price!).toBeCloseTo(price, 1)

    // answered yes: cancelled as a timeout, and the trade that filled nothing is gone
    w.clock.set(T0 + 3 * MINUTE)
    await w.tb.bot.iterate()
    expect(w.strategy.asked.map((a) => a.nowMs)).toEqual([T0 + MINUTE, T0 + 3 * MINUTE])
    expect((await w.database.db.select().from(trades).where(eq(trades.id, id))).length).toBe(0)
    expect((await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))).length).toBe(0)
    expect(w.tb.trader.open.has(id)).toBe(false)
    const cancel = w.events.find((e) => e.type === 'entry_cancel') as unknown as Record<string, unknown>
    expect(cancel.trade_id).toBe(id)
    expect(cancel.reason).toBe('cancelled due to timeout')
  })

  test('checkExitTimeout true cancels a resting exit (exit_cancel); the trade stays open and exits again', async () => {
    await w.cleanup()
    w = await world({
      order_types: { entry: 'market', exit: 'limit', stoploss: 'market' },
      exit_pricing: { price_side: 'same', order_book_top: 20 },
    })
    await w.tb.bot.iterate()
    w.tb.bot.stopEntry()
    // EnterOften's custom exit after 10 minutes places limit sells deep in the book: they rest
    w.clock.set(T0 + 10 * MINUTE)
    await w.tb.bot.iterate()
    const sells = async () =>
      (await w.database.db.select().from(orders)).filter((o) => o.ftOrderSide === 'sell' && o.ftPair === 'BTC/USDT')
    const first = await sells()
    expect(first.length).toBe(1)
    expect(first[0]!.status).toBe('open')
    expect(w.strategy.asked.filter((a) => a.side === 'exit')).toEqual([])

    w.strategy.cancelFromMs = T0 + 11 * MINUTE
    w.clock.set(T0 + 11 * MINUTE)
    await w.tb.bot.iterate()
    const asked = w.strategy.asked.filter((a) => a.side === 'exit' && a.pair === 'BTC/USDT')
    expect(asked.length).toBe(1)
    expect(asked[0]!.order).toMatchObject({ side: 'sell', price: first[0]!.price!, createdMs: first[0]!.orderDate! })
    const after = await sells()
    expect(after[0]!.status).toBe('canceled')
    expect(after[0]!.ftCancelReason).toBe('cancelled due to timeout')
    // the custom exit still wants out: a fresh exit order in the same iteration
    expect(after.length).toBe(2)
    expect(after[1]!.ftIsOpen).toBe(true)
    const cancel = w.events.find((e) => e.type === 'exit_cancel') as unknown as Record<string, unknown>
    expect(cancel.reason).toBe('cancelled due to timeout')
    const [t] = await w.database.db.select().from(trades).where(eq(trades.pair, 'BTC/USDT'))
    expect(t!.isOpen).toBe(true)
  })
})

describe('live: adjustEntryPrice', () => {
  /** A limit entry far below the market, resting: its trade id and order row. */
  async function restingEntry() {
    w.tb.bot.stopEntry()
    await w.tb.bot.iterate()
    w.tb.bot.maxOpenTrades = 3
    const price = w.tb.bot.prices!.exitRate('BTC/USDT')! * 0.5
    const id = await w.tb.bot.trades!.forceEnter({
      pair: 'BTC/USDT',
      side: 'long',
      price,
      ordertype: 'limit',
      stakeAmount: 60,
    })
    const [o] = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))
    expect(o!.status).toBe('open')
    return { id, order: o! }
  }
  const ordersOf = async (id: number) =>
    (await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))).sort((a, b) => a.id - b.id)

  test('asked once a candle closed after the order was placed; its own price keeps the order', async () => {
    const { id, order } = await restingEntry()
    // same candle as the order (placed 12:00:05, last closed candle ends 12:00:00): not asked
    w.clock.set(T0 + 30_000)
    await w.tb.bot.iterate()
    expect(w.strategy.adjustAsked).toEqual([])
    // the 12:00 candle closed after the order: asked, with the order as it rests
    w.clock.set(T0 + MINUTE)
    await w.tb.bot.iterate()
    expect(w.strategy.adjustAsked.length).toBe(1)
    const asked = w.strategy.adjustAsked[0]!
    expect(asked.nowMs).toBe(T0 + MINUTE)
    expect(asked.currentOrderRate).toBe(order.price!)
    expect(asked.proposedRate).toBeGreaterThan(order.price! * 1.5)
    expect(asked.order).toMatchObject({ side: 'buy', price: order.price!, filled: 0, createdMs: order.orderDate! })
    const after = await ordersOf(id)
    expect(after.map((o) => o.status)).toEqual(['open'])
  })

  test('a new price cancels the order and places one for the same stake there; the trade takes it', async () => {
    const { id, order } = await restingEntry()
    w.strategy.adjust = 'move'
    w.clock.set(T0 + MINUTE)
    await w.tb.bot.iterate()
    const [old, next] = await ordersOf(id)
    expect(old!.status).toBe('canceled')
    expect(old!.ftCancelReason).toBe('cancelled to be replaced')
    // the strategy's entry order type (market here) at the proposed rate: it fills
    const proposed = w.strategy.adjustAsked[0]!.proposedRate
    expect(next!.ftPrice).toBe(proposed)
    expect(next!.status).toBe('closed')
    // same stake: 60 at half the price → 60 / proposed, to the market's step
    const stake = order.amount! * order.price!
    expect(stake).toBeCloseTo(60, 0)
    expect(next!.amount!).toBeCloseTo(stake / proposed, 4)
    expect(next!.amount! * proposed).toBeLessThanOrEqual(stake + 1e-9)
    const [t] = await w.database.db.select().from(trades).where(eq(trades.id, id))
    expect(t!.isOpen).toBe(true)
    expect(t!.amount).toBe(next!.filled!)
    expect(t!.openRate).toBe(next!.average ?? next!.price!)
    // the stop comes from the new rate (stoploss −0.99, rounded up to the 0.01 tick), not from the cancelled order's
    expect(t!.initialStopLoss).toBeGreaterThanOrEqual(t!.openRate * 0.01)
    expect(t!.initialStopLoss).toBeLessThan(t!.openRate * 0.01 + 0.01)
    expect(t!.initialStopLoss).toBeGreaterThan(order.price! * 0.01 * 1.5)
    expect(w.events.filter((e) => e.type === 'entry_cancel')).toEqual([])
  })

  test('a restart between cancelling an order and recording its replacement removes the trade left without one', async () => {
    const { id, order } = await restingEntry()
    // the state such a stop leaves: the entry order cancelled to be replaced, nothing filled, no other order
    await w.tb.trader.opts.broker.cancelOrder(order.orderId, order.ftPair)
    await w.database.db
      .update(orders)
      .set({ ftIsOpen: false, status: 'canceled', remaining: 0, ftCancelReason: 'cancelled to be replaced' })
      .where(eq(orders.id, order.id))
    await w.tb.trader.reconcile()
    expect((await w.database.db.select().from(trades).where(eq(trades.id, id))).length).toBe(0)
    expect(w.tb.trader.open.has(id)).toBe(false)
    const cancel = w.events.find((e) => e.type === 'entry_cancel') as unknown as Record<string, unknown>
    expect(cancel.reason).toBe('cancelled to be replaced')
  })

  test('no price cancels the order and removes the trade that filled nothing', async () => {
    const { id } = await restingEntry()
    w.strategy.adjust = 'cancel'
    w.clock.set(T0 + MINUTE)
    await w.tb.bot.iterate()
    expect(await ordersOf(id)).toEqual([])
    expect((await w.database.db.select().from(trades).where(eq(trades.id, id))).length).toBe(0)
    expect(w.tb.trader.open.has(id)).toBe(false)
    const cancel = w.events.find((e) => e.type === 'entry_cancel') as unknown as Record<string, unknown>
    expect(cancel.trade_id).toBe(id)
    expect(cancel.reason).toBe('cancelled by the strategy')
  })
})

describe('live: orderFilled', () => {
  test('told of each entry and exit fill once, with the order as filled and the trade closed after its exit', async () => {
    await w.tb.bot.iterate()
    const entered = await w.database.db.select().from(trades)
    expect(entered.length).toBe(2)
    const buys = w.strategy.filled.filter((f) => f.order.side === 'buy')
    expect(buys.map((f) => f.tradeId).sort()).toEqual(entered.map((t) => t.id).sort())
    for (const f of buys) {
      const [o] = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, f.tradeId))
      expect(f).toMatchObject({ nowMs: T0, isOpen: true })
      expect(f.order).toMatchObject({ filled: o!.filled!, remaining: 0, status: 'closed', average: o!.average! })
    }
    // nothing new on an iteration without fills
    w.tb.bot.stopEntry()
    w.clock.set(T0 + MINUTE)
    await w.tb.bot.iterate()
    expect(w.strategy.filled.length).toBe(2)
    // EnterOften leaves after 10 minutes: both exits fill, each told once, its trade closed by then
    w.clock.set(T0 + 10 * MINUTE)
    await w.tb.bot.iterate()
    const sells = w.strategy.filled.filter((f) => f.order.side === 'sell')
    expect(sells.map((f) => f.tradeId).sort()).toEqual(entered.map((t) => t.id).sort())
    for (const f of sells) {
      expect(f).toMatchObject({ nowMs: T0 + 10 * MINUTE, isOpen: false })
      const [t] = await w.database.db.select().from(trades).where(eq(trades.id, f.tradeId))
      expect(t!.isOpen).toBe(false)
      expect(f.order.average).toBe(t!.closeRate!)
    }
    expect(w.strategy.filled.length).toBe(4)
  })
})
