import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { orders, trades } from '../../../src/db/schema.ts'
import { type DryRunBot, dryRunBot } from '../../helpers/dryRunBot.ts'
import type CustomPrices from './fixtures/strategies/CustomPrices.ts'

const STRATEGIES = join(import.meta.dir, 'fixtures', 'strategies')
const MINUTE = 60_000
// a minute boundary plus 5 s: the bot sees the candle that just closed
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)

type World = DryRunBot & { strategy: CustomPrices }

let cleanups: (() => Promise<void>)[] = []

async function world(extra: Record<string, unknown> = {}): Promise<World> {
  const bot = await dryRunBot(T0, {
    strategy: 'CustomPrices',
    strategy_path: STRATEGIES,
    max_open_trades: 1,
    order_types: { entry: 'limit', exit: 'limit', stoploss: 'market' },
    exchange: { name: 'sim', pair_whitelist: ['BTC/USDT'] },
    ...extra,
  })
  cleanups.push(bot.cleanup)
  return { ...bot, strategy: bot.tb.trader.opts.strategy as CustomPrices }
}

afterEach(async () => {
  for (const c of cleanups) await c()
  cleanups = []
})

async function orderRows(w: World, side: 'buy' | 'sell') {
  return (await w.database.db.select().from(orders)).filter((o) => o.ftOrderSide === side)
}

describe('live engine: custom entry and exit prices', () => {
  test('the entry order is placed at the custom price, rounded to the tick', async () => {
    const w = await world()
    // 0.5 % under the proposed ask: inside the 2 % limit, so kept as asked
    w.strategy.entryFactor = 0.995
    await w.tb.bot.iterate()
    expect(w.strategy.entryCalls).toHaveLength(1)
    const call = w.strategy.entryCalls[0]
    expect(call).toMatchObject({ pair: 'BTC/USDT', nowMs: T0, side: 'long', entryTag: undefined })
    expect(call.df?.length).toBeGreaterThan(0)
    const proposed = call.proposedRate
    // the proposed rate is the entry pricing's (price_side other → the ask)
    const ticker = await w.exchange.fetchTicker('BTC/USDT')
    expect(proposed).toBe(ticker.ask!)
    const tick = w.exchange.market('BTC/USDT').precision.price!
    const want = w.exchange.priceToPrecision('BTC/USDT', proposed * 0.995)
    // on the tick grid, and within half a tick of the asked price
    expect(Math.abs(want - proposed * 0.995)).toBeLessThanOrEqual(tick / 2 + 1e-9)
    // the simulator (seed 7) asks 49352.35 at T0: 49352.35 × 0.995 = 49105.58825 → 49105.59 on the 0.01 tick
    expect(proposed).toBe(49352.35)
    expect(want).toBe(49105.59)
    const [buy] = await orderRows(w, 'buy')
    expect(buy!.price).toBe(want)
    expect(buy!.ftPrice).toBe(want)
    // below the ask: the limit order rests on the book
    expect(buy!.status).toBe('open')
    const [t] = await w.database.db.select().from(trades)
    expect(t!.openRateRequested).toBe(want)
    // the stake is sized at the custom price: 100 / 49105.59 = 0.0020364 → 0.00203 on the 0.00001 step
    expect(t!.amount).toBe(0.00203)
  })

  test('a custom price further than custom_price_max_distance_ratio is held at the limit (2 % by default)', async () => {
    const w = await world()
    w.strategy.entryFactor = 0.9
    await w.tb.bot.iterate()
    const proposed = w.strategy.entryCalls[0].proposedRate
    const [buy] = await orderRows(w, 'buy')
    // asked 90 % of the ask; freqtrade keeps it at 98 %: 49352.35 × 0.98 = 48365.303 → 48365.30
    expect(proposed).toBe(49352.35)
    expect(buy!.price).toBe(48365.3)
  })

  test('the config can widen the distance: 5 %', async () => {
    const w = await world({ custom_price_max_distance_ratio: 0.05 })
    w.strategy.entryFactor = 0.9
    await w.tb.bot.iterate()
    const proposed = w.strategy.entryCalls[0].proposedRate
    const [buy] = await orderRows(w, 'buy')
    // 49352.35 × 0.95 = 46884.7325 → 46884.73
    expect(proposed).toBe(49352.35)
    expect(buy!.price).toBe(46884.73)
  })

  test('a force entry with a price keeps that price (the callback is not asked)', async () => {
    const w = await world()
    w.strategy.entryFactor = 0.99
    w.tb.bot.stopEntry()
    await w.tb.bot.iterate()
    // stopentry sets max_open_trades to 0; a force entry needs a slot
    w.tb.bot.maxOpenTrades = 1
    const price = w.tb.bot.prices!.exitRate('BTC/USDT')! * 0.5
    const id = await w.tb.bot.trades!.forceEnter({ pair: 'BTC/USDT', side: 'long', price, ordertype: 'limit' })
    expect(w.strategy.entryCalls).toHaveLength(0)
    const [o] = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))
    expect(o!.price).toBe(w.exchange.priceToPrecision('BTC/USDT', price))
  })

  test('the exit order is placed at the custom exit price, with the exit reason and the profit at the proposed rate', async () => {
    const w = await world()
    // entry at the ask fills at once; ten minutes later the custom exit asks for 1 % above the bid
    await w.tb.bot.iterate()
    expect((await orderRows(w, 'buy'))[0]!.status).toBe('closed')
    w.strategy.exitFactor = 1.01
    w.tb.bot.stopEntry()
    w.clock.set(T0 + 10 * MINUTE)
    await w.tb.bot.iterate()
    expect(w.strategy.exitCalls).toHaveLength(1)
    const call = w.strategy.exitCalls[0]
    expect(call.exitTag).toBe('time_exit')
    expect(call.nowMs).toBe(T0 + 10 * MINUTE)
    const ticker = await w.exchange.fetchTicker('BTC/USDT')
    expect(call.proposedRate).toBe(ticker.bid!)
    expect(call.currentProfit).toBe(call.trade.profitRatio(call.proposedRate))
    const want = w.exchange.priceToPrecision('BTC/USDT', call.proposedRate * 1.01)
    // bought 0.00202 at 49352.35; the bid is 49271.22 ten minutes on: 49271.22 × 1.01 = 49763.9322 → 49763.93.
    // Profit at the bid after 0.1 % fees: 49271.22 × 0.999 / (49352.35 × 1.001) − 1 = −0.0036386
    expect(call.trade.openRate).toBe(49352.35)
    expect(call.proposedRate).toBe(49271.22)
    expect(want).toBe(49763.93)
    expect(call.currentProfit).toBeCloseTo(-0.0036386, 7)
    const [sell] = await orderRows(w, 'sell')
    expect(sell!.price).toBe(want)
    // above the bid: the sell rests
    expect(sell!.status).toBe('open')
    const [t] = await w.database.db.select().from(trades)
    expect(t!.closeRateRequested).toBe(want)
    expect(t!.exitReason).toBe('time_exit')
  })
})
