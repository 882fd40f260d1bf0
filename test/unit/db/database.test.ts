import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import { asc, eq } from 'drizzle-orm'
import { openDatabase } from '../../../src/db/database.ts'
import { setKvDatetime } from '../../../src/db/kv.ts'
import { kv, orders, pairlocks, trades } from '../../../src/db/schema.ts'
import { resolveDbUrl } from '../../../src/db/url.ts'
import { MIGRATIONS } from './migrationCount.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tern-db-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function fileUrl(name: string): string {
  return resolveDbUrl(`file:${join(dir, name)}`, { dryRun: true, userDataDir: dir }).url
}

async function columns(client: Client, table: string): Promise<string[]> {
  const info = await client.execute(`PRAGMA table_info(${table})`)
  return info.rows.map((r) => String(r.name))
}

async function scalar(client: Client, sql: string): Promise<unknown> {
  return (await client.execute(sql)).rows[0]?.[0]
}

const TRADE_COLUMNS = [
  'id',
  'exchange',
  'pair',
  'base_currency',
  'stake_currency',
  'is_open',
  'fee_open',
  'fee_open_cost',
  'fee_open_currency',
  'fee_close',
  'fee_close_cost',
  'fee_close_currency',
  'open_rate',
  'open_rate_requested',
  'open_trade_value',
  'close_rate',
  'close_rate_requested',
  'realized_profit',
  'close_profit',
  'close_profit_abs',
  'stake_amount',
  'max_stake_amount',
  'amount',
  'amount_requested',
  'open_date',
  'close_date',
  'stop_loss',
  'stop_loss_pct',
  'initial_stop_loss',
  'initial_stop_loss_pct',
  'is_stop_loss_trailing',
  'stoploss_last_update',
  'max_rate',
  'min_rate',
  'exit_reason',
  'exit_order_status',
  'strategy',
  'enter_tag',
  'timeframe',
  'trading_mode',
  'amount_precision',
  'price_precision',
  'precision_mode',
  'precision_mode_price',
  'contract_size',
  'leverage',
  'is_short',
  'liquidation_price',
  'interest_rate',
  'funding_fees',
  'record_version',
]

const ORDER_COLUMNS = [
  'id',
  'ft_trade_id',
  'ft_order_side',
  'ft_pair',
  'ft_is_open',
  'ft_amount',
  'ft_price',
  'ft_cancel_reason',
  'ft_order_tag',
  'order_id',
  'status',
  'symbol',
  'order_type',
  'side',
  'price',
  'average',
  'amount',
  'filled',
  'remaining',
  'cost',
  'stop_price',
  'order_date',
  'order_filled_date',
  'order_update_date',
  'funding_fee',
  'ft_fee_base',
]

/** The message of the database error behind a failed query (drizzle wraps it as the cause). */
async function failure(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : ''
    return `${err instanceof Error ? err.message : String(err)} | ${cause}`
  }
  throw new Error('the query succeeded')
}

// 2018-01-10 07:15:00 UTC and one hour later.
const OPEN_MS = Date.UTC(2018, 0, 10, 7, 15)
const LATER_MS = OPEN_MS + 3_600_000

