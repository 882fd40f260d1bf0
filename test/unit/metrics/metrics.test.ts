import { describe, expect, test } from 'bun:test'
import {
  allPeriodicBreakdowns,
  type ClosedTrade,
  cagr,
  calmar,
  csumRange,
  dailyStats,
  expectancy,
  marketChange,
  marketChangeSeries,
  maxDrawdown,
  pairResults,
  periodLabel,
  profitFactor,
  profitTotalsBy,
  pyRound,
  resultLine,
  sharpe,
  sortino,
  sqn,
  tagResults,
  timedeltaText,
  tradingStats,
} from '../../../src/metrics/index.ts'

const DAY = 86_400_000
const START = Date.UTC(2024, 0, 1) // a Monday
// five trades, one closing per day at 10:00: +10, −5, +3, −8, +2 on a starting balance of 100
const profits = [10, -5, 3, -8, 2]
const durations = [60, 120, 30, 45, 75]
const trades: ClosedTrade[] = profits.map((p, i) => ({
  pair: i % 2 ? 'B/USDT' : 'A/USDT',
  profitRatio: p / 100,
  profitAbs: p,
  openMs: START + i * DAY + 36_000_000 - durations[i] * 60_000,
  closeMs: START + i * DAY + 36_000_000,
  durationMinutes: durations[i],
  stakeAmount: 100,
  enterTag: i < 2 ? 'x' : null,
  exitReason: p > 0 ? 'roi' : 'stop_loss',
}))
const SB = 100

describe('drawdown (§9.1.1)', () => {
  test('worst point of the cumulative series against its running peak', () => {
    // cumulative 10, 5, 8, 0, 2; peak 10 from the first trade; worst at the 4th trade: 0 − 10
    const dd = maxDrawdown(
      trades.map((t) => ({ closeMs: t.closeMs, value: t.profitAbs })),
      SB,
    )
    expect(dd).toBeDefined()
    expect(dd?.drawdownAbs).toBe(10)
    expect(dd?.highValue).toBe(10)
    expect(dd?.lowValue).toBe(0)
    expect(dd?.highMs).toBe(trades[0].closeMs)
    expect(dd?.lowMs).toBe(trades[3].closeMs)
    // (100 + 10 − (100 + 0)) / (100 + 10)
    expect(dd?.relativeAccountDrawdown).toBe(10 / 110)
  })

  test('no drawdown when the worst point is the first trade', () => {
    expect(
      maxDrawdown([
        { closeMs: 1, value: 5 },
        { closeMs: 2, value: 1 },
      ]),
    ).toBeUndefined()
    expect(maxDrawdown([])).toBeUndefined()
  })

  test('csum range: balance plus the lowest and highest cumulative profit', () => {
    expect(csumRange(profits, SB)).toEqual({ min: 100, max: 110 })
  })
})

describe('ratios', () => {
  test('expectancy: 3/5 × 5 − 2/5 × 6.5 = 0.4; ratio (1 + 5/6.5) × 0.6 − 1', () => {
    const e = expectancy(profits)
    expect(e.expectancy).toBeCloseTo(0.4, 12)
    expect(e.expectancyRatio).toBeCloseTo((1 + 5 / 6.5) * 0.6 - 1, 12)
    expect(expectancy([1, 2]).expectancyRatio).toBe(100)
  })

  test('profit factor 15 / 13, 0 without losses', () => {
    expect(profitFactor(profits)).toBe(15 / 13)
    expect(profitFactor([1, 2])).toBe(0)
  })

  test('Sharpe, Sortino, Calmar over 4 whole days, CAGR, SQN', () => {
    const start = trades[0].openMs
    const end = start + 4 * DAY + 3_600_000 // 4 days and an hour → 4 whole days
    // returns 0.1, −0.05, 0.03, −0.08, 0.02: sum 0.02, population variance 0.02012 / 5 = 0.004024
    expect(sharpe(trades, start, end, SB)).toBeCloseTo((0.02 / 4 / Math.sqrt(0.004024)) * Math.sqrt(365), 10)
    // losing returns −0.05, −0.08: population std 0.015
    expect(sortino(trades, start, end, SB)).toBeCloseTo((0.02 / 4 / 0.015) * Math.sqrt(365), 10)
    // (0.02 / 4 × 100) / (10 / 110) × √365
    expect(calmar(trades, start, end, SB)).toBeCloseTo(((0.02 / 4) * 100 * Math.sqrt(365)) / (10 / 110), 10)
    expect(cagr(4, 100, 102)).toBeCloseTo(1.02 ** (365 / 4) - 1, 10)
    expect(cagr(4, 100, -1)).toBe(0)
    // √5 × mean 0.004 / sample std √(0.02012 / 4)
    expect(sqn(trades, SB)).toBe(Number(((Math.sqrt(5) * 0.004) / Math.sqrt(0.02012 / 4)).toFixed(4)))
    expect(sharpe([], start, end, SB)).toBe(0)
  })
})

