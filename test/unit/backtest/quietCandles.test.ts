import { describe, expect, test } from 'bun:test'
import { nextExitCandidate, roiPrices, trailingScan } from '../../../src/backtest/quietCandles.ts'
import { type PairInput, type SimulationResult, simulate } from '../../../src/backtest/simulate.ts'
import { Trade } from '../../../src/domain/trade.ts'
import { compileRoi } from '../../../src/engine/rules/index.ts'
import type { StrategySettings } from '../../../src/strategy/settings.ts'
import { Strategy } from '../../../src/strategy/strategy.ts'
import { rng } from '../../helpers/rng.ts'
import { at, M5, options, settings } from './scenarios.ts'

const MARKET: PairInput['market'] = {
  pricePrecision: 0.001,
  amountPrecision: 0.001,
  precisionMode: 4,
  limits: { minAmount: 0.001, minCost: 5 },
}

/** A random walk on the 0.001 tick with entry and exit signals a few in a hundred; `from` / `to` cut its ends. */
function walk(pair: string, seed: number, n: number, from = 0, to = n): PairInput {
  const r = rng(seed)
  const cols = { date: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[] }
  const close: number[] = []
  const enter: number[] = []
  const exit: number[] = []
  let price = 50 + seed
  const tick = (x: number) => Math.round(x * 1000) / 1000
  for (let i = 0; i < n; i++) {
    const open = tick(price)
    price *= 1 + (r() - 0.5) * 0.02
    const c = tick(price)
    if (i < from || i >= to) continue
    cols.date.push(at(i))
    cols.open.push(open)
    cols.high.push(tick(Math.max(open, c) * (1 + r() * 0.006)))
    cols.low.push(tick(Math.min(open, c) * (1 - r() * 0.006)))
    close.push(c)
    enter.push(r() < 0.04 ? 1 : 0)
    exit.push(r() < 0.03 ? 1 : 0)
  }
  return {
    pair,
    date: Float64Array.from(cols.date),
    open: Float64Array.from(cols.open),
    high: Float64Array.from(cols.high),
    low: Float64Array.from(cols.low),
    close: Float64Array.from(close),
    enter: Uint8Array.from(enter),
    exit: Uint8Array.from(exit),
    market: MARKET,
  }
}

/** Refuses every third exit it is asked about: the refusals land on the same exits only if both runs ask alike. */
class ChoosyExits extends Strategy {
  timeframe = '5m'
  stoploss = -0.05
  asked = 0
  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
  override confirmTradeExit(): boolean {
    return ++this.asked % 3 !== 0
  }
}

/** A custom stop, asked on every candle: tighter once the trade is 1 % up. */
class TighteningStop extends Strategy {
  timeframe = '5m'
  stoploss = -0.05
  override useCustomStoploss = true
  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
  override customStoploss(ctx: { currentProfit: number }): number | undefined {
    return ctx.currentProfit > 0.01 ? -0.01 : undefined
  }
}

const N = 4_000
const PAIRS = [walk('A/USDT', 1, N), walk('B/USDT', 2, N, 300), walk('C/USDT', 3, N, 0, 3_500), walk('D/USDT', 4, N)]

interface Extra {
  choosy?: boolean
  locks?: boolean
  customStop?: boolean
}

function run(s: Partial<StrategySettings>, checkEveryCandle: boolean, extra: Extra) {
  const strategy = extra.choosy ? new ChoosyExits() : extra.customStop ? new TighteningStop() : undefined
  const protections = extra.locks
    ? {
        // a 20-minute lock of the pair after a losing trade
        afterTradeClosed: (t: { pair: string; closeProfitAbs?: number }, nowMs: number) =>
          (t.closeProfitAbs ?? 0) < 0
            ? [{ pair: t.pair, side: '*' as const, reason: 'loss', lockMs: nowMs, untilMs: nowMs + 4 * M5 }]
            : [],
      }
    : undefined
  return simulate(
    PAIRS,
    options(PAIRS, {
      settings: settings(s),
      strategy,
      protections,
      fee: 0.001,
      stakeAmount: 'unlimited',
      maxOpenTrades: 3,
      startingBalance: 1_000,
      checkEveryCandle,
    }),
  )
}

