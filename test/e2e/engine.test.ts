import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { orders, trades } from '../../src/db/schema.ts'
import { EngineRefusal } from '../../src/engine/commands.ts'
import { type DryRunBot, dryRunBot } from '../helpers/dryRunBot.ts'

const STRATEGIES = join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies')
const MINUTE = 60_000
// a minute boundary plus 5 s: the bot sees the candle that just closed
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)
const PAIRS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']

type World = DryRunBot

const world = (extra: Record<string, unknown> = {}) =>
  dryRunBot(T0, {
    strategy: 'EnterOften',
    strategy_path: STRATEGIES,
    exchange: { name: 'sim', pair_whitelist: PAIRS },
    ...extra,
  })

let w: World
beforeEach(async () => {
  w = await world()
})
afterEach(async () => {
  await w.cleanup()
})

describe('the trading engine in dry-run against the simulator', () => {
  test('opens trades on signals up to max_open_trades, with the open value and stake from the fills', async () => {
    expect(await w.tb.bot.iterate()).toBe(true)
    const rows = await w.database.db.select().from(trades)
    expect(rows.length).toBe(2)
    for (const t of rows) {
      const [o] = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, t.id))
      expect(o!.ftOrderSide).toBe('buy')
      expect(o!.status).toBe('closed')
      expect(o!.ftIsOpen).toBe(false)
      expect(o!.orderId.startsWith('dry-')).toBe(true)
      // market buy: amount = stake / price cut to the step; the trade holds what filled at the fill's average
      expect(t.amount).toBe(o!.filled!)
      expect(t.openRate).toBeCloseTo(o!.average!, 10)
      expect(t.feeOpen).toBe(0.001)
      expect(t.feeOpenCurrency).toBe('USDT')
      // open value = amount × rate × (1 + 0.001); stake = amount × rate
      expect(t.openTradeValue!).toBeCloseTo(t.amount * t.openRate * 1.001, 7)
      expect(t.stakeAmount).toBeCloseTo(t.amount * t.openRate, 7)
      expect(t.stakeAmount).toBeLessThanOrEqual(100)
      expect(t.stakeAmount).toBeGreaterThan(99)
      expect(t.isOpen).toBe(true)
      expect(t.strategy).toBe('EnterOften')
      expect(t.timeframe).toBe(1)
      // stop at 99 % below the entry, rounded up to the tick
      expect(t.initialStopLoss).toBeGreaterThan(t.openRate * 0.01 - 0.02)
      expect(t.initialStopLossPct).toBe(-0.99)
    }
    const types = w.events.map((e) => e.type)
    expect(types.filter((t) => t === 'entry').length).toBe(2)
    expect(types.filter((t) => t === 'entry_fill').length).toBe(2)
    expect(w.tb.bot.prices!.exitRate('BTC/USDT')).toBeGreaterThan(0)
    const fill = w.events.find((e) => e.type === 'entry_fill') as Record<string, unknown>
    expect(fill.exchange).toBe('Sim')
    expect(fill.direction).toBe('Long')
    expect(fill.enter_tag).toBeNull()
    expect(typeof fill.open_rate).toBe('number')
    expect(fill.stake_currency).toBe('USDT')
    // /pair_candles serves the analysed frame, with the strategy's signal columns
    const analysed = w.tb.bot.analyzedFrames!.analyzed('BTC/USDT', '1m')!
    expect(analysed.frame.length).toBeGreaterThan(100)
    expect(analysed.frame.col('enter_long')[analysed.frame.length - 1]).toBe(1)
    expect(analysed.lastAnalyzedMs).toBe(T0)
  })

  test('paused: no entries, exits go on', async () => {
    await w.tb.bot.iterate()
    w.tb.bot.pause()
    w.clock.set(T0 + 10 * MINUTE)
    expect(await w.tb.bot.iterate()).toBe(true)
    expect((await w.database.db.select().from(trades).where(eq(trades.isOpen, false))).length).toBe(2)
    w.clock.set(T0 + 12 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades)).length).toBe(2)
  })

  test('a resting entry past unfilledtimeout is cancelled and its unfilled trade removed', async () => {
    w.tb.bot.stopEntry()
    const cmd = w.tb.bot.trades!
    await w.tb.bot.iterate()
    w.tb.bot.maxOpenTrades = 3
    const price = w.tb.bot.prices!.exitRate('BTC/USDT')! * 0.5
    const id = await cmd.forceEnter({ pair: 'BTC/USDT', side: 'long', price, ordertype: 'limit', stakeAmount: 60 })
    const [o] = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))
    expect(o!.status).toBe('open')
    expect(o!.ftIsOpen).toBe(true)
    expect(o!.filled).toBe(0)
    w.tb.bot.maxOpenTrades = 0
    w.clock.set(T0 + 5 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades).where(eq(trades.id, id))).length).toBe(1)
    // default entry timeout: 10 minutes
    w.clock.set(T0 + 11 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades).where(eq(trades.id, id))).length).toBe(0)
    expect((await w.database.db.select().from(orders).where(eq(orders.ftTradeId, id))).length).toBe(0)
    const cancel = w.events.find((e) => e.type === 'entry_cancel') as unknown as Record<string, unknown>
    expect(cancel.trade_id).toBe(id)
    expect(cancel.reason).toBe('cancelled due to timeout')
  })

  test('cancelling the open entry of a trade through the command removes it: no active trade', async () => {
    w.tb.bot.stopEntry()
    await w.tb.bot.iterate()
    w.tb.bot.maxOpenTrades = 3
    const cmd = w.tb.bot.trades!
    const price = w.tb.bot.prices!.exitRate('ETH/USDT')! * 0.5
    const id = await cmd.forceEnter({ pair: 'ETH/USDT', side: 'long', price, ordertype: 'limit', stakeAmount: 60 })
    await expect(cmd.forceEnter({ pair: 'ETH/USDT', side: 'long' })).rejects.toThrow(
      new RegExp(`position for ETH/USDT already open - id: ${id} and has open order dry-[0-9a-f]+-\\d+`),
    )
    await expect(cmd.cancelOpenOrders(id + 1)).rejects.toThrow('Invalid trade_id.')
    await expect(cmd.cancelOpenOrders(id)).rejects.toThrow('no active trade')
    expect((await w.database.db.select().from(trades)).length).toBe(0)
  })

  test('closes trades on the custom exit with profit after both fees, then locks the pair until the next candle', async () => {
    await w.tb.bot.iterate()
    w.clock.set(T0 + 10 * MINUTE)
    await w.tb.bot.iterate()
    const closed = await w.database.db.select().from(trades).where(eq(trades.isOpen, false))
    expect(closed.length).toBe(2)
    for (const t of closed) {
      const os = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, t.id))
      const sell = os.find((o) => o.ftOrderSide === 'sell')!
      expect(sell.status).toBe('closed')
      expect(t.exitReason).toBe('time_exit')
      expect(t.closeRate).toBeCloseTo(sell.average!, 10)
      const ov = t.amount * t.openRate * 1.001
      const cv = t.amount * t.closeRate! * (1 - 0.001)
      expect(t.closeProfitAbs!).toBeCloseTo(cv - ov, 7)
      expect(t.closeProfit!).toBeCloseTo((cv - ov) / ov, 8)
      expect(t.realizedProfit).toBe(t.closeProfitAbs!)
      expect(t.closeDate).toBe(T0 + 10 * MINUTE)
      expect(t.exitOrderStatus).toBe('closed')
    }
    // both exited pairs are locked until the next minute; the third pair took a free slot
    const open = await w.database.db.select().from(trades).where(eq(trades.isOpen, true))
    expect(open.map((t) => t.pair)).toEqual(['SOL/USDT'])
    expect(w.events.filter((e) => e.type === 'exit_fill').length).toBe(2)
    w.clock.set(T0 + 11 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades).where(eq(trades.isOpen, true))).length).toBe(2)
  })

  test('stopentry blocks entries while exits still happen; a global lock blocks entries', async () => {
    await w.tb.bot.iterate()
    w.tb.bot.stopEntry()
    w.clock.set(T0 + 12 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades).where(eq(trades.isOpen, false))).length).toBe(2)
    expect((await w.database.db.select().from(trades).where(eq(trades.isOpen, true))).length).toBe(0)
    w.tb.bot.maxOpenTrades = 2
    await w.tb.bot.pairLocks.lock('*', T0 + 20 * MINUTE, w.clock.now(), 'test')
    w.clock.set(T0 + 14 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades)).length).toBe(2)
    w.clock.set(T0 + 21 * MINUTE)
    await w.tb.bot.iterate()
    expect((await w.database.db.select().from(trades)).length).toBe(4)
  })

  test('force enter and force exit with the contract refusals', async () => {
    w.tb.bot.maxOpenTrades = 1
    w.tb.bot.stopEntry()
    w.tb.bot.maxOpenTrades = 1
    const cmd = w.tb.bot.trades!
    await expect(cmd.forceEnter({ pair: 'BTC/USDT', side: 'short' })).rejects.toThrow("Can't go short on Spot markets.")
    await expect(cmd.forceEnter({ pair: 'NOPE/USDT', side: 'long' })).rejects.toThrow(
      'Symbol does not exist or market is not active.',
    )
    await expect(cmd.forceEnter({ pair: 'ETH/BTC', side: 'long' })).rejects.toThrow(
      'Wrong pair selected. Only pairs with stake-currency USDT allowed.',
    )
    const id = await cmd.forceEnter({ pair: 'ETH/USDT', side: 'long', stakeAmount: 50, ordertype: 'market' })
    const [t] = await w.database.db.select().from(trades).where(eq(trades.id, id))
    expect(t!.enterTag).toBe('force_entry')
    expect(t!.stakeAmount).toBeCloseTo(50, 0)
    await expect(cmd.forceEnter({ pair: 'ETH/USDT', side: 'long' })).rejects.toThrow(
      `position for ETH/USDT already open - id: ${id}`,
    )
    await expect(cmd.forceEnter({ pair: 'BTC/USDT', side: 'long' })).rejects.toThrow(
      'Maximum number of trades is reached.',
    )
    await expect(cmd.forceExit(999, {})).rejects.toBeInstanceOf(EngineRefusal)
    await cmd.forceExit(id, { ordertype: 'market' })
    const [after] = await w.database.db.select().from(trades).where(eq(trades.id, id))
    expect(after!.isOpen).toBe(false)
    expect(after!.exitReason).toBe('force_exit')
    w.tb.bot.stop()
    await expect(cmd.forceEnter({ pair: 'BTC/USDT', side: 'long' })).rejects.toThrow('trader is not running')
    expect(await cmd.deleteTrade(id)).toBe(0)
    expect((await w.database.db.select().from(trades)).length).toBe(0)
    await expect(cmd.deleteTrade(id)).rejects.toThrow('invalid argument')
  })
})

