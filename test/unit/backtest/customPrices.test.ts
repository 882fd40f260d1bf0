import { describe, expect, test } from 'bun:test'
import { buildStrategyResult } from '../../../src/backtest/result.ts'
import { type PairInput, simulate } from '../../../src/backtest/simulate.ts'
import { CUSTOM_PRICE_MAX_DISTANCE_RATIO, customPriceWithin } from '../../../src/engine/rules/index.ts'
import type { CustomEntryPriceContext, CustomExitPriceContext } from '../../../src/strategy/callbacks.ts'
import { Strategy } from '../../../src/strategy/strategy.ts'
import { at, flat, options, pairInput, settings } from './scenarios.ts'

/** A strategy with only the price callbacks under test (signals come from the candles). */
class Priced extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  readonly entryCalls: CustomEntryPriceContext[] = []
  readonly exitCalls: CustomExitPriceContext[] = []

  constructor(
    private readonly entryPrice?: (ctx: CustomEntryPriceContext) => number | undefined,
    private readonly exitPrice?: (ctx: CustomExitPriceContext) => number | undefined,
  ) {
    super()
    if (entryPrice) {
      this.customEntryPrice = (ctx) => {
        this.entryCalls.push(ctx)
        return this.entryPrice?.(ctx)
      }
    }
    if (exitPrice) {
      this.customExitPrice = (ctx) => {
        this.exitCalls.push(ctx)
        return this.exitPrice?.(ctx)
      }
    }
  }

  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
}

// tick 0.01, amount step 0.001: amounts are cut down to the step, as an exchange would
const MARKET: PairInput['market'] = { pricePrecision: 0.01, amountPrecision: 0.001, limits: {} }

