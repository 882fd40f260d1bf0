import { describe, expect, test } from 'bun:test'
import {
  allPeriodicBreakdownsOf,
  allTrades,
  type ClosedTrade,
  closeDays,
  dailyStatsOf,
  maxDrawdownOf,
  median,
  mixTagResultsOf,
  pairResults,
  pairResultsOf,
  resultLine,
  resultLineOf,
  tradeColumns,
  tradingStatsOf,
} from '../../../src/metrics/index.ts'

const cols = (closeMs: number[], profits: number[]) => ({
  closeMs: Float64Array.from(closeMs),
  profits: Float64Array.from(profits),
})

function trade(closeMs: number, profitAbs: number, over: Partial<ClosedTrade> = {}): ClosedTrade {
  return {
    pair: 'A/USDT',
    profitRatio: profitAbs / 100,
    profitAbs,
    openMs: closeMs - 3_600_000,
    closeMs,
    durationMinutes: 60,
    stakeAmount: 100,
    enterTag: null,
    exitReason: 'roi',
    ...over,
  }
}

describe('drawdown over columns', () => {
  test('trades out of close order are walked by close date', () => {
    // by close date: +5, +2, −4, −6 → cumulative 5, 7, 3, −3; peak 7 at t=20, trough −3 at t=40
    const { closeMs, profits } = cols([30, 10, 20, 40], [-4, 5, 2, -6])
    const dd = maxDrawdownOf(closeMs, profits, undefined)
    expect(dd).toEqual({
      drawdownAbs: 10,
      highMs: 20,
      lowMs: 40,
      highValue: 7,
      lowValue: -3,
      relativeAccountDrawdown: 10 / 7,
    })
    // against a balance of 100: (107 − 97) / 107
    expect(maxDrawdownOf(closeMs, profits, undefined, 100)?.relativeAccountDrawdown).toBe(10 / 107)
    // only trades 0, 2, 3: +2 (t=20), −4 (t=30), −6 (t=40) → cumulative 2, −2, −8
    const sub = maxDrawdownOf(closeMs, profits, Int32Array.from([0, 2, 3]))
    expect([sub?.drawdownAbs, sub?.highMs, sub?.lowMs, sub?.highValue, sub?.lowValue]).toEqual([10, 20, 40, 2, -8])
  })

  test('trades closing at the same time keep their order', () => {
    // stable: +1 then −3 (both t=10), then +5 → cumulative 1, −2, 3: a fall of 3 at t=10
    const { closeMs, profits } = cols([20, 10, 10], [5, 1, -3])
    const dd = maxDrawdownOf(closeMs, profits, undefined)
    expect([dd?.drawdownAbs, dd?.highMs, dd?.lowMs, dd?.highValue, dd?.lowValue]).toEqual([3, 10, 10, 1, -2])
    // the other way round (−3 first) there is no fall after a peak
    expect(maxDrawdownOf(Float64Array.from([20, 10, 10]), Float64Array.from([5, -3, 1]), undefined)).toBeUndefined()
  })
})

describe('median', () => {
  test('middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median(Float64Array.from([4, 1, 3, 2]))).toBe(2.5)
    expect(median([])).toBe(0)
  })

  test('zeros in the middle keep the sign the stable sort gives them', () => {
    expect(Object.is(median([0, -0, 5]), -0)).toBe(true)
    expect(Object.is(median([-0, 0, 5]), 0)).toBe(true)
  })
})