describe('exit rules', () => {
  test('ROI: with minimal_roi {0: -0.5} every trade exits by ROI on the next iteration', async () => {
    await w.cleanup()
    w = await world({ minimal_roi: { '0': -0.5 } })
    await w.tb.bot.iterate()
    w.tb.bot.stopEntry()
    w.clock.set(T0 + MINUTE)
    await w.tb.bot.iterate()
    const closed = await w.database.db.select().from(trades).where(eq(trades.isOpen, false))
    expect(closed.map((t) => t.exitReason)).toEqual(['roi', 'roi'])
  })

  test('stop-loss at −0.05 %: the stop sits 0.05 % below the entry, and the trade exits once the price is at it', async () => {
    await w.cleanup()
    w = await world({ stoploss: -0.0005 })
    await w.tb.bot.iterate()
    w.tb.bot.stopEntry()
    for (let m = 1; m < 10; m++) {
      w.clock.set(T0 + m * MINUTE)
      await w.tb.bot.iterate()
    }
    const all = await w.database.db.select().from(trades)
    for (const t of all) {
      // 0.05 % below the entry, rounded up to the 0.01 tick
      expect(t.initialStopLoss).toBeCloseTo(Math.ceil(t.openRate * 0.9995 * 100) / 100, 8)
      expect(t.initialStopLossPct).toBe(-0.0005)
    }
    const stopped = all.filter((t) => t.exitReason === 'stop_loss')
    expect(stopped.length).toBeGreaterThan(0)
    for (const t of stopped) expect(t.closeRateRequested!).toBeLessThanOrEqual(t.stopLoss)
  })
})

