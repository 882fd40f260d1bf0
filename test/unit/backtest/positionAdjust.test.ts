import { describe, expect, test } from 'bun:test'
import { tradeRow } from '../../../src/backtest/result.ts'
import { type PairInput, simulate } from '../../../src/backtest/simulate.ts'
import type { AdjustTradePositionContext, PositionAdjustmentReply } from '../../../src/strategy/callbacks.ts'
import { Strategy } from '../../../src/strategy/strategy.ts'
import { rng } from '../../helpers/rng.ts'
import { at, type Bar, flat, options, pairInput, settings } from './scenarios.ts'

/** A strategy whose `adjustTradePosition` answers by a function of the call; every call is recorded. */
class Dca extends Strategy {
  timeframe = '5m'
  stoploss = -0.5
  override positionAdjustmentEnable = true
  readonly asked: { nowMs: number; profit: number; entries: number; rate: number; maxStake: number }[] = []

  constructor(answer: (ctx: AdjustTradePositionContext) => PositionAdjustmentReply, maxEntries = -1) {
    super()
    this.maxEntryPositionAdjustment = maxEntries
    this.adjustTradePosition = (ctx) => {
      this.asked.push({
        nowMs: ctx.nowMs,
        profit: ctx.currentProfit,
        entries: ctx.trade.nrOfSuccessfulEntries,
        rate: ctx.currentRate,
        maxStake: ctx.maxStake,
      })
      return answer(ctx)
    }
  }

  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
}

// tick 0.01, amount step 0.001
const MARKET: PairInput['market'] = { pricePrecision: 0.01, amountPrecision: 0.001, limits: {} }

function run(strategy: Dca, bars: Bar[], market = MARKET, enabled = true, stakeAmount = 100) {
  const pair = pairInput('A/USDT', bars, market)
  return simulate(
    [pair],
    options([pair], {
      strategy,
      settings: settings({ stoploss: -0.5, positionAdjustmentEnable: enabled }),
      fee: 0.001,
      stakeAmount,
    }),
  )
}

