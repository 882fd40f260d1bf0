import { describe, expect, test } from 'bun:test'
import { Frame, type TransferableFrame } from '../../../src/frame/frame.ts'
import type { OhlcvColumns } from '../../../src/frame/ohlcv.ts'

const HOUR = 3_600_000
const T0 = Date.UTC(2024, 0, 1)

function candles(n: number): OhlcvColumns {
  const col = (fn: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => fn(i))
  return {
    date: col((i) => T0 + i * HOUR),
    open: col((i) => 100 + i),
    high: col((i) => 101 + i),
    low: col((i) => 99 + i),
    close: col((i) => 100.5 + i),
    volume: col((i) => 10 * (i + 1)),
  }
}

describe('Frame columns', () => {
  test('fromOhlcv holds the six columns in order, with the candles length', () => {
    const df = Frame.fromOhlcv(candles(4))
    expect(df.length).toBe(4)
    expect(df.columns()).toEqual(['date', 'open', 'high', 'low', 'close', 'volume'])
    expect(Array.from(df.col('close'))).toEqual([100.5, 101.5, 102.5, 103.5])
    expect(df.has('close')).toBe(true)
    expect(df.has('rsi')).toBe(false)
  })

  test('col names the missing column and lists the existing ones', () => {
    const df = Frame.fromOhlcv(candles(2))
    expect(() => df.col('ema_fast')).toThrow(
      "frame has no column 'ema_fast' (columns: date, open, high, low, close, volume)",
    )
  })

  test('set adds number[] and Float64Array columns in insertion order, and replaces in place', () => {
    const df = Frame.fromOhlcv(candles(3))
    df.set('enter_long', [0, 1, 0]).set('ema', new Float64Array([1, 2, 3]))
    df.set('enter_long', [1, 1, 0])
    expect(df.columns().slice(6)).toEqual(['enter_long', 'ema'])
    expect(df.col('enter_long')).toBeInstanceOf(Float64Array)
    expect(Array.from(df.col('enter_long'))).toEqual([1, 1, 0])
  })

  test('set refuses a column of the wrong length, naming it', () => {
    const df = Frame.fromOhlcv(candles(3))
    expect(() => df.set('ema', [1, 2])).toThrow("column 'ema' has length 2, the frame has length 3")
  })

  test('a view or a buffer used by another column is copied, so each column owns its buffer', () => {
    const df = Frame.fromOhlcv(candles(3))
    const big = new Float64Array([9, 8, 7, 6])
    df.set('view', big.subarray(1))
    expect(Array.from(df.col('view'))).toEqual([8, 7, 6])
    expect(df.col('view').buffer).not.toBe(big.buffer)
    df.set('same', df.col('close'))
    expect(df.col('same').buffer).not.toBe(df.col('close').buffer)
    // An array that owns its buffer is adopted without a copy.
    const own = new Float64Array(3)
    df.set('own', own)
    expect(df.col('own')).toBe(own)
  })

  test('slice copies rows start..end of every column', () => {
    const df = Frame.fromOhlcv(candles(5)).set('x', [1, 2, 3, 4, 5])
    const part = df.slice(1, 3)
    expect(part.length).toBe(2)
    expect(part.columns()).toEqual(df.columns())
    expect(Array.from(part.col('x'))).toEqual([2, 3])
    expect(Array.from(df.slice(-2).col('open'))).toEqual([103, 104])
    part.col('x')[0] = 99
    expect(df.col('x')[1]).toBe(2)
  })
})

describe('transfer to a worker', () => {
  test('toTransferable -> postMessage with the buffers transferred -> fromTransferable, and back', async () => {
    const src = candles(1000)
    const df = Frame.fromOhlcv(src).set(
      'signal',
      Float64Array.from({ length: 1000 }, (_, i) => i % 2),
    )
    const expectedClose = df.col('close').slice()
    const t = df.toTransferable()
    expect(t.names).toEqual(['date', 'open', 'high', 'low', 'close', 'volume', 'signal'])

    const worker = new Worker(new URL('./transfer-worker.ts', import.meta.url).href)
    try {
      const reply = new Promise<TransferableFrame>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<TransferableFrame>) => resolve(e.data)
        worker.onerror = (e) => reject(e)
      })
      worker.postMessage(t, t.buffers)
      // Transferred, not copied: the sender's buffers are detached.
      for (const b of t.buffers) expect(b.byteLength).toBe(0)
      expect(src.close.byteLength).toBe(0)

      const back = Frame.fromTransferable(await reply)
      expect(back.length).toBe(1000)
      expect(back.columns()).toEqual([...t.names, 'close_x2'])
      expect(back.col('close')).toEqual(expectedClose)
      expect(back.col('close_x2')[999]).toBe(2 * (100.5 + 999))
      expect(back.col('date')[1]).toBe(T0 + HOUR)
      expect(back.col('signal')[3]).toBe(1)
    } finally {
      worker.terminate()
    }
  })

  test('fromTransferable checks that names and buffers pair up', () => {
    expect(() => Frame.fromTransferable({ names: ['a', 'b'], buffers: [new ArrayBuffer(8)] })).toThrow(
      'transferable frame has 2 names but 1 buffers',
    )
  })
})