describe('result lines and tables', () => {
  test('a result line sums ratios and profits; average duration 66 min = 1:06:00', () => {
    const l = resultLine(trades, SB, 'TOTAL')
    expect(l.trades).toBe(5)
    expect(l.profit_sum).toBeCloseTo(0.02, 15)
    expect(l.profit_total_abs).toBe(2)
    expect(l.profit_total).toBe(0.02)
    expect(l.profit_total_pct).toBe(2)
    expect(l.profit_mean_pct).toBe(0.4)
    expect(l.duration_avg).toBe('1:06:00')
    expect([l.wins, l.draws, l.losses]).toEqual([3, 0, 2])
    expect(l.winrate).toBe(0.6)
  })

  test('per pair, best first, TOTAL last; tags skip trades without a tag', () => {
    const pairs = pairResults(['A/USDT', 'B/USDT', 'C/USDT'], trades, SB)
    // A: +10 +3 +2 = 15; B: −5 −8 = −13; C: none
    expect(pairs.map((l) => [l.key, l.profit_total_abs])).toEqual([
      ['A/USDT', 15],
      ['C/USDT', 0],
      ['B/USDT', -13],
      ['TOTAL', 2],
    ])
    const tags = tagResults(trades, SB, (t) => t.enterTag ?? undefined)
    expect(tags.map((l) => [l.key, l.trades])).toEqual([
      ['x', 2],
      ['TOTAL', 5],
    ])
  })

  test('durations print as Python timedeltas; rounding ties go to even', () => {
    expect(timedeltaText(13_200)).toBe('3:40:00')
    expect(timedeltaText(107_820)).toBe('1 day, 5:57:00')
    expect(timedeltaText(2 * 86_400 + 5100)).toBe('2 days, 1:25:00')
    expect(pyRound(2.5)).toBe(2)
    expect(pyRound(3.5)).toBe(4)
  })
})

