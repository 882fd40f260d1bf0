import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { UsageError } from '../../../src/cli/args.ts'
import { showTradesCommand } from '../../../src/cli/commands/showTrades.ts'
import { trades } from '../../../src/db/schema.ts'
import { capture } from '../../helpers/capture.ts'
import { type DryRunBot, dryRunBot } from '../../helpers/dryRunBot.ts'

const MINUTE = 60_000
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)
const STRATEGIES = join(import.meta.dir, '..', 'engine', 'fixtures', 'strategies')

describe('tern show-trades', () => {
  let w: DryRunBot
  beforeAll(async () => {
    // EnterOften enters on every candle and leaves after 10 minutes: two trades, then both closed, then two new ones
    w = await dryRunBot(T0, {
      strategy: 'EnterOften',
      strategy_path: STRATEGIES,
      exchange: { name: 'sim', pair_whitelist: ['BTC/USDT', 'ETH/USDT'] },
    })
    await w.tb.bot.iterate()
    w.clock.set(T0 + 10 * MINUTE)
    await w.tb.bot.iterate()
    w.clock.set(T0 + 12 * MINUTE)
    await w.tb.bot.iterate()
  })
  afterAll(async () => {
    await w.cleanup()
  })

  test('--print-json: the trade objects of the API, closed and open, as stored', async () => {
    const stored = await w.database.db.select().from(trades)
    expect(stored.length).toBeGreaterThanOrEqual(3)
    const { code, out } = await capture(() => showTradesCommand(['--db-url', w.dbUrl, '--print-json']))
    expect(code).toBe(0)
    const shown = JSON.parse(out) as Record<string, unknown>[]
    expect(shown.map((t) => t.trade_id)).toEqual(stored.map((t) => t.id))
    for (const t of shown) {
      const row = stored.find((s) => s.id === t.trade_id)
      expect(t.is_open).toBe(row?.isOpen)
      expect(t.pair).toBe(row?.pair)
      if (!t.is_open) expect(t.exit_reason).toBe('time_exit')
    }
  })

  test('--trade-ids: only those, in a table with their profit and exit reason', async () => {
    const closed = (await w.database.db.select().from(trades)).filter((t) => !t.isOpen)
    const one = closed[0]
    if (!one) throw new Error('no closed trade')
    const { out } = await capture(() => showTradesCommand(['--db-url', w.dbUrl, '--trade-ids', String(one.id)]))
    const rows = out.split('\n').filter((l) => /^┃ \d/.test(l))
    expect(rows.length).toBe(1)
    const cells = rows[0]?.split('┃').map((c) => c.trim()) ?? []
    expect(cells[1]).toBe(String(one.id))
    expect(cells[2]).toBe(one.pair)
    expect(Number(cells[8])).toBeCloseTo((one.closeProfit ?? 0) * 100, 2)
    expect(cells[10]).toBe('time_exit')
  })

  test('bad ids are usage errors; a missing database is named and not created', async () => {
    await expect(showTradesCommand(['--db-url', w.dbUrl, '--trade-ids', 'x'])).rejects.toBeInstanceOf(UsageError)
    const missing = `file:${join(import.meta.dir, 'no-such-dir', 'none.sqlite')}`
    await expect(showTradesCommand(['--db-url', missing])).rejects.toThrow('no database at')
  })
})
