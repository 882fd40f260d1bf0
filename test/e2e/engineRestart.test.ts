import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { configFromObject } from '../../src/config/load.ts'
import { openDatabase } from '../../src/db/database.ts'
import { orders, trades } from '../../src/db/schema.ts'
import { buildTradingBot } from '../../src/engine/build.ts'
import { PENDING_PREFIX } from '../../src/engine/liveTrade.ts'
import { TradeStore } from '../../src/engine/tradeStore.ts'
import { Exchange } from '../../src/exchange/exchange.ts'
import { LiveBroker, toOrderInfo } from '../../src/exchange/liveBroker.ts'
import { startSimExchange } from '../../src/sim/server.ts'
import { ManualClock } from '../../src/util/clock.ts'
import { tempDir } from '../helpers/tmp.ts'

const STRATEGIES = join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies')
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)

test('after a restart the engine adopts an order placed but not recorded, drops one recorded but never placed, and keeps a resting one', async () => {
  const dir = tempDir()
  const clock = new ManualClock(T0)
  const sim = await startSimExchange({ clock, seed: 5 })
  const connect = async () => {
    const exchange = new Exchange({
      name: 'sim',
      simUrl: sim.url,
      key: 'live-key',
      secret: 's',
      stakeCurrency: 'USDT',
      clock,
      retries: 1,
      retryDelayMs: 10,
      ccxtConfig: { enableRateLimit: false },
    })
    await exchange.loadMarkets()
    return exchange
  }
  const config = configFromObject({
    strategy: 'EnterOften',
    strategy_path: STRATEGIES,
    analysis_workers: 0,
    initial_state: 'running',
    max_open_trades: 3,
    stake_amount: 100,
    dry_run: false,
    order_types: { entry: 'limit', exit: 'market', stoploss: 'market' },
    exchange: { name: 'sim', pair_whitelist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] },
  })
  const url = `file:${join(dir.path, 'live.sqlite')}`
  try {
    // first life: a resting entry far below the market
    const ex1 = await connect()
    const db1 = await openDatabase({ url })
    const a = await buildTradingBot({ config, db: db1.db, exchange: ex1, broker: new LiveBroker(ex1), clock })
    a.bot.stopEntry()
    expect(await a.bot.iterate()).toBe(true)
    a.bot.maxOpenTrades = 3
    const rate = a.bot.prices!.exitRate('BTC/USDT')!
    const restingId = await a.bot.trades!.forceEnter({ pair: 'BTC/USDT', side: 'long', price: rate * 0.5 })
    const [resting] = await db1.db.select().from(orders).where(eq(orders.ftTradeId, restingId))
    expect(resting!.status).toBe('open')
    expect(resting!.orderId).toMatch(/^\d+$/)

    // the process dies right after placing an ETH entry and before recording the answer: the pending row is all
    // the database has, the exchange has the (filled) order
    const store = new TradeStore(db1.db)
    const m = ex1.market('ETH/USDT')
    const base = {
      exchange: 'sim',
      baseCurrency: m.base,
      stakeCurrency: 'USDT',
      feeOpen: 0.001,
      feeClose: 0.001,
      openRate: 3000,
      stakeAmount: 30,
      amount: 0.01,
      openDate: clock.now(),
      strategy: 'EnterOften',
      timeframe: 1,
    }
    const pending = (pair: string) => ({
      ftOrderSide: 'buy' as const,
      ftPair: pair,
      ftIsOpen: true,
      ftAmount: 0.01,
      ftPrice: 3000,
      orderId: `${PENDING_PREFIX}${pair}`,
      orderDate: clock.now(),
      amount: 0.01,
    })
    const eth = await store.createTrade({ ...base, pair: 'ETH/USDT' }, pending('ETH/USDT'))
    const placed = await new LiveBroker(ex1).createOrder('ETH/USDT', 'market', 'buy', 0.01)
    expect(placed.status).toBe('closed')
    // ... and one that died between recording and placing
    const sol = await store.createTrade({ ...base, pair: 'SOL/USDT', openRate: 150 }, pending('SOL/USDT'))
    db1.close()
    await ex1.close()

    // second life: reconcile before anything else
    clock.set(T0 + 30_000)
    const ex2 = await connect()
    const db2 = await openDatabase({ url })
    const b = await buildTradingBot({ config, db: db2.db, exchange: ex2, broker: new LiveBroker(ex2), clock })
    b.bot.stopEntry()
    expect(await b.bot.iterate()).toBe(true)

    const [ethOrder] = await db2.db.select().from(orders).where(eq(orders.ftTradeId, eth.id))
    expect(ethOrder!.orderId).toBe(placed.id)
    expect(ethOrder!.status).toBe('closed')
    expect(ethOrder!.filled).toBe(0.01)
    const [ethTrade] = await db2.db.select().from(trades).where(eq(trades.id, eth.id))
    // the sim charges a buy's fee in the base currency: 0.01 × 0.1 % = 0.00001 ETH
    expect(ethOrder!.ftFeeBase).toBe(0.00001)
    expect(ethTrade!.amount).toBe(0.00999)
    expect(ethTrade!.openRate).toBeCloseTo(placed.average!, 10)
    expect((await db2.db.select().from(trades).where(eq(trades.id, sol.id))).length).toBe(0)
    const [stillResting] = await db2.db.select().from(orders).where(eq(orders.ftTradeId, restingId))
    expect(stillResting!.status).toBe('open')

    // every order the exchange has maps to exactly one database order of an existing trade
    const dbOrders = await db2.db.select().from(orders)
    const tradeIds = new Set((await db2.db.select().from(trades)).map((t) => t.id))
    let n = 0
    for (const pair of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']) {
      for (const raw of (await ex2.ccxt.fetchOrders(pair)) as unknown as Parameters<typeof toOrderInfo>[0][]) {
        const o = toOrderInfo(raw, pair)
        const rows = dbOrders.filter((d) => d.ftPair === pair && d.orderId === o.id)
        expect(rows.length).toBe(1)
        expect(tradeIds.has(rows[0]!.ftTradeId)).toBe(true)
        n++
      }
    }
    expect(n).toBe(2)
    db2.close()
    await ex2.close()
  } finally {
    await sim.stop()
    dir.cleanup()
  }
})