describe('periodic tables', () => {
  test('labels: the day, the Monday ending the week, the month end, 31 December', () => {
    const tue = Date.UTC(2024, 0, 2, 10)
    expect(periodLabel(tue, 'day')).toBe(Date.UTC(2024, 0, 2))
    expect(periodLabel(tue, 'week')).toBe(Date.UTC(2024, 0, 8))
    expect(periodLabel(Date.UTC(2024, 0, 1, 10), 'week')).toBe(Date.UTC(2024, 0, 1))
    expect(periodLabel(tue, 'month')).toBe(Date.UTC(2024, 0, 31))
    expect(periodLabel(tue, 'year')).toBe(Date.UTC(2024, 11, 31))
  })

  test('breakdown rows per day and week; daily stats count winning and losing days', () => {
    const b = allPeriodicBreakdowns(trades)
    expect(b.day.map((d) => [d.date, d.profit_abs])).toEqual([
      ['01/01/2024', 10],
      ['02/01/2024', -5],
      ['03/01/2024', 3],
      ['04/01/2024', -8],
      ['05/01/2024', 2],
    ])
    // week ending Mon 1 Jan: +10; week ending Mon 8 Jan: −5 + 3 − 8 + 2 = −8, profit factor 5 / 13
    expect(b.week.map((w) => [w.date, w.profit_abs, w.trades])).toEqual([
      ['01/01/2024', 10, 1],
      ['08/01/2024', -8, 4],
    ])
    expect(b.week[1].profit_factor).toBe(Number((5 / 13).toFixed(8)))
    expect(b.month).toHaveLength(1)
    const d = dailyStats(trades)
    expect([d.winning_days, d.draw_days, d.losing_days]).toEqual([3, 0, 2])
    expect(d.backtest_best_day_abs).toBe(10)
    expect(d.backtest_worst_day_abs).toBe(-8)
    expect(d.daily_profit[0]).toEqual(['2024-01-01', 10])
  })

  test('weekday rows: Monday first, days without trades left out, the name and number of the day', () => {
    // Mon 1 Jan +10, Tue −5, Wed +3, Thu −8, Fri +2, and one more on Mon 8 Jan: −4 at 23:59 UTC
    const more: ClosedTrade = { ...trades[0], profitAbs: -4, profitRatio: -0.04, closeMs: Date.UTC(2024, 0, 8, 23, 59) }
    const w = allPeriodicBreakdowns([...trades, more]).weekday
    expect(w.map((d) => [d.date, d.date_ts, d.trades, d.profit_abs])).toEqual([
      ['Monday', 0, 2, 6],
      ['Tuesday', 1, 1, -5],
      ['Wednesday', 2, 1, 3],
      ['Thursday', 3, 1, -8],
      ['Friday', 4, 1, 2],
    ])
    // Monday: a win of 10 against a loss of 4
    expect(w[0].profit_factor).toBe(2.5)
    expect([w[0].wins, w[0].draws, w[0].losses]).toEqual([1, 0, 1])
    // a Sunday close (7 Jan 2024) is the last row, number 6
    const sunday: ClosedTrade = { ...trades[0], closeMs: Date.UTC(2024, 0, 7, 12) }
    expect(allPeriodicBreakdowns([sunday]).weekday.map((d) => [d.date, d.date_ts])).toEqual([['Sunday', 6]])
  })

  test('trading stats: winners and losers by ratio, holding times, streaks', () => {
    const s = tradingStats(trades)
    expect([s.wins, s.losses, s.draws]).toEqual([3, 2, 0])
    // winners 60, 30, 75 → mean 55 min; losers 120, 45 → 82.5 → 82 (ties to even)
    expect(s.winner_holding_avg).toBe('0:55:00')
    expect(s.loser_holding_avg).toBe('1:22:00')
    expect(s.holding_avg_s).toBe(66 * 60)
    expect([s.max_consecutive_wins, s.max_consecutive_losses]).toEqual([1, 1])
  })
})

describe('market change', () => {
  const date = Float64Array.from([0, 300_000, 600_000])
  const a = { date, close: Float64Array.from([10, 11, 12.1]) }
  const b = { date, close: Float64Array.from([20, 18, 18]) }

  test('per pair first-to-last change, averaged: (+21 % − 10 %) / 2', () => {
    expect(marketChange([a.close, b.close])).toBeCloseTo((0.21 - 0.1) / 2, 12)
  })

  test('series: mean close, pair count, cumulative mean change', () => {
    // candle 1: +10 % and −10 % → 0; candle 2: +10 % and 0 % → +5 %
    const rows = marketChangeSeries([a, b])
    expect(rows.map((r) => r.count)).toEqual([2, 2, 2])
    expect(rows.map((r) => r.mean)).toEqual([15, 14.5, 15.05])
    expect(rows[0].relMean).toBe(0)
    expect(rows[1].relMean).toBeCloseTo(0, 12)
    expect(rows[2].relMean).toBeCloseTo(0.05, 12)
  })
})

describe('profitTotalsBy (the API performance tables)', () => {
  test('sums ratio and absolute profit per key, best absolute first, groups in first-seen order on ties', () => {
    const rows = [
      { pair: 'A', r: 0.1, a: 10 },
      { pair: 'B', r: -0.05, a: -5 },
      { pair: 'A', r: 0.02, a: 2.5 },
      { pair: 'C', r: 0.01, a: 1 },
      { pair: 'D', r: 0.01, a: 1 },
    ]
    const totals = profitTotalsBy(
      rows,
      (t) => t.pair,
      (t) => t.r,
      (t) => t.a,
    )
    // A: 0.1 + 0.02 = 0.12 and 10 + 2.5 = 12.5 over 2 trades; C and D tie at 1 and keep their order
    expect(totals.map((g) => g.key)).toEqual(['A', 'C', 'D', 'B'])
    expect(totals[0]).toEqual({ key: 'A', ratio: 0.1 + 0.02, abs: 12.5, count: 2 })
    expect(totals[3]).toEqual({ key: 'B', ratio: -0.05, abs: -5, count: 1 })
  })
})
