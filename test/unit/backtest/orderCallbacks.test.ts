import { describe, expect, test } from 'bun:test'
import { buildStrategyResult } from '../../../src/backtest/result.ts'
import { type PairInput, type SimulationResult, simulate } from '../../../src/backtest/simulate.ts'
import { isOrderTimedOut } from '../../../src/engine/rules/index.ts'
import type {
  AdjustEntryPriceContext,
  OrderFilledContext,
  OrderTimeoutContext,
  OrderView,
  TradeView,
} from '../../../src/strategy/callbacks.ts'
import { Strategy } from '../../../src/strategy/strategy.ts'
import { logRing } from '../../../src/util/logger.ts'
import { at, flat, options, pairInput, settings } from './scenarios.ts'

/** What a timeout callback saw, copied when asked (the trade and order live on). */
interface Asked {
  pair: string
  nowMs: number
  tradeId: number
  order: OrderView
}

/** Prices and timeout answers given per test; every timeout call is recorded. */
class Timed extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  readonly entryAsked: Asked[] = []
  readonly exitAsked: Asked[] = []

  constructor(o: {
    entryPrice?: (nowMs: number) => number | undefined
    exitPrice?: (nowMs: number) => number | undefined
    entryTimeout?: (call: number) => boolean
    exitTimeout?: (call: number) => boolean
  }) {
    super()
    const { entryPrice, exitPrice, entryTimeout, exitTimeout } = o
    if (entryPrice) this.customEntryPrice = (ctx) => entryPrice(ctx.nowMs)
    if (exitPrice) this.customExitPrice = (ctx) => exitPrice(ctx.nowMs)
    if (entryTimeout) this.checkEntryTimeout = (ctx) => entryTimeout(this.entryAsked.push(copy(ctx)))
    if (exitTimeout) this.checkExitTimeout = (ctx) => exitTimeout(this.exitAsked.push(copy(ctx)))
  }

  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
}

function copy(ctx: OrderTimeoutContext): Asked {
  return { pair: ctx.pair, nowMs: ctx.nowMs, tradeId: ctx.trade.id, order: { ...ctx.order } }
}

// amount step 0.001, tick 0.01
const MARKET: PairInput['market'] = { pricePrecision: 0.01, amountPrecision: 0.001, limits: {} }

function result(r: SimulationResult, endMs: number) {
  return buildStrategyResult({
    strategyName: 'Timed',
    trades: r.trades,
    pairlist: ['A/USDT'],
    settings: settings(),
    startMs: at(0),
    endMs,
    runStartS: 0,
    runEndS: 0,
    startingBalance: 1000,
    finalBalance: r.finalBalance,
    rejectedSignals: r.rejectedSignals,
    marketChange: 0,
    stakeAmount: 100,
    stakeCurrency: 'USDT',
    maxOpenTrades: 1,
    enableProtections: false,
    exitProfitOffset: 0,
    tradingMode: 'spot',
    marginMode: '',
    orderCounters: r.orderCounters,
  })
}

