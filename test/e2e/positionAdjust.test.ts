import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { configFromObject } from '../../src/config/load.ts'
import { orders, trades } from '../../src/db/schema.ts'
import { EngineRefusal } from '../../src/engine/commands.ts'
import { configView } from '../../src/rpc/configView.ts'
import { type DryRunBot, dryRunBot } from '../helpers/dryRunBot.ts'
import { tempDir } from '../helpers/tmp.ts'

const MINUTE = 60_000
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)
const ENTER_OFTEN = join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies', 'EnterOften.ts')
const CALLBACKS = join(import.meta.dir, '..', '..', 'src', 'strategy', 'callbacks.ts')

/** EnterOften whose `adjustTradePosition` answers what the test sets (once), and records what it was asked. */
const ADJUSTING_STRATEGY = `
import type { AdjustTradePositionContext, CustomEntryPriceContext, CustomStoplossContext } from ${JSON.stringify(CALLBACKS)}
import EnterOften from ${JSON.stringify(ENTER_OFTEN)}

export default class Adjusting extends EnterOften {
  override positionAdjustmentEnable = true
  next: number | [number, string] | undefined = undefined
  readonly asked: { tradeId: number; entries: number; minStake: number | undefined; maxStake: number; stakes: number[] }[] = []

  lowEntry = false

  override customEntryPrice(ctx: CustomEntryPriceContext) {
    return this.lowEntry ? ctx.proposedRate * 0.98 : undefined
  }

  override useCustomStoploss = true
  override customStoplossAfterFill = true
  afterFillStop: number | undefined = undefined
  readonly stopAsked: { afterFill: boolean; rate: number }[] = []

  override customStoploss(ctx: CustomStoplossContext) {
    this.stopAsked.push({ afterFill: ctx.afterFill, rate: ctx.currentRate })
    return ctx.afterFill ? this.afterFillStop : undefined
  }

  override adjustTradePosition(ctx: AdjustTradePositionContext) {
    const { trade, minStake, maxStake } = ctx
    const stakes = trade.filledOrders('buy').map((o) => o.filled * (o.average ?? o.price))
    this.asked.push({ tradeId: trade.id, entries: trade.nrOfSuccessfulEntries, minStake, maxStake, stakes })
    const answer = this.next
    this.next = undefined
    return answer
  }
}
`

interface Adjusting {
  lowEntry: boolean
  afterFillStop: number | undefined
  stopAsked: { afterFill: boolean; rate: number }[]
  next: number | [number, string] | undefined
  asked: { tradeId: number; entries: number; minStake: number | undefined; maxStake: number; stakes: number[] }[]
}

const strategyDir = tempDir()
mkdirSync(join(strategyDir.path, 'strategies'))
writeFileSync(join(strategyDir.path, 'strategies', 'Adjusting.ts'), ADJUSTING_STRATEGY)
afterAll(() => strategyDir.cleanup())

let w: (DryRunBot & { strategy: Adjusting }) | undefined
afterEach(async () => {
  await w?.cleanup()
  w = undefined
})

async function world(extra: Record<string, unknown> = {}) {
  const bot = await dryRunBot(T0, {
    strategy: 'Adjusting',
    strategy_path: join(strategyDir.path, 'strategies'),
    exchange: { name: 'sim', pair_whitelist: ['BTC/USDT', 'ETH/USDT'] },
    ...extra,
  })
  w = { ...bot, strategy: bot.tb.trader.opts.strategy as unknown as Adjusting }
  return w
}

/** A trade of 100 USDT of BTC entered by force (market order, filled at once); no slot left for other entries. */
async function oneTrade(x: DryRunBot) {
  x.tb.bot.stopEntry()
  await x.tb.bot.iterate()
  x.tb.bot.maxOpenTrades = 1
  const id = await x.tb.bot.trades!.forceEnter({
    pair: 'BTC/USDT',
    side: 'long',
    ordertype: 'market',
    stakeAmount: 100,
  })
  const rows = async () => ({
    trade: (await x.database.db.select().from(trades).where(eq(trades.id, id)))[0]!,
    orders: await x.database.db.select().from(orders).where(eq(orders.ftTradeId, id)),
  })
  return { id, rows }
}

