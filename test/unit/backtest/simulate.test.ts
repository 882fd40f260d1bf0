import { describe, expect, test } from 'bun:test'
import { simulate } from '../../../src/backtest/simulate.ts'
import { at, flat, M5, options, pairInput, settings } from './scenarios.ts'

// Candle t's signal acts at the open of candle t+1; every scenario below enters on candle 1 at its open.
describe('simulate: hand-worked scenarios', () => {
  test('ROI inside a candle: exits at the ROI rate, after both fees', () => {
    // fee 0.1 %, ROI 5 % from minute 0: rate = 100 × (0.05 + 1.001) / 0.999 = 105.2052052052052
    // amount 1, open value 100 × 1.001 = 100.1, close value 105.2052052 × 0.999 = 105.1 → profit 5, ratio 5/100.1
    const p = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      { o: 100, h: 101, l: 99.5, c: 100.5 },
      { o: 101, h: 106, l: 100.8, c: 104 },
      flat(104),
    ])
    const r = simulate([p], options([p], { fee: 0.001, settings: settings({ minimalRoi: { 0: 0.05 } }) }))
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]
    expect(t.openDateMs).toBe(at(1))
    expect(t.openRate).toBe(100)
    expect(t.amount).toBe(1)
    expect(t.closeDateMs).toBe(at(2))
    expect(t.closeRate).toBe(105.2052052052052)
    expect(t.exitReason).toBe('roi')
    expect(t.closeProfitAbs).toBe(5)
    expect(t.closeProfit).toBe(5 / 100.1)
    expect(r.finalBalance).toBe(1005)
  })

  test('ROI step by trade age: a new step on a candle that opens above its rate exits at the open', () => {
    // ROI {0: 5 %, 10: 1 %}; at minute 10 the 1 % rate is 101 and candle 3 opens at 101.5 → exit at 101.5
    const p = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      { o: 100, h: 101, l: 99.5, c: 100 },
      { o: 100, h: 102, l: 99.8, c: 101.2 },
      { o: 101.5, h: 102, l: 101, c: 101.8 },
      flat(101.8),
    ])
    const r = simulate([p], options([p], { settings: settings({ minimalRoi: { 0: 0.05, 10: 0.01 } }) }))
    const t = r.trades[0]
    expect(t.closeDateMs).toBe(at(3))
    expect(t.durationMinutes).toBe(10)
    expect(t.closeRate).toBe(101.5)
    expect(t.exitReason).toBe('roi')
    expect(t.closeProfitAbs).toBe(1.5)
    expect(t.closeProfit).toBe(0.015)
  })

  test('stoploss hit inside a candle fills at the stop, rounded up to the tick', () => {
    // entry 99.99, stop 10 % below = 89.991 → rounded up to the 0.01 tick: 90.00; candle low 89 reaches it
    // amount 100 / 99.99 = 1.00010001 → step 0.001 → 1.000, stake 99.99; profit 90 − 99.99 = −9.99
    const market = { pricePrecision: 0.01, amountPrecision: 0.001, limits: {} }
    const p = pairInput(
      'A/USDT',
      [flat(99.99, { enter: 1 }), { o: 99.99, h: 100, l: 95, c: 96 }, { o: 96, h: 97, l: 89, c: 91 }, flat(91)],
      market,
    )
    const r = simulate([p], options([p]))
    const t = r.trades[0]
    expect(t.initialStopLoss).toBe(90)
    expect(t.amount).toBe(1)
    expect(t.stakeAmount).toBe(99.99)
    expect(t.closeDateMs).toBe(at(2))
    expect(t.closeRate).toBe(90)
    expect(t.exitReason).toBe('stop_loss')
    expect(t.closeProfitAbs).toBe(-9.99)
    expect(t.closeProfit).toBe(-9.99 / 99.99)
  })

  test('a candle entirely below the stop fills at its open', () => {
    // stop 90; candle 2 gaps down: open 85, high 88 → exit at 85, profit −15
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), { o: 85, h: 88, l: 84, c: 86 }, flat(86)])
    const t = simulate([p], options([p])).trades[0]
    expect(t.closeRate).toBe(85)
    expect(t.exitReason).toBe('stop_loss')
    expect(t.closeProfitAbs).toBe(-15)
  })

  test('stop-loss wins over ROI on the same candle', () => {
    // candle 2 reaches both the 5 % ROI (high 106) and the stop (low 89): freqtrade checks the stop first
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), { o: 100, h: 106, l: 89, c: 95 }, flat(95)])
    const t = simulate([p], options([p], { settings: settings({ minimalRoi: { 0: 0.05 } }) })).trades[0]
    expect(t.exitReason).toBe('stop_loss')
    expect(t.closeRate).toBe(90)
  })

  test('trailing stop without offset follows the high and exits as trailing_stop_loss', () => {
    // high 120 lifts the stop to 120 × 0.9 = 108; candle 3 (low 105) reaches it → exit at 108, profit 8
    const p = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      { o: 100, h: 100, l: 99, c: 100 },
      { o: 110, h: 120, l: 110, c: 115 },
      { o: 112, h: 113, l: 105, c: 106 },
      flat(106),
    ])
    const r = simulate([p], options([p], { settings: settings({ trailingStop: true }) }))
    const t = r.trades[0]
    expect(t.initialStopLoss).toBe(90)
    expect(t.stopLoss).toBe(120 * (1 - 0.1))
    expect(t.closeDateMs).toBe(at(3))
    expect(t.exitReason).toBe('trailing_stop_loss')
    expect(t.closeRate).toBe(120 * (1 - 0.1))
    expect(t.closeProfitAbs).toBe(8)
  })

  test('trailing stop with offset only moves once the offset is reached, then trails at the positive value', () => {
    // positive 2 %, offset 5 %, only-offset: high 104 (+4 %) leaves the stop at 90; high 110 (+10 %) sets it to
    // 110 × 0.98 = 107.8; candle 4 (low 107) hits it → exit at 107.8, profit 7.8
    const p = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      { o: 100, h: 100, l: 99, c: 100 },
      { o: 101, h: 104, l: 101, c: 103 },
      { o: 108, h: 110, l: 108, c: 109 },
      { o: 109, h: 109, l: 107, c: 107.5 },
      flat(107.5),
    ])
    const s = settings({
      trailingStop: true,
      trailingStopPositive: 0.02,
      trailingStopPositiveOffset: 0.05,
      trailingOnlyOffsetIsReached: true,
    })
    const t = simulate([p], options([p], { settings: s })).trades[0]
    expect(t.closeDateMs).toBe(at(4))
    expect(t.exitReason).toBe('trailing_stop_loss')
    expect(t.closeRate).toBe(110 * (1 - 0.02))
    expect(t.closeProfitAbs).toBe(Number((110 * 0.98 - 100).toFixed(8)))
  })

  test('exit signal exits at the next open, named by its exit tag', () => {
    // exit signal on candle 2 → exit at candle 3's open 103, profit 3
    const p = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      flat(100),
      { o: 102, h: 102, l: 101, c: 102, exit: 1, exitTag: 'cross_down' },
      flat(103),
      flat(104),
    ])
    const t = simulate([p], options([p])).trades[0]
    expect(t.closeDateMs).toBe(at(3))
    expect(t.closeRate).toBe(103)
    expect(t.exitReason).toBe('cross_down')
    expect(t.closeProfitAbs).toBe(3)
  })

  test('exitProfitOnly ignores an exit signal while the trade is at a loss', () => {
    // entry at 100; exit signals on candles 1 and 3; at candle 2's open (98) the trade loses → held; at candle 4's
    // open 102 → exit
    const bars = [
      flat(100, { enter: 1 }),
      flat(100, { exit: 1 }),
      flat(98),
      flat(101, { exit: 1 }),
      flat(102),
      flat(102),
    ]
    const p = pairInput('A/USDT', bars)
    const t = simulate([p], options([p], { settings: settings({ exitProfitOnly: true }) })).trades[0]
    expect(t.closeDateMs).toBe(at(4))
    expect(t.closeRate).toBe(102)
    expect(t.exitReason).toBe('exit_signal')
    // without the flag the first signal exits at 98
    const u = simulate([p], options([p])).trades[0]
    expect(u.closeRate).toBe(98)
    expect(u.closeProfitAbs).toBe(-2)
  })

  test('max_open_trades: whitelist order wins the slot, the other signal is rejected', () => {
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100)])
    const b = pairInput('B/USDT', [flat(50, { enter: 1 }), flat(50), flat(50)])
    const r = simulate([a, b], options([a, b], { maxOpenTrades: 1 }))
    expect(r.trades.map((t) => t.pair)).toEqual(['A/USDT'])
    expect(r.rejectedSignals).toBe(1)
  })

  test('a slot freed during a candle step is not reused in the same step', () => {
    // A opens at candle 1 and exits (signal of candle 1) at candle 2's open; B signals on candle 1 too late for a
    // slot and again on candle 1 → acts at candle 2 where the slot count from the step's start is still 1
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100, { exit: 1 }), flat(100), flat(100)])
    const b = pairInput('B/USDT', [flat(50), flat(50, { enter: 1 }), flat(50), flat(50)])
    const r = simulate([a, b], options([a, b], { maxOpenTrades: 1 }))
    expect(r.trades.map((t) => t.pair)).toEqual(['A/USDT'])
    expect(r.rejectedSignals).toBe(1)
  })

  test('pairs with open trades are handled first, in the order their trades opened', () => {
    // C opens at candle 1, A at candle 2; both exit at candle 3's open: C closes before A despite the whitelist
    const a = pairInput('A/USDT', [flat(10), flat(10, { enter: 1 }), flat(11, { exit: 1 }), flat(12), flat(12)])
    const c = pairInput('C/USDT', [flat(20, { enter: 1 }), flat(20), flat(21, { exit: 1 }), flat(22), flat(22)])
    const r = simulate([a, c], options([a, c]))
    expect(r.trades.map((t) => t.pair)).toEqual(['C/USDT', 'A/USDT'])
    expect(r.trades.map((t) => t.closeDateMs)).toEqual([at(3), at(3)])
  })

  test('unlimited stake shares the tradable balance over the slots', () => {
    // wallet 1000 × 0.99 = 990 over 2 slots = 495 each; the second entry sees 505 free and 495 tied up:
    // min((495 + 505) × 0.99 − 495, 505) = 495 → again 495
    const a = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100)])
    const b = pairInput('B/USDT', [flat(10, { enter: 1 }), flat(10), flat(10)])
    const r = simulate([a, b], options([a, b], { stakeAmount: 'unlimited', maxOpenTrades: 2 }))
    expect(r.trades.map((t) => t.stakeAmount)).toEqual([495, 495])
    expect(r.trades.map((t) => t.amount)).toEqual([4.95, 49.5])
  })

  test('fees and precision: amount cut to the step, stake = amount × rate, profit on decimals', () => {
    // 100 / 33.33 = 3.0003 → step 0.001 → 3.000; stake 3 × 33.33 = 99.99; open value 99.99 × 1.001 = 100.08999
    // exit at 34 (signal): close value 3 × 34 × 0.999 = 101.898 → profit 1.80801, ratio 1.80801 / 100.08999
    const market = { pricePrecision: 0.01, amountPrecision: 0.001, limits: {} }
    const p = pairInput('A/USDT', [flat(33.33, { enter: 1 }), flat(33.33, { exit: 1 }), flat(34), flat(34)], market)
    const t = simulate([p], options([p], { fee: 0.001 })).trades[0]
    expect(t.amount).toBe(3)
    expect(t.stakeAmount).toBe(99.99)
    expect(t.openTradeValue).toBe(100.08999)
    expect(t.closeRate).toBe(34)
    expect(t.closeProfitAbs).toBe(1.80801)
    expect(t.closeProfit).toBe(1.80801 / 100.08999)
  })

  test('a stake below the market minimum (with reserve) is raised to it, up to 30 %', () => {
    // min cost 10, stoploss 10 %: reserve 1.05 / 0.9 = 1.1667 → min stake 11.667; a stake of 10 is raised to it
    // (10 × 1.3 ≥ 11.667); the amount is 11.666…/100 cut to 0.001 → 0.116
    const market = { amountPrecision: 0.001, limits: { minCost: 10 } }
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), flat(100)], market)
    const t = simulate([p], options([p], { stakeAmount: 10 })).trades[0]
    expect(t.amount).toBe(0.116)
    // a stake of 8 is more than 30 % short → no trade
    expect(simulate([p], options([p], { stakeAmount: 8 })).trades).toHaveLength(0)
  })

  test('force_exit at the end: closed at the last candle open', () => {
    const p = pairInput('A/USDT', [flat(100, { enter: 1 }), flat(100), { o: 102, h: 103, l: 101, c: 103 }])
    const r = simulate([p], options([p]))
    const t = r.trades[0]
    expect(t.exitReason).toBe('force_exit')
    expect(t.closeDateMs).toBe(at(2))
    expect(t.closeRate).toBe(102)
    expect(t.closeProfitAbs).toBe(2)
  })

  test('no entry on the last candle of the backtest', () => {
    const p = pairInput('A/USDT', [flat(100), flat(100, { enter: 1 }), flat(100)])
    expect(simulate([p], options([p])).trades).toHaveLength(0)
  })

  test('--timeframe-detail: the 1m candles decide which exit comes first inside a 5m candle', () => {
    // candle 2 reaches both the 5 % ROI (high 106) and the stop (low 89). On 5m candles the stop wins; its first
    // 1m candle already touches 106 while the low comes later → ROI at 105 at the first minute (candle 2's time)
    const bars = [flat(100, { enter: 1 }), flat(100), { o: 100, h: 106, l: 89, c: 95 }, flat(95)]
    const main = pairInput('A/USDT', bars)
    const s = settings({ minimalRoi: { 0: 0.05 } })
    expect(simulate([main], options([main], { settings: s })).trades[0].exitReason).toBe('stop_loss')
    const M1 = 60_000
    const minutes = [
      [100, 106, 100, 105],
      [105, 105, 95, 96],
      [96, 96, 89, 90],
      [90, 94, 90, 93],
      [93, 95, 93, 95],
    ]
    const detailed = {
      ...pairInput('A/USDT', bars),
      detail: {
        date: Float64Array.from(minutes, (_, k) => at(2) + k * M1),
        open: Float64Array.from(minutes, (m) => m[0]),
        high: Float64Array.from(minutes, (m) => m[1]),
        low: Float64Array.from(minutes, (m) => m[2]),
        close: Float64Array.from(minutes, (m) => m[3]),
      },
    }
    const t = simulate([detailed], options([detailed], { settings: s, detailTimeframeMs: M1 })).trades[0]
    expect(t.exitReason).toBe('roi')
    expect(t.closeRate).toBe(105)
    expect(t.closeDateMs).toBe(at(2))
    expect(t.closeProfitAbs).toBe(5)
  })

  test('a pair lock from a protection blocks entries until it ends (not counted as rejected)', () => {
    // exits at candle 2 (signal of candle 1); the hook locks the pair for two candles (until candle 4's time)
    const bars = [
      flat(100, { enter: 1 }),
      flat(100, { exit: 1 }),
      flat(100, { enter: 1 }),
      flat(100, { enter: 1 }),
      flat(100),
      flat(100),
    ]
    const p = pairInput('A/USDT', bars)
    const hook = {
      afterTradeClosed: (t: { pair: string }, nowMs: number) => [
        { pair: t.pair, side: '*' as const, reason: 'cooldown', lockMs: nowMs, untilMs: nowMs + 2 * M5 },
      ],
    }
    const r = simulate([p], options([p], { protections: hook }))
    // the signal of candle 2 (acting at candle 3) is locked; the one of candle 3 acts at candle 4 = lock end
    expect(r.trades.map((t) => t.openDateMs)).toEqual([at(1), at(4)])
    expect(r.rejectedSignals).toBe(0)
    expect(r.locks).toHaveLength(1)
    expect(r.locks[0]).toMatchObject({ pair: 'A/USDT', lockMs: at(2), untilMs: at(4) })
  })
})

