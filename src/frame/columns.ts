import type { Frame } from './frame.ts'

/**
 * New columns for indicators and frame operations, made from buffers handed back when possible. Memory never
 * touched before costs a page fault per 4 kB on first write (several times a plain write on a virtual machine), and
 * an analysis writes several new columns per pair: an analyzer that gets the buffers of frames its caller is done
 * with (`Analyzer.release`) makes the next analyses write into memory that is already there. Per thread: each worker
 * has its own spares.
 */

/** Spare buffers by byte length. */
const spares = new Map<number, ArrayBuffer[]>()
let spareBytes = 0
let reused = 0

/** Buffers that must never become spares: memory mapped from a file, where each first write copies a page. */
const unrecyclable = new WeakSet<ArrayBufferLike>()

/** Marks a buffer as one `recycleColumns` leaves alone. */
export function neverRecycle(buffer: ArrayBufferLike): void {
  unrecyclable.add(buffer)
}

/** Spares kept at most; more are left to the garbage collector. */
const MAX_SPARE_BYTES = 256 * 2 ** 20

/** A spare buffer of exactly `bytes`, or undefined. */
function takeSpare(bytes: number): ArrayBuffer | undefined {
  const buffer = spares.get(bytes)?.pop()
  if (buffer === undefined) return undefined
  spareBytes -= buffer.byteLength
  reused++
  return buffer
}

/** A column of `n` zeros. */
export function newColumn(n: number): Float64Array {
  const buffer = takeSpare(n * Float64Array.BYTES_PER_ELEMENT)
  return buffer === undefined ? new Float64Array(n) : new Float64Array(buffer).fill(0)
}

/** A column of `n` NaNs (an indicator's warm-up rows stay NaN). */
export function newNaNColumn(n: number): Float64Array {
  const buffer = takeSpare(n * Float64Array.BYTES_PER_ELEMENT)
  return (buffer === undefined ? new Float64Array(n) : new Float64Array(buffer)).fill(Number.NaN)
}

/**
 * A column of `n` values holding whatever its reused buffer held (zeros when new): only for a writer that sets every
 * value before anything reads it, such as a decoder.
 */
export function takeColumn(n: number): Float64Array {
  const buffer = takeSpare(n * Float64Array.BYTES_PER_ELEMENT)
  return buffer === undefined ? new Float64Array(n) : new Float64Array(buffer)
}

/**
 * Takes buffers nothing reads any more as spares for new columns. The caller gives up every view of them: a buffer
 * given twice, or still read elsewhere, would be written by two owners. Shared and zero-length buffers are ignored.
 */
export function recycleColumns(buffers: Iterable<ArrayBufferLike>): void {
  for (const b of buffers) {
    if (!(b instanceof ArrayBuffer) || b.byteLength === 0 || b.detached || unrecyclable.has(b)) continue
    if (spareBytes + b.byteLength > MAX_SPARE_BYTES) return
    let list = spares.get(b.byteLength)
    if (list === undefined) {
      list = []
      spares.set(b.byteLength, list)
    }
    list.push(b)
    spareBytes += b.byteLength
  }
}

/** Bytes held as spares on this thread, and how many columns were made from spares so far (for tests and logs). */
export function columnSpares(): { bytes: number; reused: number } {
  return { bytes: spareBytes, reused }
}

/**
 * The buffers behind the frames' columns, each once, that a column fills alone (a view into a larger buffer is left
 * out): what a caller done with the frames can hand back.
 */
export function frameBuffers(frames: readonly Frame[]): ArrayBuffer[] {
  const seen = new Set<ArrayBufferLike>()
  for (const df of frames) {
    for (const name of df.columns()) {
      const c = df.col(name)
      if (c.byteOffset === 0 && c.buffer.byteLength === c.byteLength) seen.add(c.buffer)
    }
  }
  return [...seen].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && !b.detached)
}
