import { afterEach, beforeEach, expect, test } from 'bun:test'
import { join } from 'node:path'
import { type Database, openDatabase } from '../../../src/db/database.ts'
import { orders } from '../../../src/db/schema.ts'
import { openTradesStatus } from '../../../src/rpc/trades.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { insertTrade } from '../../helpers/tradeRows.ts'

let dir: ReturnType<typeof tempDir>
let database: Database

beforeEach(async () => {
  dir = tempDir()
  database = await openDatabase({ url: `file:${join(dir.path, 'stops.sqlite')}` })
})
afterEach(() => {
  database.close()
  dir.cleanup()
})

test('a stop order resting on the exchange: listed with the trade, not an open order, dated when placed', async () => {
  const id = await insertTrade(database.db, {
    pair: 'BTC/USDT',
    amount: 1,
    openRate: 100,
    openMs: 1_000,
    fillMs: 2_000,
  })
  const placed = 3_000
  await database.db.insert(orders).values({
    ftTradeId: id,
    ftOrderSide: 'stoploss',
    ftPair: 'BTC/USDT',
    ftIsOpen: true,
    ftAmount: 1,
    ftPrice: 95,
    orderId: 'stop-1',
    status: 'open',
    symbol: 'BTC/USDT',
    orderType: 'stop_loss_limit',
    side: 'sell',
    price: 94.05,
    stopPrice: 95,
    amount: 1,
    filled: 0,
    remaining: 1,
    orderDate: placed,
    // polled since: the update date moves, the stop was still placed at 3 s
    orderUpdateDate: 60_000,
  })
  const [view] = await openTradesStatus(database.db, undefined)
  expect(view?.stoploss_last_update_timestamp).toBe(placed)
  expect(view?.stoploss_last_update).toBe('1970-01-01 00:00:03')
  expect(view?.has_open_orders).toBe(false)
  const stop = view?.orders.find((o) => o.ft_order_side === 'stoploss')
  expect(stop).toMatchObject({ order_type: 'stop_loss_limit', is_open: true, price: 94.05, safe_price: 94.05 })
})