describe('group tables over columns', () => {
  const SB = 100
  const trades = [
    trade(1_000, 10, { pair: 'A/USDT', enterTag: 'b', exitReason: 'roi' }),
    trade(2_000, -5, { pair: 'B/USDT', enterTag: 'a', exitReason: 'stop_loss' }),
    trade(3_000, 1, { pair: 'A/USDT', enterTag: 'a', exitReason: 'roi' }),
    trade(4_000, 1, { pair: 'B/USDT', enterTag: 'a', exitReason: 'stop_loss' }),
  ]
  const c = tradeColumns(trades)

  test('a line over an index subset: trades 0 and 2 of pair A', () => {
    const l = resultLineOf(c, Int32Array.from([0, 2]), SB, 'A/USDT')
    expect([l.trades, l.profit_total_abs, l.profit_sum, l.wins, l.losses]).toEqual([2, 11, 0.11, 2, 0])
    expect(l).toEqual(resultLine([trades[0], trades[2]], SB, 'A/USDT'))
  })

  test('a given TOTAL line is copied, not shared', () => {
    const total = resultLineOf(c, allTrades(c.length), SB, 'TOTAL')
    expect(total.profit_total_abs).toBe(7)
    const lines = pairResultsOf(c, allTrades(c.length), ['A/USDT', 'B/USDT'], SB, false, total)
    expect(lines).toEqual(pairResults(['A/USDT', 'B/USDT'], trades, SB))
    expect(lines[2]).toEqual(total)
    expect(lines[2]).not.toBe(total)
  })

  test('mixed tags: key order by their JSON text, then by profit (ties keep key order)', () => {
    // (a, roi) +1, (a, stop_loss) −5 + 1 = −4, (b, roi) +10
    const lines = mixTagResultsOf(c, SB)
    expect(lines.map((l) => [l.key, l.profit_total_abs])).toEqual([
      [['b', 'roi'], 10],
      [['a', 'roi'], 1],
      [['a', 'stop_loss'], -4],
      ['TOTAL', 7],
    ])
  })
})

describe('periodic tables over columns', () => {
  const D = 86_400_000
  // Sat 30 Dec 2023 +2, Tue 2 Jan 2024 −1 and +0, Fri 1 Mar 2024 (after 29 Feb) +4
  const trades = [
    trade(Date.UTC(2023, 11, 30, 12), 2),
    trade(Date.UTC(2024, 0, 2, 1), -1),
    trade(Date.UTC(2024, 0, 2, 2), 0, { profitRatio: 0 }),
    trade(Date.UTC(2024, 2, 1, 23, 59), 4),
  ]
  const c = tradeColumns(trades)
  const days = closeDays(c)

  test('close days counted from the first', () => {
    expect(days.first).toBe(Date.UTC(2023, 11, 30) / D)
    expect(Array.from(days.day)).toEqual([0, 3, 3, 62])
  })

  test('every period from the first to the last, empty ones too, across a year end and a leap month', () => {
    const b = allPeriodicBreakdownsOf(c, days)
    // 30 Dec … 1 Mar: 2 + 31 + 29 + 1 days
    expect(b.day).toHaveLength(63)
    expect(b.day[3]).toEqual({
      date: '02/01/2024',
      date_ts: Date.UTC(2024, 0, 2),
      profit_abs: -1,
      wins: 0,
      draws: 1,
      losses: 1,
      trades: 2,
      profit_factor: 0,
    })
    // weeks end on Mondays: 1 Jan (holds Sat 30 Dec), 8 Jan, ..., 4 Mar
    expect(b.week.map((w) => w.date)).toEqual([
      '01/01/2024',
      '08/01/2024',
      '15/01/2024',
      '22/01/2024',
      '29/01/2024',
      '05/02/2024',
      '12/02/2024',
      '19/02/2024',
      '26/02/2024',
      '04/03/2024',
    ])
    expect(b.week.map((w) => w.profit_abs)).toEqual([2, -1, 0, 0, 0, 0, 0, 0, 0, 4])
    expect(b.month.map((m) => [m.date, m.profit_abs, m.trades])).toEqual([
      ['31/12/2023', 2, 1],
      ['31/01/2024', -1, 2],
      ['29/02/2024', 0, 0],
      ['31/03/2024', 4, 1],
    ])
    expect(b.year.map((y) => [y.date, y.date_ts, y.profit_abs])).toEqual([
      ['31/12/2023', Date.UTC(2023, 11, 31), 2],
      ['31/12/2024', Date.UTC(2024, 11, 31), 3],
    ])
  })

  test('daily stats: days without trades are draw days', () => {
    const d = dailyStatsOf(c, days)
    expect([d.winning_days, d.draw_days, d.losing_days]).toEqual([2, 60, 1])
    expect(d.daily_profit[0]).toEqual(['2023-12-30', 2])
    expect(d.daily_profit[62]).toEqual(['2024-03-01', 4])
    expect([d.backtest_best_day_abs, d.backtest_worst_day_abs]).toEqual([4, -1])
    expect(d.backtest_best_day).toBe(0.04)
  })

  test('trading stats: the even trade breaks both streaks', () => {
    const s = tradingStatsOf(c)
    expect([s.wins, s.losses, s.draws, s.max_consecutive_wins, s.max_consecutive_losses]).toEqual([2, 1, 1, 1, 1])
    expect(s.holding_avg).toBe('1:00:00')
  })
})