describe('backtest: checkEntryTimeout', () => {
  // The entry signal of candle 0 places a limit order at 90 on candle 1 (00:05); lows stay at 100, so it rests.
  // amount 100 / 90 = 1.111 (cut to the step).
  test('true on its 2nd call drops the trade on that candle, before that candle’s entries', () => {
    // asked at 00:10 (no) and 00:15 (yes): the trade goes at the start of candle 3, so the entry signal of candle 2
    // takes the freed slot (max_open_trades 1) on candle 3 itself, at its open 100 (amount 1), force-exited at 100
    const p = pairInput(
      'A/USDT',
      [flat(100, { enter: 1 }), flat(100), flat(100, { enter: 1 }), flat(100), flat(100), flat(100)],
      MARKET,
    )
    const st = new Timed({
      entryPrice: (nowMs) => (nowMs === at(1) ? 90 : undefined),
      entryTimeout: (call) => call === 2,
    })
    const r = simulate([p], options([p], { strategy: st, maxOpenTrades: 1 }))
    const order: OrderView = {
      side: 'buy',
      price: 90,
      amount: 1.111,
      filled: 0,
      remaining: 1.111,
      createdMs: at(1),
      status: 'open',
    }
    expect(st.entryAsked).toEqual([
      { pair: 'A/USDT', nowMs: at(2), tradeId: 1, order },
      { pair: 'A/USDT', nowMs: at(3), tradeId: 1, order },
    ])
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.id).toBe(2)
    expect(t.openDateMs).toBe(at(3))
    expect(t.openRate).toBe(100)
    expect(t.amount).toBe(1)
    expect(t.exitReason).toBe('force_exit')
    expect(r.rejectedSignals).toBe(0)
    expect(r.orderCounters.timedoutEntryOrders).toBe(1)
    expect(r.finalBalance).toBe(1000)
    const res = result(r, at(5))
    expect(res.timedout_entry_orders).toBe(1)
    expect(res.timedout_exit_orders).toBe(0)
    expect(res.total_trades).toBe(1)
  })

  test('without the callback the same order rests to the end and leaves no trade', () => {
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100), flat(100)], MARKET)
    const r = simulate([p], options([p], { strategy: new Timed({ entryPrice: () => 90 }) }))
    expect(r.trades).toHaveLength(0)
    expect(r.orderCounters.timedoutEntryOrders).toBe(0)
  })

  test('a callback that throws keeps the order; only unfilledtimeout.entry times it out', () => {
    // placed 00:05, timeout 10 min: asked at 00:10 and 00:15 (throws both times, order kept); at 00:20 the order
    // was placed before 00:20 − 10 min, so the timeout strikes without asking
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), ...Array.from({ length: 5 }, () => flat(100))], MARKET)
    const st = new Timed({
      entryPrice: () => 90,
      entryTimeout: () => {
        throw new Error('no answer today')
      },
    })
    const r = simulate([p], options([p], { strategy: st, unfilledTimeout: { entry: 10 } }))
    expect(st.entryAsked.map((a) => a.nowMs)).toEqual([at(2), at(3)])
    expect(r.trades).toHaveLength(0)
    expect(r.orderCounters.timedoutEntryOrders).toBe(1)
    const warned = logRing.last().filter((row) => row[2] === 'tern.strategy' && row[3] === 'WARNING')
    expect(warned.at(-1)?.[4]).toContain('Timed.checkEntryTimeout failed for A/USDT: no answer today')
  })

  test('a throwing callback keeps the order open for a later candle to fill', () => {
    // no timeout: candle 3 reaches 90 (low 89); asked at 00:10 and 00:15 (before that candle's fill), then filled
    const p = pairInput(
      'A/USDT',
      [flat(100, { enter: 1 }), flat(100), flat(100), { o: 95, h: 96, l: 89, c: 92 }, flat(92)],
      MARKET,
    )
    const st = new Timed({
      entryPrice: () => 90,
      entryTimeout: () => {
        throw new Error('broken')
      },
    })
    const r = simulate([p], options([p], { strategy: st }))
    expect(st.entryAsked.map((a) => a.nowMs)).toEqual([at(2), at(3)])
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0].orders[0].filledMs).toBe(at(3))
    expect(r.trades[0].openRate).toBe(90)
    expect(r.orderCounters.timedoutEntryOrders).toBe(0)
  })
})