/** Everything a result file or a later trade could see. */
function outcome(r: SimulationResult) {
  return {
    trades: r.trades.map((t) => ({
      pair: t.pair,
      open: t.openDateMs,
      close: t.closeDateMs,
      openRate: t.openRate,
      closeRate: t.closeRate,
      amount: t.amount,
      reason: t.exitReason,
      profit: t.closeProfitAbs,
      maxRate: t.maxRate,
      minRate: t.minRate,
      stop: t.stopLoss,
    })),
    rejected: r.rejectedSignals,
    balance: r.finalBalance,
    locks: r.locks,
  }
}

describe('checking open trades only on candles where an exit can fire', () => {
  // the last number: at most this share of the exit checks of checking every candle
  const cases: [string, Partial<StrategySettings>, Extra, number][] = [
    [
      'ROI steps (down to a loss), stop-loss, exit signals',
      { minimalRoi: { 0: 0.03, 20: 0.015, 60: 0, 120: -0.01 }, stoploss: -0.02 },
      {},
      0.5,
    ],
    ['no ROI, a wide stop, exit signals only', { minimalRoi: {}, stoploss: -0.2 }, {}, 0.5],
    ['no exit signals', { minimalRoi: { 0: 0.02 }, stoploss: -0.03, useExitSignal: false }, {}, 0.5],
    [
      'exit signals only in profit, ROI ignored on entry signals',
      { minimalRoi: { 0: 0.01 }, stoploss: -0.05, exitProfitOnly: true, ignoreRoiIfEntrySignal: true },
      {},
      0.5,
    ],
    [
      'confirmTradeExit refusing every third exit',
      { minimalRoi: { 0: 0.02, 30: 0.005 }, stoploss: -0.03 },
      { choosy: true },
      0.5,
    ],
    ['protections locking pairs after losses', { minimalRoi: { 0: 0.02 }, stoploss: -0.015 }, { locks: true }, 0.5],
    // a trailing stop moves on candles that make a new high: fewer are skipped
    [
      'a trailing stop at the stoploss distance',
      { minimalRoi: { 0: 0.05 }, stoploss: -0.02, trailingStop: true },
      {},
      0.8,
    ],
    [
      'a trailing stop with a positive distance past an offset',
      {
        minimalRoi: { 0: 0.1 },
        stoploss: -0.04,
        trailingStop: true,
        trailingStopPositive: 0.01,
        trailingStopPositiveOffset: 0.02,
      },
      {},
      0.8,
    ],
    [
      'a trailing stop that waits for the offset',
      {
        minimalRoi: {},
        stoploss: -0.03,
        trailingStop: true,
        trailingStopPositive: 0.005,
        trailingStopPositiveOffset: 0.015,
        trailingOnlyOffsetIsReached: true,
      },
      {},
      0.8,
    ],
    [
      'a trailing positive distance wider than the stoploss',
      {
        minimalRoi: { 0: 0.04 },
        stoploss: -0.01,
        trailingStop: true,
        trailingStopPositive: 0.03,
        trailingStopPositiveOffset: 0.005,
      },
      {},
      1, // a stop 1 % under the highs moves on most candles
    ],
  ]
  for (const [name, s, extra, share] of cases) {
    test(`${name}: the same trades, prices, ranges and locks as checking every candle`, () => {
      const every = run(s, true, extra)
      const skipping = run(s, false, extra)
      expect(every.trades.length).toBeGreaterThan(50)
      expect(outcome(skipping)).toEqual(outcome(every))
      // and it did skip: that many trade-candles were never looked at
      expect(skipping.exitChecks).toBeLessThan(every.exitChecks * share)
    })
  }

  test('a custom stop checks every candle (the strategy may move it on any candle)', () => {
    const s = { minimalRoi: { 0: 0.05 }, stoploss: -0.05, useCustomStoploss: true }
    const every = run(s, true, { customStop: true })
    const other = run(s, false, { customStop: true })
    expect(every.trades.length).toBeGreaterThan(50)
    expect(other.exitChecks).toBe(every.exitChecks)
    expect(outcome(other)).toEqual(outcome(every))
  })
})

