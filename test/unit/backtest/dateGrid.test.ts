import { describe, expect, test } from 'bun:test'
import { DateGrid } from '../../../src/backtest/dateGrid.ts'

const STEP = 300_000

describe('DateGrid', () => {
  test('pairs over the same span share one array of dates', () => {
    const grid = new DateGrid()
    const a = grid.view({ startMs: 3_000_000, count: 4, stepMs: STEP })
    const b = grid.view({ startMs: 3_000_000, count: 4, stepMs: STEP })
    expect([...a]).toEqual([3_000_000, 3_300_000, 3_600_000, 3_900_000])
    expect(b.buffer).toBe(a.buffer)
    // a shorter span inside is a view of the same array
    const c = grid.view({ startMs: 3_300_000, count: 2, stepMs: STEP })
    expect([...c]).toEqual([3_300_000, 3_600_000])
    expect(c.buffer).toBe(a.buffer)
  })

  test('a span reaching outside widens the grid; views given before keep their dates', () => {
    const grid = new DateGrid()
    const a = grid.view({ startMs: 3_000_000, count: 2, stepMs: STEP })
    const wider = grid.view({ startMs: 2_400_000, count: 6, stepMs: STEP })
    expect([...wider]).toEqual([2_400_000, 2_700_000, 3_000_000, 3_300_000, 3_600_000, 3_900_000])
    expect([...a]).toEqual([3_000_000, 3_300_000])
    const inside = grid.view({ startMs: 3_000_000, count: 2, stepMs: STEP })
    expect(inside.buffer).toBe(wider.buffer)
    // another timeframe starts a grid of its own
    expect([...grid.view({ startMs: 3_000_000, count: 3, stepMs: 60_000 })]).toEqual([3_000_000, 3_060_000, 3_120_000])
  })
})
