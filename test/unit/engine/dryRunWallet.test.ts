import { afterAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { configFromObject } from '../../../src/config/load.ts'
import { openDatabase } from '../../../src/db/database.ts'
import { trades } from '../../../src/db/schema.ts'
import { dryRunBalances } from '../../../src/engine/dryRunWallet.ts'
import { TradeStore } from '../../../src/engine/tradeStore.ts'
import { tempDir } from '../../helpers/tmp.ts'

const dir = tempDir()
afterAll(dir.cleanup)

test('the wallet after a restart: start + closed profit − open cost + realised, and the open coins', async () => {
  const database = await openDatabase({ url: `file:${join(dir.path, 'w.sqlite')}` })
  const base = { exchange: 'sim', stakeAmount: 100, openDate: 1, strategy: 'X' }
  await database.db.insert(trades).values([
    // closed: +12.5 USDT
    { ...base, pair: 'BTC/USDT', isOpen: false, openRate: 100, amount: 1, closeProfitAbs: 12.5 },
    // open: 0.5 ETH costing 100.1 USDT with fee
    { ...base, pair: 'ETH/USDT', baseCurrency: 'ETH', openRate: 200, amount: 0.5, openTradeValue: 100.1 },
    // open after a partial exit: 2 SOL left costing 40.04, 3.2 USDT already realised
    {
      ...base,
      pair: 'SOL/USDT',
      baseCurrency: 'SOL',
      openRate: 20,
      amount: 2,
      openTradeValue: 40.04,
      realizedProfit: 3.2,
    },
  ])
  const balances = await dryRunBalances(configFromObject({ dry_run_wallet: 1000 }), new TradeStore(database.db))
  // 1000 + 12.5 − 100.1 − 40.04 + 3.2 = 875.56
  expect(balances.USDT).toBeCloseTo(875.56, 10)
  expect(balances.ETH).toBe(0.5)
  expect(balances.SOL).toBe(2)
  database.close()
})
