import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { type Database, openDatabase } from '../../../src/db/database.ts'
import { orders, trades } from '../../../src/db/schema.ts'
import { TradeReadCache } from '../../../src/rpc/tradeReadCache.ts'
import { openTradesStatus, tradeHistory } from '../../../src/rpc/trades.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { insertTrade } from '../../helpers/tradeRows.ts'

let dir: ReturnType<typeof tempDir>
let a: Database
let b: Database

beforeEach(async () => {
  dir = tempDir()
  const url = `file:${join(dir.path, 'trades.sqlite')}`
  a = await openDatabase({ url })
  // a second connection to the same file, as another process (or the engine's transactions) would write
  b = await openDatabase({ url })
})

afterEach(() => {
  a.close()
  b.close()
  dir.cleanup()
})

const open = (pair: string, openMs: number) => ({ pair, amount: 1, openRate: 100, openMs, fillMs: openMs + 1 })

describe('trade change counter', () => {
  test('every insert, update and delete of trades and orders counts, from any connection', async () => {
    const cache = new TradeReadCache(a.db)
    expect(await cache.changes()).toBe(0)
    const id = await insertTrade(b.db, open('BTC/USDT', 1_000))
    // one trade row and its entry order
    expect(await cache.changes()).toBe(2)
    await b.db.update(trades).set({ stopLoss: 90 }).where(eq(trades.id, id))
    expect(await cache.changes()).toBe(3)
    await b.db.update(orders).set({ status: 'closed' }).where(eq(orders.ftTradeId, id))
    expect(await cache.changes()).toBe(4)
    await b.db.delete(orders).where(eq(orders.ftTradeId, id))
    await b.db.delete(trades).where(eq(trades.id, id))
    expect(await cache.changes()).toBe(6)
  })

  test('a rolled-back transaction counts nothing', async () => {
    const cache = new TradeReadCache(a.db)
    await expect(
      b.db.transaction(async (tx) => {
        await tx.update(trades).set({ stopLoss: 1 })
        await insertTrade(tx as never, open('ETH/USDT', 2_000))
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await cache.changes()).toBe(0)
  })
})

describe('reads served from memory', () => {
  test('a read is reused while nothing changed and redone after a write by another connection', async () => {
    const cache = new TradeReadCache(a.db)
    let loads = 0
    const load = async () => {
      loads++
      return (await a.db.select().from(trades)).length
    }
    expect(await cache.read('n', load)).toBe(0)
    expect(await cache.read('n', load)).toBe(0)
    expect(loads).toBe(1)
    await insertTrade(b.db, open('BTC/USDT', 1_000))
    expect(await cache.read('n', load)).toBe(1)
    expect(loads).toBe(2)
  })

  test('requests that miss together share one read; a failed read is not kept', async () => {
    const cache = new TradeReadCache(a.db)
    let loads = 0
    const slow = async () => {
      loads++
      await Bun.sleep(20)
      return loads
    }
    const answers = await Promise.all([cache.read('k', slow), cache.read('k', slow), cache.read('k', slow)])
    expect(answers).toEqual([1, 1, 1])
    expect(loads).toBe(1)
    await expect(cache.read('bad', async () => Promise.reject(new Error('db gone')))).rejects.toThrow('db gone')
    expect(await cache.read('bad', async () => 7)).toBe(7)
  })

  test('/status and /trades answers follow writes made behind the cache', async () => {
    await insertTrade(b.db, open('BTC/USDT', 1_000))
    const first = await openTradesStatus(a.db, undefined)
    expect(first.map((t) => t.pair)).toEqual(['BTC/USDT'])
    // unchanged trades and prices: the very same answer object (serialized once by the API)
    expect(await openTradesStatus(a.db, undefined)).toBe(first)
    const history = await tradeHistory(a.db, 500, 0)
    expect(history.total_trades).toBe(0)

    // another connection closes the trade: both answers change
    await b.db.update(trades).set({ isOpen: false, closeDate: 5_000, closeRate: 110 })
    expect(await openTradesStatus(a.db, undefined)).toEqual([])
    const after = await tradeHistory(a.db, 500, 0)
    expect(after.total_trades).toBe(1)
    expect(after.trades[0]?.close_rate).toBe(110)
  })

  test('a new price gives a new /status view with the profit at that price', async () => {
    await insertTrade(b.db, open('BTC/USDT', 1_000))
    let rate = 110
    const prices = { exitRate: () => rate }
    const at110 = await openTradesStatus(a.db, prices)
    rate = 120
    const at120 = await openTradesStatus(a.db, prices)
    expect(at120).not.toBe(at110)
    expect(at110[0]?.current_rate).toBe(110)
    expect(at120[0]?.current_rate).toBe(120)
    // 1 × 120 × (1 − 0.001) − 1 × 100 × (1 + 0.001) = 119.88 − 100.1
    expect(at120[0]?.profit_abs).toBeCloseTo(19.78, 8)
  })
})