describe('exit orders', () => {
  test('a resting exit past unfilledtimeout is cancelled (exit_cancel), the trade stays open and exits again', async () => {
    await w.cleanup()
    w = await world({
      order_types: { entry: 'market', exit: 'limit', stoploss: 'market' },
      exit_pricing: { price_side: 'same', order_book_top: 20 },
      unfilledtimeout: { entry: 10, exit: 1, unit: 'minutes' },
    })
    await w.tb.bot.iterate()
    w.tb.bot.stopEntry()
    w.clock.set(T0 + 10 * MINUTE)
    await w.tb.bot.iterate()
    const sells = async () =>
      (await w.database.db.select().from(orders)).filter((o) => o.ftOrderSide === 'sell' && o.ftPair === 'BTC/USDT')
    const first = await sells()
    expect(first.length).toBe(1)
    expect(first[0]!.status).toBe('open')
    w.clock.set(T0 + 11 * MINUTE + 30_000)
    await w.tb.bot.iterate()
    const after = await sells()
    expect(after[0]!.status).toBe('canceled')
    expect(after[0]!.ftCancelReason).toBe('cancelled due to timeout')
    // the custom exit still wants out: a fresh exit order in the same iteration
    expect(after.length).toBe(2)
    expect(after[1]!.ftIsOpen).toBe(true)
    const cancel = w.events.find((e) => e.type === 'exit_cancel') as unknown as Record<string, unknown>
    expect(cancel.reason).toBe('cancelled due to timeout')
    const [t] = await w.database.db.select().from(trades).where(eq(trades.pair, 'BTC/USDT'))
    expect(t!.isOpen).toBe(true)
    expect(t!.exitReason).toBe('time_exit')
  })
})