describe('position adjustment in a backtest (adjustTradePosition)', () => {
  // entry at 100 (1.000), a fall to 80 adds 80 of stake (1.000 more), 70 would add again but one addition is the
  // limit; exit signal on candle 4, out at candle 5's open 99
  const bars = [flat(100, { enter: 1 }), flat(100), flat(80), flat(70), flat(99, { exit: 1 }), flat(99)]

  test('an addition fills at the open, averages the open rate and counts in the profit', () => {
    const s = new Dca((ctx) => (ctx.currentProfit < -0.15 ? [80, 'dca'] : undefined), 1)
    const r = run(s, bars)
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    // asked on every candle of the open trade up to the exit: 1 (entry candle), 2, 3, 4, 5
    expect(s.asked.map((a) => a.nowMs)).toEqual([at(1), at(2), at(3), at(4), at(5)])
    expect(s.asked.map((a) => a.entries)).toEqual([1, 1, 2, 2, 2])
    // at 80 against 100 with 0.1 % fees: 80 × 0.999 / 100.1 − 1
    expect(s.asked[1].profit).toBeCloseTo((80 * 0.999) / 100.1 - 1, 12)
    // at 70 against the average 90: asked, but the second addition is refused (maxEntryPositionAdjustment 1)
    expect(s.asked[2].profit).toBeCloseTo((70 * 0.999) / (90 * 1.001) - 1, 12)
    expect(t.orders.map((o) => [o.side, o.amount, o.price, o.tag])).toEqual([
      ['buy', 1, 100, undefined],
      ['buy', 1, 80, 'dca'],
      ['sell', 2, 99, 'exit_signal'],
    ])
    expect(t.nrOfSuccessfulEntries).toBe(2)
    expect(t.amount).toBe(2)
    expect(t.openRate).toBe(90)
    expect(t.stakeAmount).toBe(180)
    expect(t.maxStakeAmount).toBe(180)
    // the stop of the first entry (100 × 0.5) stays: a lower average never lowers it
    expect(t.stopLoss).toBe(50)
    // 2 × 99 × 0.999 − 2 × 90 × 1.001 = 197.802 − 180.18
    expect(t.closeProfitAbs).toBe(17.622)
    expect(t.closeProfit).toBeCloseTo(17.622 / 180.18, 15)
    expect(r.finalBalance).toBeCloseTo(1017.622, 9)
    const row = tradeRow(t)
    expect(row.stake_amount).toBe(180)
    expect(row.max_stake_amount).toBe(180)
    expect(row.open_rate).toBe(90)
    expect((row.orders as unknown[]).length).toBe(3)
  })

  test("the callback reads the trade's filled orders (freqtrade's select_filled_orders) to size an addition", () => {
    // as freqtrade's DCA example: add the first entry's stake again, 25 % more per addition made
    const seen: number[][] = []
    const s = new Dca((ctx) => {
      const entries = ctx.trade.filledOrders('buy')
      seen.push(entries.map((o) => o.filled * (o.average as number)))
      if (ctx.currentProfit > -0.15) return undefined
      return entries[0].filled * (entries[0].average as number) * (1 + 0.25 * (entries.length - 1))
    }, 1)
    const t = run(s, bars).trades[0]
    // asked at 100 (one entry of 100), at 80 (adds 100: 1.25), then with both entries
    expect(seen.slice(0, 3)).toEqual([[100], [100], [100, 100]])
    expect(t.filledOrders('sell').map((o) => [o.filled, o.average])).toEqual([[2.25, 99]])
    expect(t.amount).toBe(2.25)
  })

  test('the wallet bounds an addition: maxStake is what is left to stake', () => {
    const s = new Dca(() => undefined)
    run(s, bars)
    // 1000 × 0.99 tradable, 100 tied up in the trade
    expect(s.asked[0].maxStake).toBeCloseTo(890, 9)
  })

  test('without maxEntryPositionAdjustment every asked addition is made', () => {
    const s = new Dca((ctx) => (ctx.currentProfit < -0.15 ? 90 : undefined))
    const t = run(s, bars).trades[0]
    // 1 at 100, 90 / 80 = 1.125 at 80, then at 70 (−22 % against 190 / 2.125 = 89.41): 90 / 70 = 1.2857 → 1.285
    expect(t.orders.filter((o) => o.side === 'buy').map((o) => [o.amount, o.price])).toEqual([
      [1, 100],
      [1.125, 80],
      [1.285, 70],
    ])
    expect(t.amount).toBe(3.41)
    expect(t.openRate).toBeCloseTo((100 + 90 + 1.285 * 70) / 3.41, 12)
  })

  test('a negative stake sells part of the position and realises its profit', () => {
    // 200 staked at 100 (2.000); at 120, −100 of stake sells 100 × 2 / 200 = 1.000; exit signal, out at 110
    const s = new Dca((ctx) => (ctx.currentRate === 120 && ctx.trade.nrOfSuccessfulExits === 0 ? -100 : undefined))
    const r = run(
      s,
      [flat(100, { enter: 1 }), flat(100), flat(120), flat(110, { exit: 1 }), flat(110)],
      MARKET,
      true,
      200,
    )
    const t = r.trades[0]
    expect(t.orders.map((o) => [o.side, o.amount, o.price, o.tag])).toEqual([
      ['buy', 2, 100, undefined],
      ['sell', 1, 120, 'partial_exit'],
      ['sell', 1, 110, 'exit_signal'],
    ])
    // 1 × 120 × 0.999 − 1 × 100 × 1.001 = 19.78, then 1 × 110 × 0.999 − 100.1 = 9.79; over 2 × 100 × 1.001
    expect(t.closeProfitAbs).toBe(29.57)
    expect(t.closeProfit).toBeCloseTo(29.57 / 200.2, 15)
    expect(t.exitReason).toBe('exit_signal')
    expect(t.amount).toBe(1)
    expect(t.maxStakeAmount).toBe(200)
    // the partial exit's profit is in the wallet once, not again at the close
    expect(r.finalBalance).toBeCloseTo(1029.57, 9)
  })

  test('selling it all closes the trade with reason partial_exit', () => {
    const s = new Dca((ctx) => (ctx.currentRate === 120 ? -1000 : undefined))
    const r = run(s, [flat(100, { enter: 1 }), flat(100), flat(120), flat(110)])
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.exitReason).toBe('partial_exit')
    expect(t.closeDateMs).toBe(at(2))
    expect(t.closeRate).toBe(120)
    // 119.88 − 100.1
    expect(t.closeProfitAbs).toBe(19.78)
    expect(r.finalBalance).toBeCloseTo(1019.78, 9)
  })

  test('a partial exit that would leave less than the minimum stake is not made', () => {
    // a minimum order of 150: 225 for the entry with the −50 % stop's reserve (stake raised to 225, 2.250), and
    // 150 × 1.05 / 0.9 = 175 for what a partial exit leaves (freqtrade's backtest reserves for a 10 % stop): the
    // 1.250 that selling 100 at 120 would leave (150) is too little
    const market = { ...MARKET, limits: { minCost: 150 } }
    const s = new Dca((ctx) => (ctx.currentRate === 120 ? -100 : undefined))
    const t = run(s, [flat(100, { enter: 1 }), flat(100), flat(120), flat(110)], market, true, 200).trades[0]
    expect(t.orders.map((o) => o.side)).toEqual(['buy', 'sell'])
    expect(t.exitReason).toBe('force_exit')
  })

  test('… and one that leaves more than that minimum is made', () => {
    // selling 58.3 of the 225 staked is 0.583, leaving 1.667 × 120 = 200.04: above 175 (a 10 % stop's reserve),
    // though below the 225 the strategy's −50 % stop would reserve
    const market = { ...MARKET, limits: { minCost: 150 } }
    const s = new Dca((ctx) => (ctx.currentRate === 120 && ctx.trade.nrOfSuccessfulExits === 0 ? -58.3 : undefined))
    const t = run(s, [flat(100, { enter: 1 }), flat(100), flat(120), flat(110)], market, true, 200).trades[0]
    expect(t.orders.map((o) => [o.side, o.amount])).toEqual([
      ['buy', 2.25],
      ['sell', 0.583],
      ['sell', 1.667],
    ])
  })

  test('a limit partial exit is priced by customExitPrice; above the candle it rests and fills later, still partial', () => {
    // 200 at 100 (2.000); at 120, −100 sells 1.000: inside the candle at the asked 123, or resting at 130 above its
    // high 125 until the next candle (high 131) fills it; the exit signal of that candle takes the rest at 110
    const partial = (ctx: AdjustTradePositionContext) =>
      ctx.currentRate === 120 && ctx.trade.nrOfSuccessfulExits === 0 ? -100 : undefined
    const bars: Bar[] = [
      flat(100, { enter: 1 }),
      flat(100),
      { o: 120, h: 125, l: 118, c: 120 },
      { o: 126, h: 131, l: 125, c: 126, exit: 1 },
      flat(110),
    ]
    for (const [asked, filledAt, realized] of [
      [123, at(2), 22.777],
      [130, at(3), 29.77],
    ] as const) {
      const s = new Dca(partial)
      const seen: string[] = []
      s.customExitPrice = (ctx) => {
        seen.push(ctx.exitTag ?? '')
        return ctx.exitTag === 'partial_exit' ? asked : undefined
      }
      const r = run(s, bars, MARKET, true, 200)
      const t = r.trades[0]
      expect(t.orders.map((o) => [o.side, o.amount, o.price, o.tag, o.filledMs])).toEqual([
        ['buy', 2, 100, undefined, at(1)],
        ['sell', 1, asked, 'partial_exit', filledAt],
        ['sell', 1, 110, 'exit_signal', at(4)],
      ])
      expect(seen[0]).toBe('partial_exit')
      // 1 × asked × 0.999 − 100.1, then 1 × 110 × 0.999 − 100.1 = 9.79
      expect(t.closeProfitAbs).toBeCloseTo(realized + 9.79, 8)
      expect(r.finalBalance).toBeCloseTo(1000 + realized + 9.79, 8)
    }
  })

  test('while a partial exit rests no other exit is placed (as with any resting exit order)', () => {
    // candle 1's exit signal would close the trade at candle 2's open 120, but the partial exit asked there rests at
    // 130; it fills on candle 3 and the rest is force-exited at the end
    const s = new Dca((ctx) => (ctx.currentRate === 120 && ctx.trade.nrOfSuccessfulExits === 0 ? -100 : undefined))
    s.customExitPrice = (ctx) => (ctx.exitTag === 'partial_exit' ? 130 : undefined)
    const bars: Bar[] = [
      flat(100, { enter: 1 }),
      flat(100, { exit: 1 }),
      { o: 120, h: 125, l: 118, c: 120 },
      { o: 126, h: 131, l: 125, c: 126 },
      flat(110),
    ]
    const t = run(s, bars, MARKET, true, 200).trades[0]
    expect(t.orders.map((o) => [o.price, o.tag, o.filledMs])).toEqual([
      [100, undefined, at(1)],
      [130, 'partial_exit', at(3)],
      [110, 'force_exit', at(4)],
    ])
  })

  test('a limit addition is priced by customEntryPrice: below the candle it rests, then fills when reached', () => {
    // 1 at 100; at 80 the strategy adds 80 of stake at its price 75, under the candle's low 80: it rests; candle 3
    // (low 74) fills it: 80 / 75 = 1.0667 → 1.066, average (100 + 1.066 × 75) / 2.066
    const s = new Dca((ctx) => (ctx.currentProfit < -0.15 && ctx.trade.nrOfSuccessfulEntries === 1 ? 80 : undefined))
    const seen: (number | undefined)[] = []
    s.customEntryPrice = (ctx) => {
      seen.push(ctx.trade?.id)
      return ctx.trade ? 75 : undefined
    }
    const bars: Bar[] = [
      flat(100, { enter: 1 }),
      flat(100),
      flat(80),
      { o: 78, h: 79, l: 74, c: 76 },
      flat(90, { exit: 1 }),
      flat(90),
    ]
    const r = run(s, bars)
    const t = r.trades[0]
    // asked for the new trade (no trade yet) and for the addition (with it)
    expect(seen).toEqual([undefined, t.id])
    expect(t.orders.map((o) => [o.side, o.amount, o.price, o.createdMs, o.filledMs])).toEqual([
      ['buy', 1, 100, at(1), at(1)],
      ['buy', 1.066, 75, at(2), at(3)],
      ['sell', 2.066, 90, at(5), at(5)],
    ])
    expect(t.openRate).toBeCloseTo((100 + 1.066 * 75) / 2.066, 12)
    expect(r.orderCounters.timedoutEntryOrders).toBe(0)
  })

  test('a resting addition that times out is dropped; the trade goes on as it was', () => {
    const s = new Dca((ctx) => (ctx.currentProfit < -0.15 && ctx.trade.nrOfSuccessfulEntries === 1 ? 80 : undefined))
    s.customEntryPrice = (ctx) => (ctx.trade ? 50 : undefined)
    const pair = pairInput(
      'A/USDT',
      [flat(100, { enter: 1 }), flat(100), flat(80), flat(82), flat(84), flat(90)],
      MARKET,
    )
    const r = simulate(
      [pair],
      options([pair], {
        strategy: s,
        settings: settings({ stoploss: -0.5, positionAdjustmentEnable: true }),
        fee: 0.001,
        unfilledTimeout: { entry: 10, exit: 10, unit: 'minutes' },
      }),
    )
    const t = r.trades[0]
    // placed at candle 2, cancelled on candle 5 (placed more than 10 minutes before), where 90 is no longer 15 % down;
    // never filled, so not among the trade's fills
    expect(t.filledOrders('buy').map((o) => [o.amount, o.price])).toEqual([[1, 100]])
    expect(t.orders.map((o) => [o.side, o.price, o.createdMs, o.status])).toEqual([
      ['buy', 100, at(1), 'closed'],
      ['buy', 50, at(2), 'canceled'],
      ['sell', 90, at(5), 'closed'],
    ])
    expect(r.orderCounters.timedoutEntryOrders).toBe(1)
    expect(r.orderCounters.canceledTradeEntries).toBe(0)
    expect([t.amount, t.openRate, t.exitReason]).toEqual([1, 100, 'force_exit'])
  })

  test('an addition still resting at the end gives way to the force exit of the position held', () => {
    const s = new Dca((ctx) => (ctx.currentProfit < -0.15 && ctx.trade.nrOfSuccessfulEntries === 1 ? 80 : undefined))
    s.customEntryPrice = (ctx) => (ctx.trade ? 50 : undefined)
    const r = run(s, [flat(100, { enter: 1 }), flat(100), flat(80), flat(82), flat(84)])
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.exitReason).toBe('force_exit')
    expect(t.orders.map((o) => [o.side, o.price, o.status])).toEqual([
      ['buy', 100, 'closed'],
      ['sell', 84, 'closed'],
    ])
    // 84 × 0.999 − 100.1
    expect(t.closeProfitAbs).toBeCloseTo(84 * 0.999 - 100.1, 8)
  })

  test('with positionAdjustmentEnable off the callback is never asked', () => {
    const s = new Dca(() => 80)
    const t = run(s, bars, MARKET, false).trades[0]
    expect(s.asked).toHaveLength(0)
    expect(t.nrOfSuccessfulEntries).toBe(1)
  })

  test('a callback that throws changes nothing', () => {
    const s = new Dca(() => {
      throw new Error('boom')
    })
    const t = run(s, bars).trades[0]
    expect(s.asked.length).toBeGreaterThan(0)
    expect(t.orders).toHaveLength(2)
    expect(t.closeProfitAbs).toBe(round8(99 * 0.999 - 100.1))
  })
})

