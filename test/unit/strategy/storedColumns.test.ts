import { describe, expect, test } from 'bun:test'
import { takeColumn } from '../../../src/frame/columns.ts'
import { Frame } from '../../../src/frame/frame.ts'
import { asCodes, asFlags, gridSpan, keptColumns } from '../../../src/strategy/storedColumns.ts'
import { TagColumn, tagAt, tagDictionaries } from '../../../src/strategy/tags.ts'

// Sizes no other test on this thread uses, so the spares seen here are the ones recycled here.
const N = 4_321

function frame(): Frame {
  const df = new Frame(N)
  df.set('close', new Float64Array(N).fill(2))
  df.set('ema', new Float64Array(N).fill(3))
  df.set('enter_tag', new Float64Array(N).fill(Number.NaN))
  const exitTag = new Float64Array(N).fill(Number.NaN)
  exitTag[N - 1] = 0
  df.set('exit_tag', exitTag)
  return df
}

describe('columns a stored analysis returns', () => {
  test('`keep` names them; `dropEmpty` ones go only when they hold a value; the rest become spares', () => {
    const df = frame()
    const ema = df.col('ema')
    const enterTag = df.col('enter_tag')
    const { frame: kept, narrow } = keptColumns(df, {
      keep: ['close', 'enter_tag', 'exit_tag'],
      dropEmpty: ['enter_tag', 'exit_tag'],
    })
    expect(narrow).toBeUndefined()
    expect(kept.columns()).toEqual(['close', 'exit_tag'])
    expect(kept.col('close')).toBe(df.col('close'))
    // the dropped columns' buffers are handed out again
    const reused = [takeColumn(N), takeColumn(N)].map((c) => c.buffer)
    expect(new Set(reused)).toEqual(new Set([ema.buffer, enterTag.buffer]))
    // and nothing more was recycled: a third column of this size is new memory
    const third = takeColumn(N)
    expect([ema.buffer, enterTag.buffer, kept.col('close').buffer]).not.toContain(third.buffer)
  })

  test('signal columns come back as bytes and tag columns as Int32 codes, their Float64 buffers recycled', () => {
    const n = N + 3
    const df = new Frame(n)
    df.set('close', new Float64Array(n).fill(1))
    const enter = new Float64Array(n)
    enter[5] = 1
    enter[6] = Number.NaN
    enter[7] = 2 // not a signal: rules read `=== 1`
    df.set('enter_long', enter)
    TagColumn.of(df, 'enter_tag').set(5, 'dip')
    TagColumn.of(df, 'enter_tag').set(9, 'breakout')
    const { frame: kept, narrow } = keptColumns(df, {
      keep: ['close', 'enter_long', 'enter_tag'],
      asFlags: ['enter_long', 'exit_long'],
      asCodes: ['enter_tag', 'exit_tag'],
    })
    expect(kept.columns()).toEqual(['close'])
    expect(Object.keys(narrow?.flags ?? {})).toEqual(['enter_long'])
    const flags = narrow?.flags.enter_long as Uint8Array
    expect([flags[4], flags[5], flags[6], flags[7]]).toEqual([0, 1, 0, 0])
    expect(flags.reduce((a, b) => a + b, 0)).toBe(1)
    const codes = narrow?.codes.enter_tag
    expect(codes).toBeInstanceOf(Int8Array) // two tags: a byte a row
    expect([codes?.[4], codes?.[5], codes?.[9]]).toEqual([-1, 0, 1])
    // the names of the coded tags ride with the frame
    expect(tagDictionaries(kept)).toEqual({ enter_tag: ['dip', 'breakout'] })
    const recycled = new Set([takeColumn(n).buffer, takeColumn(n).buffer])
    expect(recycled).toEqual(new Set([enter.buffer, df.col('enter_tag').buffer]))
  })

  test('asFlags and asCodes on their own', () => {
    expect([...asFlags(Float64Array.from([0, 1, Number.NaN, 1, 0.5]))]).toEqual([0, 1, 0, 1, 0])
    expect([...asCodes(Float64Array.from([Number.NaN, 0, 3]))]).toEqual([-1, 0, 3])
    // the narrowest type holding the largest code: a strategy with hundreds or thousands of distinct tags
    const wide = (most: number) => asCodes(Float64Array.from([Number.NaN, 0, most]))
    expect(wide(127)).toBeInstanceOf(Int8Array)
    expect([...wide(128)]).toEqual([-1, 0, 128])
    expect(wide(128)).toBeInstanceOf(Int16Array)
    expect([...wide(40_000)]).toEqual([-1, 0, 40_000])
    expect(wide(40_000)).toBeInstanceOf(Int32Array)
  })

  test('a buffer a kept column also uses is not recycled', () => {
    const df = new Frame(N + 1)
    const close = new Float64Array(N + 1).fill(5)
    df.set('close', close)
    df.set('alias', close) // a strategy may set one array under two names
    df.set('view', close.subarray(0)) // or a view of it
    keptColumns(df, { keep: ['close'] })
    expect(takeColumn(N + 1).buffer).not.toBe(close.buffer)
    expect(close.every((x) => x === 5)).toBe(true)
  })

  test('a protected buffer (informative candles a strategy set as a column) is not recycled', () => {
    const n = N + 5
    const df = new Frame(n)
    df.set('close', new Float64Array(n))
    const informativeClose = new Float64Array(n).fill(9)
    df.set('btc_close', informativeClose)
    keptColumns(df, { keep: ['close'] }, new Set([informativeClose.buffer]))
    expect(takeColumn(n).buffer).not.toBe(informativeClose.buffer)
    expect(informativeClose.every((x) => x === 9)).toBe(true)
  })

  test('the cut frame keeps the tag names of its tag columns', () => {
    const df = new Frame(N + 2)
    df.set('close', new Float64Array(N + 2))
    TagColumn.of(df, 'enter_tag').set(3, 'breakout')
    TagColumn.of(df, 'exit_tag').set(4, 'fade')
    const { frame: kept } = keptColumns(df, { keep: ['close', 'enter_tag'] })
    expect(tagAt(kept, 'enter_tag', 3)).toBe('breakout')
    expect(tagAt(kept, 'enter_tag', 4)).toBeUndefined()
    expect(tagDictionaries(kept)).toEqual({ enter_tag: ['breakout'] })
  })

  test('without any option the frame is returned as it is', () => {
    const df = frame()
    expect(keptColumns(df, {}).frame).toBe(df)
  })

  test('a regular date grid stays behind (`gridDates`): only where it starts goes back, its buffer is recycled', () => {
    const M = 1_234 // a size of its own, so that the spare seen here is this test's
    const step = 300_000
    const start = 1_700_000_100_000 // a multiple of 5 minutes
    const dates = new Float64Array(M)
    for (let i = 0; i < M; i++) dates[i] = start + i * step
    const df = new Frame(M)
    df.set('date', dates)
    df.set('close', new Float64Array(M).fill(2))
    const kept = keptColumns(df, { keep: ['date', 'close'], gridDates: step })
    expect(kept.frame.columns()).toEqual(['close'])
    expect(kept.dates).toEqual({ startMs: start, count: M, stepMs: step })
    expect(takeColumn(M).buffer).toBe(dates.buffer)
    // not asked for, or not kept: the column stays as it is
    expect(keptColumns(df, { keep: ['date', 'close'] }).dates).toBeUndefined()
    expect(keptColumns(df, { keep: ['close'], gridDates: step }).frame.columns()).toEqual(['close'])
  })

  test('dates with a gap, off the grid, or in steps of another timeframe go back as a column', () => {
    const step = 60_000
    const regular = Float64Array.from({ length: 10 }, (_, i) => 600_000 + i * step)
    expect(gridSpan(regular, step)).toEqual({ startMs: 600_000, count: 10, stepMs: step })
    const gap = regular.slice()
    gap[5] += step
    expect(gridSpan(gap, step)).toBeUndefined()
    // a first candle at 10:00:30 is not on the minute grid
    expect(
      gridSpan(
        regular.map((d) => d + 30_000),
        step,
      ),
    ).toBeUndefined()
    expect(gridSpan(regular, 2 * step)).toBeUndefined()
    expect(gridSpan(new Float64Array(0), step)).toBeUndefined()
    const df = new Frame(10)
    df.set('date', gap)
    const kept = keptColumns(df, { keep: ['date'], gridDates: step })
    expect(kept.dates).toBeUndefined()
    expect(kept.frame.col('date')).toBe(gap)
  })
})
