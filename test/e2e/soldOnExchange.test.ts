import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { asc } from 'drizzle-orm'
import { configFromObject } from '../../src/config/load.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { orders, trades } from '../../src/db/schema.ts'
import { buildTradingBot, type TradingBot } from '../../src/engine/build.ts'
import type { Exchange } from '../../src/exchange/exchange.ts'
import { LiveBroker } from '../../src/exchange/liveBroker.ts'
import { type SimExchange, startSimExchange } from '../../src/sim/server.ts'
import { ManualClock } from '../../src/util/clock.ts'
import { connectSim } from '../helpers/simExchange.ts'
import { tempDir } from '../helpers/tmp.ts'
import { pathSource, TST } from '../unit/sim/pricePath.ts'

const STRATEGIES = join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies')
const PAIR = 'TST/USDT'
const B = Date.UTC(2026, 0, 5, 12, 0, 0)
const T0 = B + 5_000

interface World {
  sim: SimExchange
  exchange: Exchange
  database: Database
  tb: TradingBot
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

/** A live bot (real ccxt, the simulator over HTTP, a libSQL file) that has entered one trade on TST/USDT at 100. */
async function withOneTrade(): Promise<World & { id: number }> {
  const dir = tempDir()
  const clock = new ManualClock(T0)
  const sim = await startSimExchange({ clock, seed: 11, markets: [TST], source: pathSource(B, [[B, 100]]) })
  const config = configFromObject({
    strategy: 'EnterOften',
    strategy_path: STRATEGIES,
    analysis_workers: 0,
    initial_state: 'running',
    max_open_trades: 1,
    stake_amount: 100.01,
    stake_currency: 'USDT',
    dry_run: false,
    stoploss: -0.5,
    minimal_roi: { '0': 10 },
    order_types: { entry: 'market', exit: 'market', stoploss: 'market' },
    entry_pricing: { price_side: 'other' },
    exit_pricing: { price_side: 'other' },
    exchange: { name: 'sim', pair_whitelist: [PAIR] },
  })
  const exchange = await connectSim(sim, clock)
  const database = await openDatabase({ url: `file:${join(dir.path, 'tern.sqlite')}` })
  const tb = await buildTradingBot({ config, db: database.db, exchange, broker: new LiveBroker(exchange), clock })
  cleanups.push(async () => {
    database.close()
    await exchange.close()
    await sim.stop()
    dir.cleanup()
  })
  expect(await tb.bot.iterate()).toBe(true)
  tb.bot.stopEntry()
  const [t] = await database.db.select().from(trades)
  // market buy for 100.01 at the best ask 100.01: 1.000 TST, less the 0.1 % fee kept in TST
  expect(t).toMatchObject({ isOpen: true, openRate: 100.01, amount: 0.999 })
  return { sim, exchange, database, tb, id: t!.id }
}

/** A market sell made on the account by hand, not by the bot. */
const sellByHand = (w: World, amount: number) => w.exchange.ccxt.createOrder(PAIR, 'market', 'sell', amount)

describe('POST /trades/{id}/reload finds sales made outside the bot', () => {
  test('a sale of the whole position closes the trade as sold_on_exchange at the sale price', async () => {
    const w = await withOneTrade()
    const sale = (await sellByHand(w, 0.999)) as { id: string; average: number }
    await w.tb.bot.trades!.reloadTrade(w.id)
    const [t] = await w.database.db.select().from(trades)
    expect(t!.isOpen).toBe(false)
    expect(t!.exitReason).toBe('sold_on_exchange')
    expect(t!.closeRate).toBe(sale.average)
    const sells = (await w.database.db.select().from(orders).orderBy(asc(orders.id))).filter((o) => o.side === 'sell')
    expect(sells.map((o) => [o.orderId, o.filled, o.ftIsOpen])).toEqual([[String(sale.id), 0.999, false]])
    // a second reload finds the order known: nothing is added twice
    await expect(w.tb.bot.trades!.reloadTrade(w.id)).resolves.toBeUndefined()
    expect((await w.database.db.select().from(orders)).length).toBe(2)
  })

  test('a sale of part of it leaves the trade open with the rest, its exit reason unset', async () => {
    const w = await withOneTrade()
    await sellByHand(w, 0.5)
    await w.tb.bot.trades!.reloadTrade(w.id)
    const [t] = await w.database.db.select().from(trades)
    expect(t!.isOpen).toBe(true)
    expect(t!.exitReason).toBeNull()
    // 0.999 − 0.5
    expect(t!.amount).toBeCloseTo(0.499, 12)
    expect((await w.database.db.select().from(orders)).length).toBe(2)
  })
})
