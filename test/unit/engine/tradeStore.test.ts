import { afterEach, beforeEach, expect, test } from 'bun:test'
import { join } from 'node:path'
import { type Database, openDatabase } from '../../../src/db/database.ts'
import { TradeStore } from '../../../src/engine/tradeStore.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { insertTrade } from '../../helpers/tradeRows.ts'

let dir: ReturnType<typeof tempDir>
let database: Database

beforeEach(async () => {
  dir = tempDir()
  database = await openDatabase({ url: `file:${join(dir.path, 'store.sqlite')}` })
})
afterEach(() => {
  database.close()
  dir.cleanup()
})

test('saveStops writes the moved stops and price ranges of many trades, and nothing else', async () => {
  // more trades than one statement takes, so the write spans two statements of one transaction
  const n = 1_203
  for (let i = 0; i < n; i++) {
    await insertTrade(database.db, {
      pair: 'BTC/USDT',
      amount: 1,
      openRate: 100,
      openMs: i * 1000,
      fillMs: i * 1000 + 1,
    })
  }
  const store = new TradeStore(database.db)
  const open = await store.loadOpen()
  expect(open.length).toBe(n)
  for (const [i, t] of open.entries()) {
    t.core.adjustMinMax(100 + i, 99 - i / 100)
    t.core.stopLoss = 90 + i / 1000
    t.core.isStopLossTrailing = i % 2 === 0
    t.syncFromCore()
    // an unsaved change outside the stop fields stays unwritten
    t.row.amount = 5
  }
  const versions = open.map((t) => t.row.recordVersion)
  await store.saveStops(open)
  expect(open.map((t) => t.row.recordVersion)).toEqual(versions.map((v) => v + 1))
  const back = await store.loadOpen()
  for (const [i, t] of back.entries()) {
    expect(t.row.maxRate).toBe(100 + i)
    expect(t.row.minRate).toBe(99 - i / 100)
    expect(t.row.stopLoss).toBe(90 + i / 1000)
    expect(t.row.isStopLossTrailing).toBe(i % 2 === 0)
    expect(t.row.recordVersion).toBe(versions[i]! + 1)
    expect(t.row.amount).toBe(1)
    expect(t.row.openRate).toBe(100)
  }
  await store.saveStops([])
})