const round8 = (x: number) => Math.round(x * 1e8) / 1e8

/** A custom stop that answers only right after fills (`afterFill`), with `ratio`; every call is recorded. */
class StopAfterFill extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  override useCustomStoploss = true
  readonly calls: { afterFill: boolean; rate: number }[] = []

  constructor(
    private readonly ratio: number,
    afterFill: boolean,
  ) {
    super()
    this.customStoplossAfterFill = afterFill
  }

  override customStoploss(ctx: { afterFill: boolean; currentRate: number }): number | undefined {
    this.calls.push({ afterFill: ctx.afterFill, rate: ctx.currentRate })
    return ctx.afterFill ? this.ratio : undefined
  }

  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
}

describe('customStoploss after a fill (customStoplossAfterFill)', () => {
  // entry at 100: the stop of −10 % is 90; candle 2 dips to 97.5, candle 3 to 85
  const bars: Bar[] = [
    flat(100, { enter: 1 }),
    flat(100),
    { o: 100, h: 100, l: 97.5, c: 99 },
    { o: 99, h: 99, l: 85, c: 86 },
    flat(86),
  ]
  const runStop = (s: StopAfterFill) => {
    const pair = pairInput('A/USDT', bars, MARKET)
    return simulate(
      [pair],
      options([pair], { strategy: s, settings: settings({ stoploss: -0.1, useCustomStoploss: true }) }),
    )
  }

  test('asked at the fill price right after the entry; a tighter stop takes effect at once', () => {
    const s = new StopAfterFill(-0.02, true)
    const t = runStop(s).trades[0]
    expect(s.calls[0]).toEqual({ afterFill: true, rate: 100 })
    // 100 × 0.98 = 98, reached by candle 2's low 97.5: out at the stop, not as a trailing stop
    expect(t.exitReason).toBe('stop_loss')
    expect(t.closeRate).toBe(98)
    expect(t.closeDateMs).toBe(at(2))
  })

  test('after a fill the stop may also move down', () => {
    const s = new StopAfterFill(-0.3, true)
    const t = runStop(s).trades[0]
    // 100 × 0.7 = 70: neither dip reaches it, where the stop of −10 % (90) would have been hit on candle 3
    expect(t.stopLoss).toBe(70)
    expect(t.exitReason).toBe('force_exit')
  })

  test('not asked after fills without customStoplossAfterFill (freqtrade: no after_fill parameter)', () => {
    const s = new StopAfterFill(-0.02, false)
    const t = runStop(s).trades[0]
    expect(s.calls.every((c) => !c.afterFill)).toBe(true)
    expect(t.exitReason).toBe('stop_loss')
    expect(t.closeRate).toBe(90)
    expect(t.closeDateMs).toBe(at(3))
  })
})