describe('simulate: early freqtrade rules (legacy)', () => {
  // ROI 5 % from minute 0: rate 105. Candle 1 (the entry candle) reaches 106, candle 2 reaches 107.
  const bars = [
    flat(100, { enter: 1 }),
    { o: 100, h: 106, l: 99, c: 104 },
    { o: 104, h: 107, l: 103, c: 106 },
    flat(106),
  ]

  test('today the entry candle is checked: ROI at 105 on candle 1', () => {
    const p = pairInput('A/USDT', bars)
    const r = simulate([p], options([p], { settings: settings({ minimalRoi: { 0: 0.05 } }) }))
    expect(r.trades[0].closeDateMs).toBe(at(1))
    expect(r.trades[0].closeRate).toBe(105)
  })

  test('with exitOnEntryCandle off the first check is candle 2: ROI at 105 there, 5 minutes later', () => {
    const p = pairInput('A/USDT', bars)
    const r = simulate(
      [p],
      options([p], { settings: settings({ minimalRoi: { 0: 0.05 } }), legacy: { exitOnEntryCandle: false } }),
    )
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0].openDateMs).toBe(at(1))
    expect(r.trades[0].closeDateMs).toBe(at(2))
    expect(r.trades[0].durationMinutes).toBe(5)
    expect(r.trades[0].closeRate).toBe(105)
  })

  test('with the legacy ROI pricing a rate under the candle is the price: 101 though candle 3 trades at 103+', () => {
    // ROI {0: 10 %, 10: 1 %}: at minute 10 (candle 3) the rate is 101; today that candle's open 103 is the price
    const p = pairInput('A/USDT', [
      flat(100, { enter: 1 }),
      { o: 100, h: 102, l: 99, c: 101 },
      { o: 101, h: 102, l: 100, c: 100.5 },
      { o: 103, h: 104, l: 102.5, c: 103 },
      flat(103),
    ])
    const s = settings({ minimalRoi: { 0: 0.1, 10: 0.01 } })
    const today = simulate([p], options([p], { settings: s }))
    expect(today.trades[0].closeDateMs).toBe(at(3))
    expect(today.trades[0].closeRate).toBe(103)
    const legacy = simulate(
      [p],
      options([p], { settings: s, legacy: { roiNewStepAtOpen: false, roiWithinCandle: false } }),
    )
    expect(legacy.trades[0].closeDateMs).toBe(at(3))
    expect(legacy.trades[0].closeRate).toBe(101)
    expect(legacy.trades[0].closeProfitAbs).toBe(1)
  })
})