// Candle t's entry signal places the order at candle t+1; stake 100, no fee.
describe('backtest: custom entry price (limit entry orders)', () => {
  test('a custom price inside the candle fills there, rounded to the tick', () => {
    // asked 97.996 → 98.00 on the 0.01 tick; candle 1 trades 97..101, so the order fills at 98 on candle 1
    // amount 100 / 98 = 1.0204 → 1.020, stake 1.02 × 98 = 99.96; exit signal on 2 → exit at candle 3's open 99
    // profit 1.02 × 99 − 99.96 = 1.02
    const p = pairInput(
      'A/USDT',
      [
        flat(100, { enter: 1 }),
        { o: 100, h: 101, l: 97, c: 99 },
        { o: 99, h: 99.5, l: 98.5, c: 99, exit: 1 },
        flat(99),
        flat(99),
      ],
      MARKET,
    )
    const st = new Priced(() => 97.996)
    const r = simulate([p], options([p], { strategy: st }))
    expect(st.entryCalls).toHaveLength(1)
    expect(st.entryCalls[0]).toMatchObject({ pair: 'A/USDT', nowMs: at(1), proposedRate: 100, side: 'long' })
    expect(st.entryCalls[0].trade).toBeUndefined()
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.openRate).toBe(98)
    expect(t.openDateMs).toBe(at(1))
    expect(t.orders[0].filledMs).toBe(at(1))
    expect(t.amount).toBe(1.02)
    expect(t.stakeAmount).toBe(99.96)
    expect(t.initialStopLoss).toBe(88.2)
    expect(t.closeRate).toBe(99)
    expect(t.closeDateMs).toBe(at(3))
    expect(t.exitReason).toBe('exit_signal')
    expect(t.closeProfitAbs).toBe(1.02)
    expect(t.closeProfit).toBe(1.02 / 99.96)
    expect(r.finalBalance).toBe(1001.02)
  })

  test('a price below the candle rests and fills on the later candle that reaches it', () => {
    // 96 is under candle 1's low (97) and candle 2's (96.5); candle 3's low 95.5 reaches it. Placed 00:05, timeout
    // 10 min: at 00:15 the order is 10 min old, not past the timeout, so it fills there.
    // amount 100 / 96 = 1.0416 → 1.041, stake 99.936; exit at candle 4's open 98: profit 1.041 × 2 = 2.082
    const p = pairInput(
      'A/USDT',
      [
        flat(100, { enter: 1 }),
        { o: 100, h: 101, l: 97, c: 98 },
        { o: 98, h: 99, l: 96.5, c: 97 },
        { o: 97, h: 97.5, l: 95.5, c: 96.5, exit: 1 },
        flat(98),
        flat(98),
      ],
      MARKET,
    )
    const st = new Priced(() => 96)
    const r = simulate([p], options([p], { strategy: st, unfilledTimeout: { entry: 10 } }))
    // asked once, when the order was placed; a resting order is not re-priced
    expect(st.entryCalls).toHaveLength(1)
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.openRate).toBe(96)
    expect(t.openDateMs).toBe(at(1))
    expect(t.orders[0].createdMs).toBe(at(1))
    expect(t.orders[0].filledMs).toBe(at(3))
    expect(t.amount).toBe(1.041)
    expect(t.stakeAmount).toBe(99.936)
    expect(t.closeRate).toBe(98)
    expect(t.closeDateMs).toBe(at(4))
    expect(t.closeProfitAbs).toBe(2.082)
    expect(r.orderCounters.timedoutEntryOrders).toBe(0)
  })

  test('a price no candle reaches is cancelled after unfilledtimeout.entry; it held its slot until then', () => {
    // A's order at 90 is placed at 00:05 and never reached (lows 99, 100). Timeout 10 min: at 00:20 it was placed
    // before 00:20 − 10 min and is cancelled, leaving no trade. With max_open_trades 1, B's signal acting at 00:10
    // is rejected (A's order holds the slot); B's signal acting at 00:20 gets the freed slot, enters at 50 and is
    // force-exited at the last open (50): one trade, B's, with id 2 (A's order used id 1).
    const a = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      { o: 100, h: 101, l: 99, c: 100 },
      flat(100),
      flat(100),
      flat(100),
      flat(100),
      flat(100),
    ])
    const b = pairInput('B/USDT', [
      flat(50),
      flat(50, { enter: 1 }),
      flat(50),
      flat(50, { enter: 1 }),
      flat(50),
      flat(50),
      flat(50),
    ])
    const st = new Priced((ctx) => (ctx.pair === 'A/USDT' ? 90 : undefined))
    const r = simulate([a, b], options([a, b], { strategy: st, maxOpenTrades: 1, unfilledTimeout: { entry: 10 } }))
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.pair).toBe('B/USDT')
    expect(t.id).toBe(2)
    expect(t.openDateMs).toBe(at(4))
    expect(t.openRate).toBe(50)
    expect(t.exitReason).toBe('force_exit')
    expect(t.closeDateMs).toBe(at(6))
    expect(r.rejectedSignals).toBe(1)
    expect(r.orderCounters).toEqual({
      timedoutEntryOrders: 1,
      timedoutExitOrders: 0,
      canceledTradeEntries: 0,
      canceledEntryOrders: 0,
      replacedEntryOrders: 0,
    })
    expect(r.finalBalance).toBe(1000)
  })

  test('a resting entry order holds its stake in the wallet', () => {
    // stake 600 of 1000 (tradable ratio 1): while A's order rests, B's first signal finds only 1000 − 600 = 400
    // available and is skipped (no trade, not a rejected slot); once A's order is cancelled B enters with 600 at 50
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100), flat(100), flat(100), flat(100)])
    const b = pairInput('B/USDT', [
      flat(50),
      flat(50, { enter: 1 }),
      flat(50),
      flat(50, { enter: 1 }),
      flat(50),
      flat(50),
    ])
    const st = new Priced((ctx) => (ctx.pair === 'A/USDT' ? 90 : undefined))
    const r = simulate(
      [a, b],
      options([a, b], { strategy: st, stakeAmount: 600, tradableBalanceRatio: 1, unfilledTimeout: { entry: 10 } }),
    )
    expect(r.rejectedSignals).toBe(0)
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0].pair).toBe('B/USDT')
    expect(r.trades[0].openDateMs).toBe(at(4))
    expect(r.trades[0].amount).toBe(12)
    expect(r.trades[0].stakeAmount).toBe(600)
  })

  test('without unfilledtimeout.entry the order waits to the end and leaves no trade', () => {
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100), flat(100)])
    const r = simulate([a], options([a], { strategy: new Priced(() => 90) }))
    expect(r.trades).toHaveLength(0)
    expect(r.orderCounters.timedoutEntryOrders).toBe(0)
    expect(r.finalBalance).toBe(1000)
  })

  test('seconds as the unit: 600 s is 10 minutes', () => {
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), ...Array.from({ length: 6 }, () => flat(100))])
    const r = simulate(
      [a],
      options([a], { strategy: new Priced(() => 90), unfilledTimeout: { entry: 600, unit: 'seconds' } }),
    )
    expect(r.orderCounters.timedoutEntryOrders).toBe(1)
  })

  test('a custom price above the candle is capped at its high', () => {
    // asked 105 on a candle trading 99..102 → 102 (freqtrade places no entry above the high)
    // amount 100 / 102 = 0.9803 → 0.980, stake 99.96; force exit at candle 2's open 101: 0.98 × 101 − 99.96 = −0.98
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), { o: 100, h: 102, l: 99, c: 101 }, flat(101)], MARKET)
    const r = simulate([p], options([p], { strategy: new Priced(() => 105) }))
    const t = r.trades[0]
    expect(t.openRate).toBe(102)
    expect(t.orders[0].filledMs).toBe(at(1))
    expect(t.amount).toBe(0.98)
    expect(t.stakeAmount).toBe(99.96)
    expect(t.exitReason).toBe('force_exit')
    expect(t.closeProfitAbs).toBe(-0.98)
  })

  test('market entry orders ignore the custom price (freqtrade: limit orders only)', () => {
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), { o: 100, h: 101, l: 97, c: 99 }, flat(99)])
    const st = new Priced(() => 98)
    const s = settings()
    const r = simulate(
      [p],
      options([p], { strategy: st, settings: { ...s, orderTypes: { ...s.orderTypes, entry: 'market' } } }),
    )
    expect(st.entryCalls).toHaveLength(0)
    expect(r.trades[0].openRate).toBe(100)
  })
})