describe('openDatabase on a new file', () => {
  test('creates the folder, every table with its columns, the change counter, WAL and foreign keys', async () => {
    const url = fileUrl('nested/deeper/fresh.sqlite')
    const database = await openDatabase({ url })
    try {
      expect(existsSync(join(dir, 'nested/deeper/fresh.sqlite'))).toBe(true)
      const { client } = database
      expect(await columns(client, 'trades')).toEqual(TRADE_COLUMNS)
      expect(await columns(client, 'orders')).toEqual(ORDER_COLUMNS)
      expect(await columns(client, 'pairlocks')).toEqual([
        'id',
        'pair',
        'side',
        'reason',
        'lock_time',
        'lock_end_time',
        'active',
      ])
      expect(await columns(client, 'kv')).toEqual([
        'id',
        'key',
        'value_type',
        'string_value',
        'datetime_value',
        'float_value',
        'int_value',
      ])
      const indexes = await client.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
      )
      expect(indexes.rows.map((r) => String(r.name)).sort()).toEqual([
        '_order_pair_order_id',
        'ix_orders_ft_trade_id',
        'ix_pairlocks_lock_end_time',
        'ix_pairlocks_pair',
        'ix_trades_is_open',
        'ix_trades_pair',
        'kv_key_unique',
      ])
      // the change counter of trades and orders starts at 0, with its six triggers
      expect(await scalar(client, 'SELECT changes FROM trade_changes WHERE id = 1')).toBe(0)
      expect(await scalar(client, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")).toBe(6)
      expect(await scalar(client, 'PRAGMA journal_mode')).toBe('wal')
      expect(await scalar(client, 'SELECT count(*) FROM __drizzle_migrations')).toBe(MIGRATIONS)
      // Statements issued together borrow separate pooled connections; every one must have the
      // busy timeout and foreign keys.
      const probes = await Promise.all(
        [1, 2, 3].map(() => client.execute('SELECT * FROM pragma_foreign_keys, pragma_busy_timeout')),
      )
      for (const probe of probes) expect(Object.values(probe.rows[0]).slice(0, 2)).toEqual([1, 5000])
    } finally {
      database.close()
    }
  })

  test('two opens of the same new file at once both succeed and migrate once', async () => {
    const url = fileUrl('raced.sqlite')
    const [a, b] = await Promise.all([openDatabase({ url }), openDatabase({ url })])
    try {
      expect(await scalar(a.client, 'SELECT count(*) FROM __drizzle_migrations')).toBe(MIGRATIONS)
      await a.db.insert(pairlocks).values({ pair: '*', lockTime: OPEN_MS, lockEndTime: LATER_MS })
      expect(await b.db.select({ pair: pairlocks.pair }).from(pairlocks)).toEqual([{ pair: '*' }])
    } finally {
      a.close()
      b.close()
    }
  })

  test('an in-memory database is migrated too', async () => {
    const database = await openDatabase({ url: ':memory:' })
    try {
      expect(await columns(database.client, 'kv')).toContain('datetime_value')
    } finally {
      database.close()
    }
  })
})

describe('a file with tables from elsewhere', () => {
  test('is refused with a message saying so, after the race retries', async () => {
    const url = fileUrl('foreign.sqlite')
    const other = createClient({ url })
    await other.execute('CREATE TABLE trades (id INTEGER PRIMARY KEY, pair TEXT)')
    other.close()
    await expect(openDatabase({ url })).rejects.toThrow(
      /tables that its migration history does not account for: .*table `\w+` already exists/,
    )
  })
})

describe('reopening an existing database', () => {
  test('applies nothing new and keeps every row as written', async () => {
    const url = fileUrl('reopen.sqlite')
    const first = await openDatabase({ url })
    const [trade] = await first.db
      .insert(trades)
      .values({
        exchange: 'binance',
        pair: 'ETH/BTC',
        baseCurrency: 'ETH',
        stakeCurrency: 'BTC',
        isOpen: false,
        feeOpen: 0.001,
        feeClose: 0.001,
        openRate: 0.09,
        stakeAmount: 0.045,
        amount: 0.5,
        openDate: OPEN_MS,
        closeDate: LATER_MS,
        closeRate: 0.0918,
        // 0.5 × 0.0918 × 0.999 − 0.5 × 0.09 × 1.001 = 0.0458541 − 0.0450450 = 0.0008091
        closeProfitAbs: 0.0008091,
        exitReason: 'roi',
        strategy: 'EmaCross',
        timeframe: 5,
        isShort: false,
      })
      .returning()
    await first.db.insert(orders).values([
      {
        ftTradeId: trade.id,
        ftOrderSide: 'buy',
        ftPair: 'ETH/BTC',
        ftIsOpen: false,
        ftAmount: 0.5,
        ftPrice: 0.09,
        orderId: 'dry_run_buy_1',
        status: 'closed',
        filled: 0.5,
        orderDate: OPEN_MS,
      },
      {
        ftTradeId: trade.id,
        ftOrderSide: 'sell',
        ftPair: 'ETH/BTC',
        ftIsOpen: false,
        ftAmount: 0.5,
        ftPrice: 0.0918,
        orderId: 'dry_run_sell_1',
        status: 'closed',
        filled: 0.5,
        orderDate: LATER_MS,
      },
    ])
    await first.db
      .insert(pairlocks)
      .values({ pair: 'ETH/BTC', reason: 'cooldown', lockTime: LATER_MS, lockEndTime: LATER_MS + 300_000 })
    await setKvDatetime(first.db, 'bot_start_time', OPEN_MS)
    first.close()

    const second = await openDatabase({ url })
    try {
      expect(await scalar(second.client, 'SELECT count(*) FROM __drizzle_migrations')).toBe(MIGRATIONS)
      const [back] = await second.db.select().from(trades)
      expect(back).toMatchObject({
        id: trade.id,
        pair: 'ETH/BTC',
        isOpen: false,
        openRate: 0.09,
        amount: 0.5,
        openDate: OPEN_MS,
        closeDate: LATER_MS,
        closeProfitAbs: 0.0008091,
        timeframe: 5,
        // column defaults
        leverage: 1,
        realizedProfit: 0,
        interestRate: 0,
        isStopLossTrailing: false,
        recordVersion: 0,
        closeProfit: null,
      })
      const back2 = await second.db
        .select({ side: orders.ftOrderSide, price: orders.ftPrice, orderId: orders.orderId, date: orders.orderDate })
        .from(orders)
        .where(eq(orders.ftTradeId, trade.id))
        .orderBy(asc(orders.id))
      expect(back2).toEqual([
        { side: 'buy', price: 0.09, orderId: 'dry_run_buy_1', date: OPEN_MS },
        { side: 'sell', price: 0.0918, orderId: 'dry_run_sell_1', date: LATER_MS },
      ])
      expect(await second.db.select().from(pairlocks)).toEqual([
        {
          id: 1,
          pair: 'ETH/BTC',
          side: '*',
          reason: 'cooldown',
          lockTime: LATER_MS,
          lockEndTime: LATER_MS + 300_000,
          active: true,
        },
      ])
      expect(await second.db.select().from(kv)).toEqual([
        {
          id: 1,
          key: 'bot_start_time',
          valueType: 'datetime',
          stringValue: null,
          datetimeValue: OPEN_MS,
          floatValue: null,
          intValue: null,
        },
      ])
    } finally {
      second.close()
    }
  })
})

describe('constraints', () => {
  test('deleting a trade deletes its orders; a duplicate (ft_pair, order_id) is rejected', async () => {
    const database = await openDatabase({ url: fileUrl('constraints.sqlite') })
    const { db } = database
    try {
      const base = { exchange: 'binance', openRate: 1, stakeAmount: 1, amount: 1, openDate: OPEN_MS }
      const [t1, t2] = await db
        .insert(trades)
        .values([
          { ...base, pair: 'ETH/BTC' },
          { ...base, pair: 'LTC/BTC' },
        ])
        .returning({ id: trades.id })
      const order = { ftOrderSide: 'buy' as const, ftAmount: 1, ftPrice: 1 }
      await db.insert(orders).values([
        { ...order, ftTradeId: t1.id, ftPair: 'ETH/BTC', orderId: 'a' },
        { ...order, ftTradeId: t1.id, ftPair: 'ETH/BTC', orderId: 'b' },
        { ...order, ftTradeId: t2.id, ftPair: 'LTC/BTC', orderId: 'a' },
      ])

      expect(
        await failure(db.insert(orders).values({ ...order, ftTradeId: t2.id, ftPair: 'ETH/BTC', orderId: 'a' })),
      ).toMatch(/UNIQUE constraint failed: orders.ft_pair, orders.order_id/)
      // An order must belong to a trade that exists.
      expect(
        await failure(db.insert(orders).values({ ...order, ftTradeId: 999, ftPair: 'XRP/BTC', orderId: 'z' })),
      ).toMatch(/FOREIGN KEY constraint failed/)

      await db.delete(trades).where(eq(trades.id, t1.id))
      const left = await db.select({ pair: orders.ftPair, orderId: orders.orderId }).from(orders)
      expect(left).toEqual([{ pair: 'LTC/BTC', orderId: 'a' }])
    } finally {
      database.close()
    }
  })
})