describe('backtest: checkExitTimeout', () => {
  // entry at candle 1's open 100, amount 1; the exit signal of candle 2 acts on candle 3 (00:15), where the custom
  // exit price 110 lies above the high 103: the exit order rests
  const head = [flat(100, { enter: 1 }), flat(100), flat(100, { exit: 1 }), { o: 101, h: 103, l: 100.5, c: 102 }]

  test('true on its 2nd call removes the exit order; the trade exits again on that candle at its open', () => {
    // asked at 00:20 (no) and 00:25 (yes): the order is dropped at the start of candle 5, whose exit signal (from
    // candle 4) exits at the open 102.5 (no custom price then): profit 1 × 102.5 − 100 = 2.5
    const p = pairInput('A/USDT', [
      ...head,
      { o: 102, h: 103, l: 101, c: 102, exit: 1 },
      { o: 102.5, h: 104, l: 102, c: 103 },
      flat(103),
    ])
    const st = new Timed({
      exitPrice: (nowMs) => (nowMs === at(3) ? 110 : undefined),
      exitTimeout: (call) => call === 2,
    })
    const r = simulate([p], options([p], { strategy: st }))
    const order: OrderView = {
      side: 'sell',
      price: 110,
      amount: 1,
      filled: 0,
      remaining: 1,
      createdMs: at(3),
      status: 'open',
    }
    expect(st.exitAsked).toEqual([
      { pair: 'A/USDT', nowMs: at(4), tradeId: 1, order },
      { pair: 'A/USDT', nowMs: at(5), tradeId: 1, order },
    ])
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.closeRate).toBe(102.5)
    expect(t.closeDateMs).toBe(at(5))
    expect(t.exitReason).toBe('exit_signal')
    expect(t.closeProfitAbs).toBe(2.5)
    // the removed order is gone from the trade's orders
    expect(t.orders.map((o) => [o.side, o.price, o.createdMs])).toEqual([
      ['buy', 100, at(1)],
      ['sell', 102.5, at(5)],
    ])
    expect(r.orderCounters.timedoutExitOrders).toBe(1)
    expect(r.finalBalance).toBe(1002.5)
    const res = result(r, at(6))
    expect(res.timedout_exit_orders).toBe(1)
    expect(res.timedout_entry_orders).toBe(0)
  })

  test('a callback that throws keeps the exit order until a candle reaches it', () => {
    // asked at 00:20 and 00:25 (throws); candle 5 trades up to 111 and fills the order at 110: profit 10
    const p = pairInput('A/USDT', [...head, { o: 102, h: 103, l: 101, c: 102 }, { o: 105, h: 111, l: 104, c: 110 }])
    const st = new Timed({
      exitPrice: () => 110,
      exitTimeout: () => {
        throw new Error('broken')
      },
    })
    const r = simulate([p], options([p], { strategy: st }))
    expect(st.exitAsked.map((a) => a.nowMs)).toEqual([at(4), at(5)])
    const t = r.trades[0]
    expect(t.closeRate).toBe(110)
    expect(t.closeDateMs).toBe(at(5))
    expect(t.closeProfitAbs).toBe(10)
    expect(r.orderCounters.timedoutExitOrders).toBe(0)
  })
})

/** What `adjustEntryPrice` saw, copied when asked (the trade changes when its order is replaced). */
interface AdjustAsked {
  nowMs: number
  proposedRate: number
  currentOrderRate: number
  order: OrderView
  trade: { id: number; amount: number; openRate: number }
  entryTag: string | undefined
  side: string
}

/** Entry price 90 on the first entry; `adjust` answers `adjustEntryPrice` (its calls recorded). */
class Adjusting extends Timed {
  readonly adjustAsked: AdjustAsked[] = []

  constructor(adjust: (ctx: AdjustEntryPriceContext) => number | null | undefined) {
    super({ entryPrice: (nowMs) => (nowMs === at(1) ? 90 : undefined) })
    this.adjustEntryPrice = (ctx) => {
      this.adjustAsked.push({
        nowMs: ctx.nowMs,
        proposedRate: ctx.proposedRate,
        currentOrderRate: ctx.currentOrderRate,
        order: { ...ctx.order },
        trade: { id: ctx.trade.id, amount: ctx.trade.amount, openRate: ctx.trade.openRate },
        entryTag: ctx.entryTag,
        side: ctx.side,
      })
      return adjust(ctx)
    }
  }
}

