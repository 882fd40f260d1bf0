import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { asc, eq } from 'drizzle-orm'
import { configFromObject } from '../../src/config/load.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { type OrderRow, orders, trades } from '../../src/db/schema.ts'
import { buildTradingBot, type TradingBot } from '../../src/engine/build.ts'
import { dryRunBalances } from '../../src/engine/dryRunWallet.ts'
import type { BotMessage } from '../../src/engine/events.ts'
import { PENDING_PREFIX } from '../../src/engine/liveTrade.ts'
import { TradeStore } from '../../src/engine/tradeStore.ts'
import type { Broker } from '../../src/exchange/broker.ts'
import { DryRunBroker } from '../../src/exchange/dryRunBroker.ts'
import type { Exchange } from '../../src/exchange/exchange.ts'
import { LiveBroker } from '../../src/exchange/liveBroker.ts'
import { type SimExchange, startSimExchange } from '../../src/sim/server.ts'
import { ManualClock } from '../../src/util/clock.ts'
import { connectSim } from '../helpers/simExchange.ts'
import { tempDir } from '../helpers/tmp.ts'
import { pathSource, TST } from '../unit/sim/pricePath.ts'

const STRATEGIES = join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies')
const MIN = 60_000
const S = 1000
const PAIR = 'TST/USDT'
// a minute boundary; the bot first looks 5 s after it
const B = Date.UTC(2026, 0, 5, 12, 0, 0)
const T0 = B + 5 * S
/** 100 until minute 5, down to 90 by minute 6, and staying there. */
const FALL: [number, number][] = [
  [B + 5 * MIN, 100],
  [B + 6 * MIN, 90],
]

/*
 * Hand-worked figures shared by the tests. The entry is a market buy of stake 100.01 at the best ask around 100,
 * ceil(100 × 1.0001 / 0.01) × 0.01 = 100.01: amount 1.000, of which the exchange keeps 0.1 % (0.001 TST) as its
 * fee, so the trade holds 0.999 at 100.01. Open value 0.999 × 100.01 × 1.001 = 100.00989999. The stop at −5 % is
 * 100.01 × 0.95 = 95.0095, up to the tick: 95.01; its limit 95.01 × 0.99 = 94.0599, down to the tick: 94.05.
 */
const AMOUNT = 0.999
const OPEN_VALUE = 100.00989999