describe('commands during an iteration', () => {
  test('a force exit of all trades while the iteration exits them too: one exit order per trade', async () => {
    await w.tb.bot.iterate()
    w.tb.bot.stopEntry()
    w.clock.set(T0 + 10 * MINUTE)
    const [ok] = await Promise.all([w.tb.bot.iterate(), w.tb.bot.trades!.forceExit('all', { ordertype: 'market' })])
    expect(ok).toBe(true)
    const all = await w.database.db.select().from(trades)
    expect(all.length).toBe(2)
    for (const t of all) {
      expect(t.isOpen).toBe(false)
      const sells = await w.database.db.select().from(orders).where(eq(orders.ftTradeId, t.id))
      expect(sells.filter((o) => o.ftOrderSide === 'sell').length).toBe(1)
    }
  })
})

describe('exchange faults', () => {
  test('errors, 429s and drops delay iterations without corrupting trades; last_process only moves on completed ones', async () => {
    await w.tb.bot.iterate()
    const firstDone = w.tb.bot.lastProcessMs
    expect(firstDone).toBe(T0)
    w.sim.setFaults({ errorRate: 0.35, rateLimitRate: 0.15, dropRate: 0.1 })
    let failed = 0
    for (let i = 1; i <= 12; i++) {
      w.clock.set(T0 + i * 4 * MINUTE)
      const before = w.tb.bot.lastProcessMs
      const ok = await w.tb.bot.iterate()
      if (!ok) {
        failed++
        expect(w.tb.bot.lastProcessMs).toBe(before!)
      } else expect(w.tb.bot.lastProcessMs).toBe(T0 + i * 4 * MINUTE)
    }
    expect(failed).toBeGreaterThan(0)
    w.sim.setFaults({})
    w.clock.set(T0 + 60 * MINUTE)
    expect(await w.tb.bot.iterate()).toBe(true)
    // the books are consistent: closed trades have a filled exit, open ones a filled entry and no pending order
    const all = await w.database.db.select().from(trades)
    const os = await w.database.db.select().from(orders)
    expect(all.length).toBeGreaterThan(2)
    for (const t of all) {
      const mine = os.filter((o) => o.ftTradeId === t.id)
      expect(mine.some((o) => o.ftOrderSide === 'buy' && (o.filled ?? 0) > 0)).toBe(true)
      expect(mine.some((o) => o.ftIsOpen)).toBe(false)
      if (!t.isOpen) {
        const sold = mine.filter((o) => o.ftOrderSide === 'sell').reduce((s, o) => s + (o.filled ?? 0), 0)
        expect(sold).toBeCloseTo(t.amount, 8)
        expect(t.closeProfitAbs).not.toBeNull()
      }
    }
    expect(all.filter((t) => t.isOpen).length).toBeLessThanOrEqual(2)
  })
})

describe('plugins', () => {
  const setups = {
    config: { protections: [{ method: 'CooldownPeriod', stop_duration_candles: 5 }] },
    strategy: { strategy: 'GuardedEnterOften' },
  }
  for (const [from, extra] of Object.entries(setups)) {
    test(`a CooldownPeriod protection (from the ${from}) locks the pair after its trade closed; a blacklist pattern removes pairs`, async () => {
      await w.cleanup()
      w = await world(extra)
      await w.tb.bot.iterate()
      expect(w.tb.bot.whitelist).toEqual(PAIRS)
      w.clock.set(T0 + 10 * MINUTE)
      await w.tb.bot.iterate()
      // the two exited pairs: the auto lock to the next candle and the cooldown of 5 candles
      const locks = await w.tb.bot.pairLocks.active(w.clock.now())
      const cooldown = locks.filter((l) => l.reason === 'Cooldown period for 5 candles.')
      expect(cooldown.map((l) => l.pair).sort()).toEqual(['BTC/USDT', 'ETH/USDT'])
      const event = w.events.find((e) => e.type === 'protection_trigger') as unknown as Record<string, unknown>
      expect(event.pair).toBe('BTC/USDT')
      // three candles later the cooldown still holds: only SOL (no cooldown) is open
      w.clock.set(T0 + 13 * MINUTE)
      await w.tb.bot.iterate()
      const open = await w.database.db.select().from(trades).where(eq(trades.isOpen, true))
      expect(open.map((t) => t.pair)).toEqual(['SOL/USDT'])

      w.tb.bot.blacklist.push('SOL/.*')
      w.clock.set(T0 + 14 * MINUTE)
      await w.tb.bot.iterate()
      expect(w.tb.bot.whitelist).toEqual(['BTC/USDT', 'ETH/USDT'])
    })
  }
})