describe('backtest: adjustEntryPrice (freqtrade check_order_replace)', () => {
  // The entry signal of candle 0 places an order at 90 on candle 1 (00:05): amount 100 / 90 = 1.111, stake 99.99.
  test('the same price keeps the order; a new price replaces it with the same stake, filling on that candle', () => {
    // 00:10: asked with the open 98 and the order's 90 → keeps it. 00:15: 95 → cancel, new order at 95 for the
    // stake 1.111 × 90 = 99.99: amount 99.99 / 95 = 1.0525 → 1.052 (stake 99.94); candle 3 trades 94..97 → fills at
    // 95. Initial stop 95 × 0.9 = 85.5. Force exit at the last open 100: profit 1.052 × 5 = 5.26.
    const p = pairInput(
      'A/USDT',
      [
        flat(100, { enter: 1 }),
        { o: 100, h: 101, l: 99, c: 100 },
        { o: 98, h: 99, l: 97, c: 98 },
        { o: 96, h: 97, l: 94, c: 95 },
        flat(100),
        flat(100),
      ],
      MARKET,
    )
    const st = new Adjusting((ctx) => (ctx.nowMs === at(3) ? 95 : ctx.currentOrderRate))
    const r = simulate([p], options([p], { strategy: st }))
    const order: OrderView = {
      side: 'buy',
      price: 90,
      amount: 1.111,
      filled: 0,
      remaining: 1.111,
      createdMs: at(1),
      status: 'open',
    }
    const trade = { id: 1, amount: 1.111, openRate: 90 }
    expect(st.adjustAsked).toEqual([
      { nowMs: at(2), proposedRate: 98, currentOrderRate: 90, order, trade, entryTag: undefined, side: 'long' },
      { nowMs: at(3), proposedRate: 96, currentOrderRate: 90, order, trade, entryTag: undefined, side: 'long' },
    ])
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.openDateMs).toBe(at(1))
    expect(t.openRate).toBe(95)
    expect(t.amount).toBe(1.052)
    expect(t.stakeAmount).toBe(99.94)
    expect(t.initialStopLoss).toBe(85.5)
    expect(t.stopLoss).toBe(85.5)
    // the cancelled order is gone; the new one was placed and filled on candle 3, the force exit on candle 5
    expect(t.orders.map((o) => [o.side, o.price, o.amount, o.createdMs, o.filledMs])).toEqual([
      ['buy', 95, 1.052, at(3), at(3)],
      ['sell', 100, 1.052, at(5), at(5)],
    ])
    expect(t.exitReason).toBe('force_exit')
    expect(t.closeProfitAbs).toBe(5.26)
    expect(r.finalBalance).toBe(1005.26)
    expect(r.orderCounters).toEqual({
      timedoutEntryOrders: 0,
      timedoutExitOrders: 0,
      canceledTradeEntries: 0,
      canceledEntryOrders: 1,
      replacedEntryOrders: 1,
    })
    const res = result(r, at(5))
    expect(res.canceled_entry_orders).toBe(1)
    expect(res.replaced_entry_orders).toBe(1)
    expect(res.canceled_trade_entries).toBe(0)
  })

  test('a replacement order rests on with its own placing time for unfilledtimeout, and is not asked once timed out', () => {
    // 00:10: 89 → new order for 99.99 / 89 = 1.1234 → 1.123, placed 00:10. Entry timeout 10 min: asked (kept) at
    // 00:15 and 00:20; at 00:25 the new order was placed before 00:25 − 10 min: timed out, the trade is dropped
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), ...Array.from({ length: 6 }, () => flat(100))], MARKET)
    const st = new Adjusting((ctx) => (ctx.nowMs === at(2) ? 89 : ctx.currentOrderRate))
    const r = simulate([p], options([p], { strategy: st, unfilledTimeout: { entry: 10 } }))
    expect(st.adjustAsked.map((a) => a.nowMs)).toEqual([at(2), at(3), at(4)])
    expect(st.adjustAsked[1]).toMatchObject({
      currentOrderRate: 89,
      order: { price: 89, amount: 1.123, createdMs: at(2) },
      trade: { id: 1, amount: 1.123, openRate: 89 },
    })
    expect(r.trades).toHaveLength(0)
    expect(r.finalBalance).toBe(1000)
    expect(r.orderCounters).toEqual({
      timedoutEntryOrders: 1,
      timedoutExitOrders: 0,
      canceledTradeEntries: 0,
      canceledEntryOrders: 1,
      replacedEntryOrders: 1,
    })
  })

  for (const answer of [undefined, null, 0]) {
    test(`${answer} cancels the order and drops the trade before that candle's entries`, () => {
      // dropped at the start of candle 2 (00:10): the entry signal of candle 1 takes the freed slot
      // (max_open_trades 1) there, at the open 100
      const p = pairInput(
        'A/USDT',
        [flat(100, { enter: 1 }), flat(100, { enter: 1 }), flat(100), flat(100), flat(100)],
        MARKET,
      )
      const st = new Adjusting(() => answer)
      const r = simulate([p], options([p], { strategy: st, maxOpenTrades: 1 }))
      expect(st.adjustAsked.map((a) => a.nowMs)).toEqual([at(2)])
      expect(r.trades).toHaveLength(1)
      expect(r.trades[0].id).toBe(2)
      expect(r.trades[0].openDateMs).toBe(at(2))
      expect(r.trades[0].openRate).toBe(100)
      // the signal acting on candle 1 found the slot held by the resting order
      expect(r.rejectedSignals).toBe(0)
      expect(r.orderCounters).toEqual({
        timedoutEntryOrders: 0,
        timedoutExitOrders: 0,
        canceledTradeEntries: 1,
        canceledEntryOrders: 1,
        replacedEntryOrders: 0,
      })
      const res = result(r, at(4))
      expect(res.canceled_trade_entries).toBe(1)
      expect(res.canceled_entry_orders).toBe(1)
    })
  }

  test('a replacement refused by confirmTradeEntry leaves no order: the trade is dropped', () => {
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100), flat(100)], MARKET)
    const st = new Adjusting(() => 95)
    const confirmed: number[] = []
    st.confirmTradeEntry = (ctx) => {
      confirmed.push(ctx.rate)
      return ctx.rate !== 95
    }
    const r = simulate([p], options([p], { strategy: st }))
    // asked for the first order at 90, then for the replacement at 95 (amount 99.99 / 95 → 1.052)
    expect(confirmed).toEqual([90, 95])
    expect(r.trades).toHaveLength(0)
    expect(r.orderCounters.canceledEntryOrders).toBe(1)
    expect(r.orderCounters.replacedEntryOrders).toBe(0)
    expect(r.orderCounters.canceledTradeEntries).toBe(1)
  })

  test('a callback that throws keeps the order, which fills when a candle reaches it', () => {
    const p = pairInput(
      'A/USDT',
      [flat(100, { enter: 1 }), flat(100), { o: 95, h: 96, l: 89, c: 92 }, flat(92)],
      MARKET,
    )
    const st = new Adjusting(() => {
      throw new Error('broken')
    })
    const r = simulate([p], options([p], { strategy: st }))
    expect(st.adjustAsked.map((a) => a.nowMs)).toEqual([at(2)])
    const warned = logRing.last().filter((row) => row[2] === 'tern.strategy' && row[3] === 'WARNING')
    expect(warned.at(-1)?.[4]).toContain('Adjusting.adjustEntryPrice failed for A/USDT: broken')
    expect(r.trades[0].openRate).toBe(90)
    expect(r.trades[0].orders[0].filledMs).toBe(at(2))
    expect(r.orderCounters.canceledEntryOrders).toBe(0)
  })
})