describe('live: adjustTradePosition against the simulator', () => {
  test('an addition places an entry order on the trade; amount, open rate and stake follow its fill', async () => {
    const x = await world()
    const { id, rows } = await oneTrade(x)
    expect((await rows()).orders.map((o) => o.status)).toEqual(['closed'])

    x.strategy.next = [50, 'dca']
    x.clock.set(T0 + MINUTE)
    await x.tb.bot.iterate()
    expect(x.strategy.asked[0]).toMatchObject({ tradeId: id, entries: 1 })
    // the trade's filled entry as the strategy reads it: ~100 of stake
    expect(x.strategy.asked[0]!.stakes.length).toBe(1)
    expect(x.strategy.asked[0]!.stakes[0]!).toBeCloseTo(100, 0)
    // the wallet bounds the addition: ~1000 × 0.99 tradable (less the entry's fee), less the ~100 tied up
    expect(x.strategy.asked[0]!.maxStake).toBeGreaterThan(889)
    expect(x.strategy.asked[0]!.maxStake).toBeLessThan(891)
    const { trade, orders: os } = await rows()
    expect(os.map((o) => [o.ftOrderSide, o.status, o.ftOrderTag])).toEqual([
      ['buy', 'closed', 'force_entry'],
      ['buy', 'closed', 'dca'],
    ])
    // the trade is the sum of its fills, at their average price
    const filled = os.reduce((s, o) => s + o.filled!, 0)
    const cost = os.reduce((s, o) => s + o.filled! * o.average!, 0)
    expect(trade.amount).toBeCloseTo(filled, 8)
    expect(trade.openRate).toBeCloseTo(cost / filled, 6)
    expect(trade.maxStakeAmount).toBeCloseTo(cost, 6)
    expect(os[1]!.filled! * os[1]!.average!).toBeCloseTo(50, 0)
    expect(x.tb.trader.open.get(id)!.nrOfSuccessfulEntries).toBe(2)
    expect(x.events.filter((e) => e.type === 'entry_fill').length).toBe(2)

    // a negative stake sells its share of the position: 75 of ~150 staked is half the amount
    const before = trade.amount
    x.strategy.next = -trade.stakeAmount / 2
    x.clock.set(T0 + 2 * MINUTE)
    await x.tb.bot.iterate()
    const after = await rows()
    const sell = after.orders.find((o) => o.ftOrderSide === 'sell')!
    expect(sell.status).toBe('closed')
    // half, cut to the market's amount step (0.00001 BTC)
    expect(sell.filled!).toBeCloseTo(Math.floor((before / 2) * 1e5 + 1e-9) / 1e5, 10)
    expect(after.trade.isOpen).toBe(true)
    expect(after.trade.amount).toBeCloseTo(before - sell.filled!, 8)
    // the sold half realised its profit against the average entry (fees at the market's rate)
    const fee = after.trade.feeClose
    const expected =
      sell.filled! * sell.average! * (1 - fee) - sell.filled! * trade.openRate * (1 + after.trade.feeOpen)
    expect(after.trade.realizedProfit!).toBeCloseTo(expected, 6)
  })

  test('customStoplossAfterFill: the custom stop is asked right after the entry fills and set at once', async () => {
    const x = await world()
    x.strategy.afterFillStop = -0.5
    const { rows } = await oneTrade(x)
    const asked = x.strategy.stopAsked.filter((a) => a.afterFill)
    expect(asked.length).toBe(1)
    const { trade } = await rows()
    // half the rate it was asked at, rounded up to the tick (0.01), where the strategy's own stop is −99 %
    expect(trade.stopLossPct).toBe(-0.5)
    expect(trade.stopLoss).toBeCloseTo(asked[0]!.rate * 0.5, 1)
    expect(trade.stopLoss).toBeGreaterThan(trade.openRate * 0.4)
  })

  test('an addition that never fills is cancelled after unfilledtimeout (entry_cancel); the trade stays as it was', async () => {
    const x = await world({
      order_types: { entry: 'limit', exit: 'market', stoploss: 'market' },
      unfilledtimeout: { entry: 5, exit: 5, unit: 'minutes' },
    })
    const { id, rows } = await oneTrade(x)
    const before = (await rows()).trade
    // a limit addition 2 % under the entry rate rests
    x.strategy.lowEntry = true
    x.strategy.next = 50
    x.clock.set(T0 + MINUTE)
    await x.tb.bot.iterate()
    let os = (await rows()).orders
    expect(os.map((o) => [o.ftOrderSide, o.status])).toEqual([
      ['buy', 'closed'],
      ['buy', 'open'],
    ])
    // while it rests the strategy is not asked again
    const asked = x.strategy.asked.length
    x.clock.set(T0 + 3 * MINUTE)
    await x.tb.bot.iterate()
    expect(x.strategy.asked.length).toBe(asked)
    // past 5 minutes: cancelled, reported, and the trade is the first entry alone
    x.clock.set(T0 + 7 * MINUTE)
    await x.tb.bot.iterate()
    os = (await rows()).orders
    expect(os[1]!.status).toBe('canceled')
    const cancel = x.events.find((e) => e.type === 'entry_cancel') as unknown as Record<string, unknown>
    expect(cancel.trade_id).toBe(id)
    expect(cancel.reason).toBe('cancelled due to timeout')
    const after = (await rows()).trade
    expect(after.isOpen).toBe(true)
    expect([after.amount, after.openRate, after.stakeAmount]).toEqual([
      before.amount,
      before.openRate,
      before.stakeAmount,
    ])
  })

  test('no addition past max_entry_position_adjustment', async () => {
    const x = await world({ max_entry_position_adjustment: 0 })
    // /show_config tells FreqUI what is in force: the strategy's switch, the config's limit
    const shown = configView(configFromObject({}), 'dry_run', 'test', x.tb.bot)
    expect([shown.position_adjustment_enable, shown.max_entry_position_adjustment]).toEqual([true, 0])
    const { rows } = await oneTrade(x)
    x.strategy.next = 50
    x.clock.set(T0 + MINUTE)
    await x.tb.bot.iterate()
    expect(x.strategy.asked.length).toBe(1)
    expect((await rows()).orders.length).toBe(1)
  })

  test('/forceenter on a held pair adds to its trade with position adjustment on, and refuses without', async () => {
    const x = await world()
    const { id, rows } = await oneTrade(x)
    const again = await x.tb.bot.trades!.forceEnter({
      pair: 'BTC/USDT',
      side: 'long',
      ordertype: 'market',
      stakeAmount: 30,
    })
    expect(again).toBe(id)
    const os = (await rows()).orders
    expect(os.map((o) => [o.ftOrderSide, o.status])).toEqual([
      ['buy', 'closed'],
      ['buy', 'closed'],
    ])
    expect(os[1]!.filled! * os[1]!.average!).toBeCloseTo(30, 0)
    await x.cleanup()
    w = undefined

    const y = await world({ position_adjustment_enable: false })
    const second = await oneTrade(y)
    const refused = y.tb.bot.trades!.forceEnter({
      pair: 'BTC/USDT',
      side: 'long',
      ordertype: 'market',
      stakeAmount: 30,
    })
    await expect(refused).rejects.toThrow(EngineRefusal)
    await expect(refused).rejects.toThrow(`position for BTC/USDT already open - id: ${second.id}`)
    // and the strategy is not asked either
    y.clock.set(T0 + MINUTE)
    y.strategy.next = 50
    await y.tb.bot.iterate()
    expect(y.strategy.asked).toEqual([])
  })
})