describe('backtest: custom exit price (exit signals and custom exits)', () => {
  // entry at candle 1's open 100, amount 1; the exit signal of candle 2 acts at candle 3 (open 101, range 100.5..103)
  const base = [flat(100, { enter: 1 }), flat(100), flat(100, { exit: 1 })]

  test('an exit signal exits at the custom price inside the candle', () => {
    // asked 102.5 → fills on candle 3: profit 2.5, ratio 0.025
    const p = pairInput('A/USDT', [...base, { o: 101, h: 103, l: 100.5, c: 102 }, flat(102)])
    const st = new Priced(undefined, () => 102.5)
    const r = simulate([p], options([p], { strategy: st }))
    expect(st.exitCalls).toHaveLength(1)
    expect(st.exitCalls[0]).toMatchObject({ pair: 'A/USDT', nowMs: at(3), proposedRate: 101, exitTag: 'exit_signal' })
    // profit at the proposed 101: 101 / 100 − 1
    expect(st.exitCalls[0].currentProfit).toBeCloseTo(0.01, 12)
    const t = r.trades[0]
    expect(t.closeRate).toBe(102.5)
    expect(t.closeDateMs).toBe(at(3))
    expect(t.exitReason).toBe('exit_signal')
    expect(t.closeProfitAbs).toBe(2.5)
    expect(t.closeProfit).toBe(0.025)
  })

  test('a custom exit is priced too, with its reason as the exit tag', () => {
    // the custom exit says 'take' on candle 2 (open 101): asked 102 inside 100.5..103 → closes at 102, profit 2
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), { o: 101, h: 103, l: 100.5, c: 102 }, flat(102)])
    const st = new Priced(undefined, () => 102)
    st.customExit = (ctx) => (ctx.nowMs === at(2) ? 'take' : undefined)
    const t = simulate([p], options([p], { strategy: st })).trades[0]
    expect(st.exitCalls.map((c) => [c.nowMs, c.proposedRate, c.exitTag])).toEqual([[at(2), 101, 'take']])
    expect(t.exitReason).toBe('take')
    expect(t.closeRate).toBe(102)
    expect(t.closeDateMs).toBe(at(2))
    expect(t.closeProfitAbs).toBe(2)
  })

  test('a custom exit price below the candle is raised to its low', () => {
    const p = pairInput('A/USDT', [...base, { o: 101, h: 103, l: 100.5, c: 102 }, flat(102)])
    const t = simulate([p], options([p], { strategy: new Priced(undefined, () => 99) })).trades[0]
    expect(t.closeRate).toBe(100.5)
    expect(t.closeProfitAbs).toBe(0.5)
  })

  test('a custom exit price above the candle rests and fills on a later candle', () => {
    // 104 is above candle 3's high 103; candle 4 trades up to 104.5 → closes at 104 on candle 4: profit 4
    const p = pairInput('A/USDT', [
      ...base,
      { o: 101, h: 103, l: 100.5, c: 102 },
      { o: 103, h: 104.5, l: 102.5, c: 104 },
      flat(104),
    ])
    const st = new Priced(undefined, () => 104)
    const r = simulate([p], options([p], { strategy: st }))
    expect(st.exitCalls).toHaveLength(1)
    const t = r.trades[0]
    expect(t.closeRate).toBe(104)
    expect(t.closeDateMs).toBe(at(4))
    expect(t.orders.map((o) => [o.side, o.createdMs, o.filledMs])).toEqual([
      ['buy', at(1), at(1)],
      ['sell', at(3), at(4)],
    ])
    expect(t.closeProfitAbs).toBe(4)
  })

  test('an exit order past unfilledtimeout.exit is cancelled; the trade exits on the next signal', () => {
    // 110 on candle 3 (00:15) is never reached; exit timeout 5 min: at 00:25 it is past the timeout and dropped, then
    // the exit signal of candle 4 is asked again (no custom price this time) and exits at candle 5's open 102.5
    const p = pairInput('A/USDT', [
      ...base,
      { o: 101, h: 103, l: 100.5, c: 102, exit: 1 },
      { o: 102, h: 103, l: 101, c: 102, exit: 1 },
      { o: 102.5, h: 103, l: 102, c: 102.5 },
      flat(102.5),
    ])
    const st = new Priced(undefined, (ctx) => (ctx.nowMs === at(3) ? 110 : undefined))
    const r = simulate([p], options([p], { strategy: st, unfilledTimeout: { entry: 10, exit: 5 } }))
    expect(st.exitCalls.map((c) => c.nowMs)).toEqual([at(3), at(5)])
    const t = r.trades[0]
    expect(t.closeRate).toBe(102.5)
    expect(t.closeDateMs).toBe(at(5))
    expect(t.closeProfitAbs).toBe(2.5)
    // the cancelled order is gone from the trade's orders
    expect(t.orders).toHaveLength(2)
    expect(r.orderCounters.timedoutExitOrders).toBe(1)
  })

  test('ROI exits keep their own price and do not ask for one', () => {
    // ROI 2 % from minute 0, no fee: rate 102, inside candle 2 (100..103)
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), { o: 100, h: 103, l: 100, c: 102 }, flat(102)])
    const st = new Priced(undefined, () => 110)
    const r = simulate([p], options([p], { strategy: st, settings: settings({ minimalRoi: { 0: 0.02 } }) }))
    expect(st.exitCalls).toHaveLength(0)
    expect(r.trades[0].exitReason).toBe('roi')
    expect(r.trades[0].closeRate).toBe(102)
  })

  test('the order counters reach the result file', () => {
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), ...Array.from({ length: 5 }, () => flat(100))])
    const r = simulate([a], options([a], { strategy: new Priced(() => 90), unfilledTimeout: { entry: 5 } }))
    const res = buildStrategyResult({
      strategyName: 'Priced',
      trades: r.trades,
      pairlist: ['A/USDT'],
      settings: settings(),
      startMs: at(0),
      endMs: at(5),
      runStartS: 0,
      runEndS: 0,
      startingBalance: 1000,
      finalBalance: r.finalBalance,
      rejectedSignals: r.rejectedSignals,
      marketChange: 0,
      stakeAmount: 100,
      stakeCurrency: 'USDT',
      maxOpenTrades: 3,
      enableProtections: false,
      exitProfitOffset: 0,
      tradingMode: 'spot',
      marginMode: '',
      orderCounters: r.orderCounters,
    })
    expect(res.total_trades).toBe(0)
    expect(res.timedout_entry_orders).toBe(1)
    expect(res.timedout_exit_orders).toBe(0)
    expect(res.canceled_trade_entries).toBe(0)
  })
})