/** Records every `orderFilled` call (copied: the trade and order live on), or throws when told to. */
class Filling extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  readonly fills: { nowMs: number; tradeId: number; isOpen: boolean; exitReason?: string; order: OrderView }[] = []

  constructor(private readonly o: { entryPrice?: number; throws?: boolean } = {}) {
    super()
    if (o.entryPrice !== undefined) this.customEntryPrice = () => o.entryPrice
  }

  override orderFilled(ctx: OrderFilledContext): void {
    if (this.o.throws) throw new Error('cannot take it')
    const { trade, order, nowMs } = ctx
    this.fills.push({
      nowMs,
      tradeId: trade.id,
      isOpen: trade.isOpen,
      exitReason: trade.exitReason,
      order: { ...order },
    })
  }

  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
}

describe('backtest: orderFilled', () => {
  // enter at candle 1's open (100); ROI 5 % after both fees (105.2052…) inside candle 2; enter again at candle 4's
  // open (104) and leave at the end, candle 6's open (103), as force_exit
  const bars = [
    flat(100, { enter: 1 }),
    { o: 100, h: 101, l: 99, c: 100 },
    { o: 101, h: 106, l: 100, c: 104 },
    flat(104, { enter: 1 }),
    flat(104),
    flat(104),
    flat(103),
  ]
  const roi = settings({ minimalRoi: { 0: 0.05 } })

  test('told of every fill in order: each entry at its candle, each exit once its trade closed, the force exit too', () => {
    const p = pairInput('A/USDT', bars, MARKET)
    const st = new Filling()
    const r = simulate([p], options([p], { strategy: st, settings: roi, fee: 0.001 }))
    expect(r.trades.map((t) => t.exitReason)).toEqual(['roi', 'force_exit'])
    const [a, b] = r.trades
    expect(st.fills.map((f) => [f.nowMs, f.tradeId, f.order.side, f.isOpen, f.exitReason])).toEqual([
      [at(1), a.id, 'buy', true, undefined],
      [at(2), a.id, 'sell', false, 'roi'],
      [at(4), b.id, 'buy', true, undefined],
      [at(6), b.id, 'sell', false, 'force_exit'],
    ])
    // the orders as filled: whole, at their price
    expect(st.fills.map((f) => [f.order.price, f.order.filled, f.order.remaining, f.order.status])).toEqual([
      [100, a.amount, 0, 'closed'],
      [a.closeRate as number, a.amount, 0, 'closed'],
      [104, b.amount, 0, 'closed'],
      [103, b.amount, 0, 'closed'],
    ])
    expect(st.fills.every((f) => f.order.average === f.order.price)).toBe(true)
  })

  test('a resting entry is told of when a candle reaches its price, not when it was placed', () => {
    // a custom entry price of 99.5 is placed at candle 1, whose low (99) reaches it: filled there. One of 103.5 for a
    // signal on a flat 104 rests through two candles and fills on the third, whose range (103–104) holds it.
    const p = pairInput('A/USDT', bars, MARKET)
    const st = new Filling({ entryPrice: 99.5 })
    simulate([p], options([p], { strategy: st, settings: roi }))
    expect(st.fills.filter((f) => f.order.side === 'buy').map((f) => [f.nowMs, f.order.price])).toEqual([[at(1), 99.5]])
    const resting = [flat(104, { enter: 1 }), flat(104), flat(104), { o: 103.8, h: 104, l: 103, c: 103.2 }, flat(103)]
    const second = new Filling({ entryPrice: 103.5 })
    const q = pairInput('A/USDT', resting, MARKET)
    simulate([q], options([q], { strategy: second, settings: roi }))
    expect(second.fills.map((f) => [f.nowMs, f.order.side, f.order.price, f.order.createdMs])).toEqual([
      [at(3), 'buy', 103.5, at(1)],
      [at(4), 'sell', 103, at(4)],
    ])
  })

  test('a callback that throws is logged and changes nothing', () => {
    const p = pairInput('A/USDT', bars, MARKET)
    const quiet = simulate([p], options([p], { strategy: new Filling(), settings: roi }))
    const loud = simulate([p], options([p], { strategy: new Filling({ throws: true }), settings: roi }))
    expect(loud.trades.map((t) => [t.openDateMs, t.closeDateMs, t.closeProfitAbs])).toEqual(
      quiet.trades.map((t) => [t.openDateMs, t.closeDateMs, t.closeProfitAbs]),
    )
    const warned = logRing.last().filter((row) => row[2] === 'tern.strategy' && row[3] === 'WARNING')
    expect(warned.at(-1)?.[4]).toContain('Filling.orderFilled failed for A/USDT: cannot take it')
  })
})

