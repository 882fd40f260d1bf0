import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { runBacktest } from '../../../src/backtest/index.ts'
import { type Config, ConfigSchema } from '../../../src/config/schema.ts'
import { tempDir } from '../../helpers/tmp.ts'

const SHARED = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')
const missing = !existsSync(join(SHARED, 'binance'))
if (missing) console.warn(`skipping the position adjustment backtest: ${SHARED} is absent`)

const tmp = tempDir('tern-dca-')
afterAll(() => tmp.cleanup())

interface ResultOrder {
  amount: number
  safe_price: number
  ft_order_side: 'buy' | 'sell'
  ft_order_tag: string | null
}

const round8 = (x: number) => Math.round(x * 1e8) / 1e8

describe.skipIf(missing)('EmaCrossDca over the shared Binance data', () => {
  test("additions and partial exits add up: each trade's amounts, profit and the final balance", async () => {
    const fee = 0.001
    const config = Value.Default(ConfigSchema, {
      strategy: 'EmaCrossDca',
      stake_currency: 'BTC',
      stake_amount: 0.001,
      dry_run_wallet: 0.05,
      max_open_trades: 3,
      datadir: join(SHARED, 'binance'),
      user_data_dir: tmp.path,
      exchange: { name: 'sim', pair_whitelist: ['ETH/BTC', 'LTC/BTC', 'XMR/BTC', 'ADA/BTC'] },
    }) as Config
    const r = (await runBacktest({ config, workers: 0, fee })).strategy.EmaCrossDca
    const trades = r.trades as Record<string, unknown>[]
    const orders = (t: Record<string, unknown>) => t.orders as ResultOrder[]
    const added = trades.filter((t) => orders(t).filter((o) => o.ft_order_side === 'buy').length > 1)
    const partial = trades.filter((t) => orders(t).some((o) => o.ft_order_tag === 'take_third'))
    expect(added.length).toBeGreaterThan(0)
    expect(partial.length).toBeGreaterThan(0)
    let total = 0
    for (const t of trades) {
      // replayed by hand: the average entry before each exit, each exit's profit rounded to 8 decimals
      let held = 0
      let avg = 0
      let profit = 0
      let maxStake = 0
      for (const o of orders(t)) {
        if (o.ft_order_side === 'buy') {
          avg = held > 0 ? (held * avg + o.amount * o.safe_price) / (held + o.amount) : o.safe_price
          held = round8(held + o.amount)
          maxStake += o.amount * o.safe_price
        } else {
          profit += round8(o.amount * o.safe_price * (1 - fee) - o.amount * avg * (1 + fee))
          held = round8(held - o.amount)
        }
      }
      // every coin bought was sold by the end, the last exit sold what was left (the trade's amount)
      expect(held).toBe(0)
      expect(orders(t).at(-1)?.amount).toBe(t.amount as number)
      expect(t.profit_abs as number).toBeCloseTo(profit, 8)
      expect(t.max_stake_amount as number).toBeCloseTo(maxStake, 10)
      if (orders(t).length > 2) expect(t.open_rate as number).toBeCloseTo(avg, 12)
      total += t.profit_abs as number
    }
    expect(r.final_balance as number).toBeCloseTo(0.05 + total, 8)
    expect(r.total_trades).toBe(trades.length)
  })
})
