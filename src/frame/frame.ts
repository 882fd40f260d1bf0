import type { OhlcvColumns } from './ohlcv.ts'
import { OHLCV_FIELDS } from './ohlcv.ts'

/**
 * A frame in a form `postMessage` can move without copying: column names and one ArrayBuffer per column, in the same
 * order. Pass `buffers` as the transfer list; the sender's frame is unusable afterwards (its buffers are detached).
 */
export interface TransferableFrame {
  names: string[]
  buffers: ArrayBuffer[]
}

/**
 * Columnar candles: one Float64Array per column (`date` in ms, `open`, `high`, `low`, `close`, `volume`, then any
 * indicator or signal column), all of the same length. Every column owns its whole ArrayBuffer, so the frame can be
 * transferred to a worker without copying and no two columns alias the same memory.
 */
export class Frame {
  readonly length: number
  private readonly cols = new Map<string, Float64Array>()

  constructor(length: number) {
    if (!Number.isInteger(length) || length < 0)
      throw new RangeError(`frame length must be a whole number >= 0, got ${length}`)
    this.length = length
  }

  /** A frame over the six candle columns. Arrays that own their buffer are adopted as they are, others are copied. */
  static fromOhlcv(cols: OhlcvColumns): Frame {
    const frame = new Frame(cols.date.length)
    for (const name of OHLCV_FIELDS) frame.set(name, cols[name])
    return frame
  }

  /** Rebuilds a frame received from `toTransferable()` (typically on the other side of a worker boundary). */
  static fromTransferable(t: TransferableFrame): Frame {
    if (t.names.length !== t.buffers.length) {
      throw new Error(`transferable frame has ${t.names.length} names but ${t.buffers.length} buffers`)
    }
    const length = t.buffers.length > 0 ? t.buffers[0].byteLength / Float64Array.BYTES_PER_ELEMENT : 0
    const frame = new Frame(length)
    for (let i = 0; i < t.names.length; i++) frame.set(t.names[i], new Float64Array(t.buffers[i]))
    return frame
  }

  /** The column `name`; throws naming the missing column and the existing ones. */
  col(name: string): Float64Array {
    const c = this.cols.get(name)
    if (c === undefined) {
      throw new Error(`frame has no column '${name}' (columns: ${[...this.cols.keys()].join(', ') || 'none'})`)
    }
    return c
  }

  has(name: string): boolean {
    return this.cols.has(name)
  }

  /**
   * Sets (adds or replaces) column `name`. A Float64Array that owns its whole buffer, and whose buffer no other column
   * uses, is stored as is; views and number arrays are copied.
   */
  set(name: string, values: Float64Array | readonly number[]): this {
    if (values.length !== this.length) {
      throw new Error(`column '${name}' has length ${values.length}, the frame has length ${this.length}`)
    }
    this.cols.set(
      name,
      values instanceof Float64Array && this.canAdopt(name, values) ? values : Float64Array.from(values),
    )
    return this
  }

  /** Column names in insertion order. */
  columns(): string[] {
    return [...this.cols.keys()]
  }

  /** A frame of the named columns that exist here, sharing their arrays (no copies). */
  pick(names: readonly string[]): Frame {
    const out = new Frame(this.length)
    for (const name of names) {
      const c = this.cols.get(name)
      if (c !== undefined) out.cols.set(name, c)
    }
    return out
  }

  /** Rows `start` (inclusive) to `end` (exclusive) as a new frame with copied columns; indexes as Array.slice. */
  slice(start?: number, end?: number): Frame {
    let out: Frame | undefined
    for (const [name, c] of this.cols) {
      const part = c.slice(start, end)
      out ??= new Frame(part.length)
      out.cols.set(name, part)
    }
    return out ?? new Frame(new Float64Array(this.length).slice(start, end).length)
  }

  /** Names and buffers for `postMessage(t, t.buffers)`. No copy is made: after the transfer this frame is unusable. */
  toTransferable(): TransferableFrame {
    const names: string[] = []
    const buffers: ArrayBuffer[] = []
    for (const [name, c] of this.cols) {
      names.push(name)
      buffers.push(c.buffer as ArrayBuffer)
    }
    return { names, buffers }
  }

  private canAdopt(name: string, a: Float64Array): boolean {
    if (!(a.buffer instanceof ArrayBuffer) || a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength) return false
    for (const [other, c] of this.cols) if (other !== name && c.buffer === a.buffer) return false
    return true
  }
}