describe('nextExitCandidate', () => {
  // a trade opened at candle 0 at 100: amount 1, fee 0.1 %, stop 95
  const trade = () => {
    const t = new Trade({
      id: 1,
      pair: 'A/USDT',
      openDateMs: at(0),
      openRate: 100,
      amount: 1,
      feeOpen: 0.001,
      feeClose: 0.001,
    })
    t.adjustStopLoss(100, -0.05, true)
    return t
  }
  const candles = (highs: number[], lows: number[], exits: number[] = []) => ({
    date: Float64Array.from(highs, (_, i) => at(i)),
    high: Float64Array.from(highs),
    low: Float64Array.from(lows),
    exit: Uint8Array.from(highs, (_, i) => exits[i] ?? 0),
  })

  test('the low reaching the stop, and the range taken in up to there', () => {
    const t = trade()
    const roi = compileRoi({})
    const c = candles([101, 103, 102, 100], [99, 98, 95.5, 95])
    expect(nextExitCandidate(t, c, 1, roi, roiPrices(t, roi), true)).toBe(3)
    expect(t.maxRate).toBe(103)
    expect(t.minRate).toBe(95.5)
  })

  test('the ROI step in force by age: 4 % until 10 minutes, then 1 %', () => {
    // 1 % after both fees: 100.1 × 1.01 / 0.999 = 101.2022 — candle 2 (age 10) is the first whose high reaches it
    const t = trade()
    const roi = compileRoi({ 0: 0.04, 10: 0.01 })
    expect(roiPrices(t, roi)[1]).toBeCloseTo((100.1 * 1.01) / 0.999, 6)
    const c = candles([101.5, 101.5, 101.5], [99, 99, 99])
    expect(nextExitCandidate(t, c, 1, roi, roiPrices(t, roi), true)).toBe(2)
  })

  test('a trailing stop: the first high whose trailing price lies above the stop; past the offset, the positive distance', () => {
    // stop 95 (5 % under 100): 100 × 0.95 = 95 does not lift it, 100.5 × 0.95 = 95.475 does
    const t = trade()
    const roi = compileRoi({})
    const c = candles([99, 100, 99.5, 100.5], [98, 98, 98, 98])
    const settings = {
      trailingStop: true,
      stoploss: -0.05,
      trailingStopPositiveOffset: 0,
      trailingOnlyOffsetIsReached: false,
    }
    expect(nextExitCandidate(t, c, 1, roi, roiPrices(t, roi), true, trailingScan(t, settings))).toBe(3)
    // 1 % behind once 2 % up (both fees: at 102.2044 and above): 101.5 is not there, 102.3 × 0.99 = 101.277 is
    const positive = { ...settings, trailingStopPositive: 0.01, trailingStopPositiveOffset: 0.02 }
    const c2 = candles([99, 101.5, 102.3], [98, 100.6, 100.6])
    const t2 = trade()
    t2.stopLoss = 100.5 // as if it had trailed up already: 101.5 × 0.95 stays below it
    expect(nextExitCandidate(t2, c2, 1, roi, roiPrices(t2, roi), true, trailingScan(t2, positive))).toBe(2)
    // only past the offset: 101.5 × 0.95 would lift a stop of 95, but nothing moves before 2 % up
    const waiting = { ...positive, trailingOnlyOffsetIsReached: true }
    const t3 = trade()
    expect(nextExitCandidate(t3, c2, 1, roi, roiPrices(t3, roi), true, trailingScan(t3, waiting))).toBe(2)
    expect(nextExitCandidate(trade(), c2, 1, roi, roiPrices(trade(), roi), true, trailingScan(trade(), positive))).toBe(
      1,
    )
  })

  test("the previous candle's exit signal; ignored without exit signals; none at all gives the candles' length", () => {
    const roi = compileRoi({})
    const c = candles([101, 101, 101, 101], [99, 99, 99, 99], [0, 0, 1, 0])
    expect(nextExitCandidate(trade(), c, 1, roi, roiPrices(trade(), roi), true)).toBe(3)
    expect(nextExitCandidate(trade(), c, 1, roi, roiPrices(trade(), roi), false)).toBe(4)
  })
})