describe('position adjustment on random walks: the books balance', () => {
  const round8 = (x: number) => Math.round(x * 1e8) / 1e8

  test('every trade replays from its orders, and the wallet ends at the start plus every profit', () => {
    let additions = 0
    let partials = 0
    for (let seed = 1; seed <= 25; seed++) {
      const rand = rng(seed)
      // 3 pairs × 300 candles of a random walk on the tick, entries on ~5 % of candles, exits on ~3 %
      const pairs = ['A/USDT', 'B/USDT', 'C/USDT'].map((name) => {
        let p = 100
        const bars: Bar[] = []
        for (let i = 0; i < 300; i++) {
          const o = p
          p = Math.max(1, Math.round(p * (1 + (rand() - 0.5) * 0.04) * 100) / 100)
          const h = Math.round(Math.max(o, p) * (1 + rand() * 0.01) * 100) / 100
          const l = Math.round(Math.min(o, p) * (1 - rand() * 0.01) * 100) / 100
          bars.push({ o, h, l, c: p, ...(rand() < 0.05 ? { enter: 1 } : {}), ...(rand() < 0.03 ? { exit: 1 } : {}) })
        }
        return pairInput(name, bars, MARKET)
      })
      // adds or sells at random, sometimes more than the trade holds
      const s = new Dca(() => {
        const x = rand()
        if (x < 0.04) return 20 + rand() * 80
        if (x < 0.07) return -(10 + rand() * 150)
        return undefined
      }, 3)
      const r = simulate(
        pairs,
        options(pairs, {
          strategy: s,
          settings: settings({ stoploss: -0.3, minimalRoi: { 0: 0.08 }, positionAdjustmentEnable: true }),
          fee: 0.001,
        }),
      )
      let total = 0
      for (const t of r.trades) {
        let held = 0
        let avg = 0
        let profit = 0
        let stake = 0
        const sells = t.orders.filter((o) => o.side === 'sell' && o.filled > 0).length
        additions += t.orders.filter((o) => o.side === 'buy' && o.filled > 0).length - 1
        partials += sells - 1
        for (const o of t.orders) {
          if (!(o.filled > 0)) continue
          if (o.side === 'buy') {
            avg = held > 0 ? (held * avg + o.filled * o.price) / (held + o.filled) : o.price
            held = round8(held + o.filled)
            stake += o.filled * o.price
          } else {
            profit += round8(o.filled * o.price * 0.999 - o.filled * avg * 1.001)
            held = round8(held - o.filled)
          }
        }
        expect(held).toBe(0)
        expect(t.closeProfitAbs as number).toBeCloseTo(profit, 8)
        expect(t.maxStakeAmount).toBeCloseTo(stake, 8)
        total += t.closeProfitAbs as number
      }
      expect(r.finalBalance).toBeCloseTo(1000 + total, 7)
    }
    // the worlds do exercise both
    expect(additions).toBeGreaterThan(50)
    expect(partials).toBeGreaterThan(20)
  })
})
