import { describe, expect, test } from 'bun:test'
import { columnSpares, frameBuffers, newColumn, newNaNColumn, recycleColumns } from '../../../src/frame/columns.ts'
import { Frame } from '../../../src/frame/frame.ts'

describe('recycled columns', () => {
  test('a new column reuses a handed-back buffer of its size, cleared to zeros or NaNs', () => {
    const old = new Float64Array(1234).fill(7)
    recycleColumns([old.buffer])
    const before = columnSpares()
    const zeros = newColumn(1234)
    expect(zeros.buffer).toBe(old.buffer)
    expect(zeros.every((x) => x === 0)).toBe(true)
    expect(columnSpares().reused).toBe(before.reused + 1)
    expect(columnSpares().bytes).toBe(before.bytes - 1234 * 8)

    recycleColumns([zeros.buffer])
    zeros.fill(3)
    const nans = newNaNColumn(1234)
    expect(nans.buffer).toBe(zeros.buffer)
    expect(nans.every((x) => Number.isNaN(x))).toBe(true)
  })

  test('without a spare of that size a column is new memory', () => {
    recycleColumns([new Float64Array(10).buffer])
    const before = columnSpares().reused
    const c = newColumn(11)
    expect(c.length).toBe(11)
    expect(columnSpares().reused).toBe(before)
    // the 10-value spare is still there for a 10-value column
    expect(newColumn(10).length).toBe(10)
    expect(columnSpares().reused).toBe(before + 1)
  })

  test('shared, empty and detached buffers are not taken', () => {
    const before = columnSpares().bytes
    const moved = new ArrayBuffer(64)
    structuredClone(moved, { transfer: [moved] })
    recycleColumns([new SharedArrayBuffer(64), new ArrayBuffer(0), moved])
    expect(columnSpares().bytes).toBe(before)
  })

  test('frameBuffers lists each column buffer once, across frames, and never a larger buffer behind a view', () => {
    const df = new Frame(4)
    const a = new Float64Array(4)
    const big = new Float64Array(8)
    df.set('a', a)
    df.set('same', a)
    df.set('view', big.subarray(4))
    df.set('b', new Float64Array(4))
    const other = new Frame(4)
    other.set('a', a)
    // the frame copied the repeated and the view column; the second frame shares the first one's column
    const buffers = frameBuffers([df, other])
    expect(buffers.length).toBe(4)
    expect(new Set(buffers).size).toBe(4)
    expect(buffers).toContain(a.buffer)
    expect(buffers).not.toContain(big.buffer)
    expect(buffers.every((b) => b.byteLength === 32)).toBe(true)
  })
})