interface World {
  clock: ManualClock
  sim: SimExchange
  exchange: Exchange
  database: Database
  tb: TradingBot
  events: BotMessage[]
  /** Rebuilds exchange, database connection and bot on the same database file and simulator (a restart). */
  restart(): Promise<void>
  cleanup(): Promise<void>
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function world(
  points: [number, number][],
  opts: { dry?: boolean; config?: Record<string, unknown> } = {},
): Promise<World> {
  const dir = tempDir()
  const clock = new ManualClock(T0)
  const sim = await startSimExchange({ clock, seed: 11, markets: [TST], source: pathSource(B, points) })
  const config = configFromObject({
    strategy: 'EnterOften',
    strategy_path: STRATEGIES,
    analysis_workers: 0,
    initial_state: 'running',
    max_open_trades: 1,
    stake_amount: 100.01,
    stake_currency: 'USDT',
    dry_run: opts.dry === true,
    dry_run_wallet: 1000,
    stoploss: -0.05,
    order_types: {
      entry: 'market',
      exit: 'market',
      stoploss: 'market',
      stoploss_on_exchange: true,
      stoploss_on_exchange_interval: 60,
    },
    entry_pricing: { price_side: 'other' },
    exit_pricing: { price_side: 'other' },
    exchange: { name: 'sim', pair_whitelist: [PAIR] },
    ...opts.config,
  })
  const url = `file:${join(dir.path, 'tern.sqlite')}`
  const connect = async () => {
    const exchange = await connectSim(sim, clock)
    const database = await openDatabase({ url })
    let broker: Broker = new LiveBroker(exchange)
    if (opts.dry) {
      // as `tern trade` does: the dry-run wallet is rebuilt from the database
      const dry = new DryRunBroker(exchange, { dryRunWallet: 1000, clock })
      dry.restore(await dryRunBalances(config, new TradeStore(database.db)))
      broker = dry
    }
    const tb = await buildTradingBot({ config, db: database.db, exchange, broker, clock })
    return { exchange, database, tb }
  }
  const w: World = {
    clock,
    sim,
    ...(await connect()),
    events: [],
    restart: async () => {
      w.database.close()
      await w.exchange.close()
      Object.assign(w, await connect())
      w.tb.bot.events.subscribe((m) => w.events.push(m))
    },
    cleanup: async () => {
      w.database.close()
      await w.exchange.close()
      await sim.stop()
      dir.cleanup()
    },
  }
  w.tb.bot.events.subscribe((m) => w.events.push(m))
  cleanups.push(() => w.cleanup())
  return w
}

const tradeRows = (w: World) => w.database.db.select().from(trades).orderBy(asc(trades.id))
const orderRows = (w: World, side?: OrderRow['ftOrderSide']) =>
  w.database.db
    .select()
    .from(orders)
    .orderBy(asc(orders.id))
    .then((rows) => rows.filter((o) => side === undefined || o.ftOrderSide === side))
const simOpenOrders = async (w: World) =>
  (await w.exchange.ccxt.fetchOpenOrders(PAIR)) as unknown as { id: string; info: { stopPrice: string } }[]

/** First iteration: the trade is entered, then entries stop so each test follows this one trade. */
async function enter(w: World): Promise<number> {
  expect(await w.tb.bot.iterate()).toBe(true)
  w.tb.bot.stopEntry()
  const [t] = await tradeRows(w)
  expect(t!.isOpen).toBe(true)
  return t!.id
}

async function at(w: World, ms: number): Promise<void> {
  w.clock.set(ms)
  expect(await w.tb.bot.iterate()).toBe(true)
}

describe('stoploss_on_exchange, live against the simulator', () => {
  test('the stop is placed on the exchange after the entry fills and closes the trade when the price falls through it', async () => {
    const w = await world(FALL)
    const id = await enter(w)
    const [t] = await tradeRows(w)
    expect(t!.amount).toBe(AMOUNT)
    expect(t!.openRate).toBe(100.01)
    expect(t!.stopLoss).toBe(95.01)
    expect(t!.stoplossLastUpdate).toBe(T0)
    const [stop] = await orderRows(w, 'stoploss')
    expect(stop).toMatchObject({
      ftTradeId: id,
      ftIsOpen: true,
      status: 'open',
      orderType: 'stop_loss_limit',
      side: 'sell',
      stopPrice: 95.01,
      price: 94.05,
      ftPrice: 95.01,
      amount: AMOUNT,
      orderDate: T0,
    })
    const onExchange = await simOpenOrders(w)
    expect(onExchange.map((o) => o.id)).toEqual([stop!.orderId])
    expect(Number(onExchange[0]!.info.stopPrice)).toBe(95.01)

    // minutes later, above the stop: the same single stop order
    await at(w, B + 3 * MIN + 5 * S)
    expect((await orderRows(w, 'stoploss')).length).toBe(1)
    expect((await simOpenOrders(w)).length).toBe(1)

    // 30 s into the fall the price is 95.00 ≤ 95.01: the stop triggers and sells at the best bid, 94.99
    await at(w, B + 5 * MIN + 30 * S)
    const [closed] = await tradeRows(w)
    expect(closed!.isOpen).toBe(false)
    expect(closed!.exitReason).toBe('stoploss_on_exchange')
    expect(closed!.closeRate).toBe(94.99)
    expect(closed!.closeDate).toBe(B + 5 * MIN + 30 * S)
    expect(closed!.feeClose).toBe(0.001)
    expect(closed!.feeCloseCurrency).toBe('USDT')
    // close value 0.999 × 94.99 × 0.999 = 94.80011499; profit 94.80011499 − 100.00989999 = −5.209785
    expect(closed!.closeProfitAbs!).toBeCloseTo(-5.209785, 8)
    expect(closed!.closeProfit!).toBeCloseTo(-5.209785 / OPEN_VALUE, 10)
    const [filled] = await orderRows(w, 'stoploss')
    expect(filled).toMatchObject({ status: 'closed', ftIsOpen: false, filled: AMOUNT, average: 94.99 })
    expect(await orderRows(w, 'sell')).toEqual([])
    expect(await simOpenOrders(w)).toEqual([])
    const fill = w.events.find((e) => e.type === 'exit_fill') as unknown as Record<string, unknown>
    expect(fill).toMatchObject({ exit_reason: 'stoploss_on_exchange', is_final_exit: true, close_rate: 94.99 })
    expect(w.events.filter((e) => e.type === 'exit' || e.type === 'exit_cancel')).toEqual([])
    expect((await w.exchange.fetchBalance()).TST?.total ?? 0).toBe(0)
  })

  test('a gap below the limit: the software stop stands aside, the stop rests at its limit and fills there', async () => {
    const w = await world([...FALL, [B + 7 * MIN, 100]])
    await enter(w)
    // 55 s into the fall: 90.83, far below the stop; the stop has triggered but its limit 94.05 is above the bid
    await at(w, B + 5 * MIN + 55 * S)
    let [t] = await tradeRows(w)
    expect(t!.isOpen).toBe(true)
    expect(await orderRows(w, 'sell')).toEqual([])
    expect((await orderRows(w, 'stoploss'))[0]!.ftIsOpen).toBe(true)
    // halfway back up (95.00) the resting limit fills at its price
    await at(w, B + 6 * MIN + 30 * S)
    ;[t] = await tradeRows(w)
    expect(t!.exitReason).toBe('stoploss_on_exchange')
    expect(t!.closeRate).toBe(94.05)
    // 0.999 × 94.05 × 0.999 − 100.00989999
    expect(t!.closeProfitAbs!).toBeCloseTo(-6.14790594, 8)
  })

  test('a trailing stop is replaced on the exchange when it moved up, at most once per stoploss_on_exchange_interval', async () => {
    const w = await world(
      [
        [B + MIN, 100],
        [B + 3 * MIN, 110],
        [B + 4 * MIN, 112],
        [B + 6 * MIN, 112],
        [B + 7 * MIN, 100],
      ],
      { config: { trailing_stop: true } },
    )
    await enter(w)
    // 110.17 at 3m05s, best bid 110.15: stop 110.15 × 0.95 = 104.6425 → 104.65; placed 3 min ago → replaced
    await at(w, B + 3 * MIN + 5 * S)
    let stops = await orderRows(w, 'stoploss')
    expect(stops.map((o) => [o.status, o.stopPrice, o.price])).toEqual([
      ['canceled', 95.01, 94.05],
      ['open', 104.65, 103.6],
    ])
    expect(stops[0]!.ftCancelReason).toBe('stoploss moved up')
    expect((await simOpenOrders(w)).map((o) => o.id)).toEqual([stops[1]!.orderId])
    // 30 s later: 111.17, bid 111.15, stop 105.5925 → 105.60 in the trade, but the order is only 30 s old
    await at(w, B + 3 * MIN + 35 * S)
    let [t] = await tradeRows(w)
    expect(t!.stopLoss).toBe(105.6)
    expect((await orderRows(w, 'stoploss')).length).toBe(2)
    // 65 s after the last placement: bid 111.98, stop 106.381 → 106.39, limit 105.3261 → 105.32
    await at(w, B + 4 * MIN + 10 * S)
    stops = await orderRows(w, 'stoploss')
    expect(stops.map((o) => [o.status, o.stopPrice, o.price])).toEqual([
      ['canceled', 95.01, 94.05],
      ['canceled', 104.65, 103.6],
      ['open', 106.39, 105.32],
    ])
    ;[t] = await tradeRows(w)
    expect(t!.stoplossLastUpdate).toBe(B + 4 * MIN + 10 * S)
    // halfway down from 112 to 100 (106.00) the stop triggers and sells at the best bid 105.98
    await at(w, B + 6 * MIN + 30 * S)
    ;[t] = await tradeRows(w)
    expect(t!.exitReason).toBe('stoploss_on_exchange')
    expect(t!.closeRate).toBe(105.98)
    // 0.999 × 105.98 × 0.999 − 100.00989999 = 5.75824599
    expect(t!.closeProfitAbs!).toBeCloseTo(5.75824599, 8)
    expect(t!.closeProfit!).toBeCloseTo(5.75824599 / OPEN_VALUE, 10)
    expect(await simOpenOrders(w)).toEqual([])
  })

  test('a force exit cancels the stop first, so the coins it held can be sold', async () => {
    const w = await world(FALL)
    const id = await enter(w)
    w.clock.set(B + MIN)
    await w.tb.bot.trades!.forceExit(id, { ordertype: 'market' })
    const [t] = await tradeRows(w)
    expect(t!.isOpen).toBe(false)
    expect(t!.exitReason).toBe('force_exit')
    // sold at the best bid around 100: 99.99
    expect(t!.closeRate).toBe(99.99)
    expect(t!.closeProfitAbs!).toBeCloseTo(-0.21978, 8)
    const [stop] = await orderRows(w, 'stoploss')
    expect(stop).toMatchObject({ status: 'canceled', ftIsOpen: false, filled: 0 })
    expect(stop!.ftCancelReason).toBe('cancelled for force_exit')
    expect(await simOpenOrders(w)).toEqual([])
    expect((await w.exchange.fetchBalance()).TST?.total ?? 0).toBe(0)
    // the stop's cancellation is not reported as a cancelled exit
    expect(w.events.filter((e) => e.type === 'exit_cancel')).toEqual([])
  })

  test('an ROI exit cancels the stop first, in the same iteration', async () => {
    const w = await world(FALL, { config: { minimal_roi: { '0': -0.5 } } })
    await enter(w)
    await at(w, B + MIN + 5 * S)
    const [t] = await tradeRows(w)
    expect(t!.exitReason).toBe('roi')
    expect(t!.closeRate).toBe(99.99)
    const [stop] = await orderRows(w, 'stoploss')
    expect(stop).toMatchObject({ status: 'canceled', ftCancelReason: 'cancelled for roi' })
    expect(await simOpenOrders(w)).toEqual([])
  })

  test('a stop cancelled on the exchange behind the bot is placed again', async () => {
    const w = await world(FALL)
    await enter(w)
    const [first] = await orderRows(w, 'stoploss')
    await w.exchange.ccxt.cancelOrder(first!.orderId, PAIR)
    await at(w, B + MIN + 5 * S)
    const stops = await orderRows(w, 'stoploss')
    expect(stops.map((o) => [o.status, o.stopPrice])).toEqual([
      ['canceled', 95.01],
      ['open', 95.01],
    ])
    expect((await simOpenOrders(w)).map((o) => o.id)).toEqual([stops[1]!.orderId])
  })

  test('after a restart the open stop is reconciled and followed, and no second one is placed', async () => {
    const w = await world(FALL)
    const id = await enter(w)
    const [stop] = await orderRows(w, 'stoploss')
    await w.restart()
    await at(w, B + 2 * MIN + 5 * S)
    const stops = await orderRows(w, 'stoploss')
    expect(stops.length).toBe(1)
    expect(stops[0]).toMatchObject({ orderId: stop!.orderId, status: 'open', ftIsOpen: true })
    expect((await simOpenOrders(w)).map((o) => o.id)).toEqual([stop!.orderId])
    await at(w, B + 5 * MIN + 30 * S)
    const [t] = await w.database.db.select().from(trades).where(eq(trades.id, id))
    expect(t!.exitReason).toBe('stoploss_on_exchange')
    expect(t!.closeRate).toBe(94.99)
  })

  test('a stop placed but whose answer was never recorded is adopted after a restart, not placed twice', async () => {
    const w = await world(FALL)
    await enter(w)
    const [stop] = await orderRows(w, 'stoploss')
    // the process died between placing the stop and writing the exchange's answer: only the pending row is left
    await w.database.db
      .update(orders)
      .set({ orderId: `${PENDING_PREFIX}lost`, status: null })
      .where(eq(orders.id, stop!.id))
    await w.restart()
    await at(w, B + MIN + 5 * S)
    const stops = await orderRows(w, 'stoploss')
    expect(stops.map((o) => [o.orderId, o.status, o.stopPrice])).toEqual([[stop!.orderId, 'open', 95.01]])
    expect((await simOpenOrders(w)).map((o) => o.id)).toEqual([stop!.orderId])
  })
})

describe('stoploss_on_exchange in dry-run', () => {
  test('the simulated stop is placed with the coins locked and closes the trade when the bid falls below it', async () => {
    const w = await world(FALL, { dry: true })
    await enter(w)
    const [stop] = await orderRows(w, 'stoploss')
    expect(stop).toMatchObject({ status: 'open', stopPrice: 95.01, price: 94.05, orderType: 'stop_loss_limit' })
    expect(stop!.orderId.startsWith('dry-')).toBe(true)
    // dry-run fees are paid in USDT: the trade holds the whole 1.000
    const bal = await w.tb.bot.wallet!.balances()
    expect(bal.TST).toEqual({ free: 0, used: 1, total: 1 })
    // nothing reaches the exchange in dry-run
    expect(await simOpenOrders(w)).toEqual([])
    await at(w, B + 5 * MIN + 30 * S)
    const [t] = await tradeRows(w)
    expect(t!.exitReason).toBe('stoploss_on_exchange')
    expect(t!.closeRate).toBe(94.99)
    // 1 × 94.99 × 0.999 − 1 × 100.01 × 1.001 = 94.89501 − 100.11001
    expect(t!.closeProfitAbs!).toBeCloseTo(-5.215, 8)
  })
  test('after a restart the simulated stop, which lived only in memory, is placed once more and still closes the trade', async () => {
    const w = await world(FALL, { dry: true })
    await enter(w)
    await w.restart()
    await at(w, B + MIN + 5 * S)
    const stops = await orderRows(w, 'stoploss')
    expect(stops.map((o) => [o.status, o.ftIsOpen, o.stopPrice])).toEqual([
      ['canceled', false, 95.01],
      ['open', true, 95.01],
    ])
    expect(stops[0]!.ftCancelReason).toBe('order not found on the exchange')
    expect((await w.tb.bot.wallet!.balances()).TST).toEqual({ free: 0, used: 1, total: 1 })
    await at(w, B + 2 * MIN + 5 * S)
    expect((await orderRows(w, 'stoploss')).length).toBe(2)
    await at(w, B + 5 * MIN + 30 * S)
    const [t] = await tradeRows(w)
    expect(t!.exitReason).toBe('stoploss_on_exchange')
    expect(t!.closeRate).toBe(94.99)
  })
})