describe('the shared timeout rule', () => {
  const trade = { id: 7, pair: 'A/USDT' } as TradeView
  const order = (side: 'buy' | 'sell'): OrderView => ({
    side,
    price: 90,
    amount: 1,
    filled: 0,
    remaining: 1,
    createdMs: at(0),
    status: 'open',
  })

  test('unfilledtimeout first: an order past it is timed out without asking the strategy', () => {
    let asked = 0
    const st = {
      checkEntryTimeout: () => {
        asked++
        return false
      },
    }
    // placed 00:00, timeout 10 min: at 00:10 not yet (not before 00:00), at 00:15 yes
    expect(isOrderTimedOut(trade, order('buy'), at(2), { entry: 10 }, st)).toBe(false)
    expect(asked).toBe(1)
    expect(isOrderTimedOut(trade, order('buy'), at(3), { entry: 10 }, st)).toBe(true)
    expect(asked).toBe(1)
  })

  test('each side asks its own callback', () => {
    const st = { checkEntryTimeout: () => true, checkExitTimeout: () => false }
    expect(isOrderTimedOut(trade, order('buy'), at(1), undefined, st)).toBe(true)
    expect(isOrderTimedOut(trade, order('sell'), at(1), undefined, st)).toBe(false)
    // the exit timeout does not apply to an entry order
    expect(isOrderTimedOut(trade, order('buy'), at(9), { exit: 1 }, {})).toBe(false)
    expect(isOrderTimedOut(trade, order('sell'), at(9), { exit: 1 }, {})).toBe(true)
  })
})