describe('custom_price_max_distance_ratio (live pricing rule)', () => {
  test('keeps a custom price within 2 % of the proposed one by default', () => {
    expect(CUSTOM_PRICE_MAX_DISTANCE_RATIO).toBe(0.02)
    // freqtrade's example: proposed 100, custom 97 → 98
    expect(customPriceWithin(97, 100)).toBe(98)
    expect(customPriceWithin(103, 100)).toBe(102)
    expect(customPriceWithin(99.5, 100)).toBe(99.5)
    // no usable price: the proposed one
    expect(customPriceWithin(undefined, 100)).toBe(100)
    expect(customPriceWithin(Number.NaN, 100)).toBe(100)
    expect(customPriceWithin(0, 100)).toBe(100)
    // a wider ratio from the config: 100 × (1 − 0.05) = 95
    expect(customPriceWithin(90, 100, 0.05)).toBe(95)
  })

  test('the backtest does not apply it (freqtrade bounds backtest prices by the candle instead)', () => {
    // 90 is 10 % under the open 100 and fills as asked on a candle reaching 89
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), { o: 100, h: 100, l: 89, c: 95 }, flat(95)])
    const t = simulate([p], options([p], { strategy: new Priced(() => 90) })).trades[0]
    expect(t.openRate).toBe(90)
  })
})
