import { closeSync, fstatSync, openSync } from 'node:fs'
// apache-arrow's metadata modules only, not its entry point (which loads all of arrow: ~55 ms against ~21 ms, paid
// by every process and analysis worker that reads a candle file)
import { type MessageHeader, Precision, TimeUnit, Type } from 'apache-arrow/enum'
import { CompressionType } from 'apache-arrow/fb/compression-type'
import { type FileBlock, Footer } from 'apache-arrow/ipc/metadata/file'
import { Message } from 'apache-arrow/ipc/metadata/message'
import type { Schema } from 'apache-arrow/schema'
import { DataType } from 'apache-arrow/type'
import { takeColumn } from '../frame/columns.ts'
import { OHLCV_FIELDS, type OhlcvColumns } from '../frame/ohlcv.ts'
import { DataFileError } from './errors.ts'
import { preadFully, scratch } from './fileBytes.ts'
import { decodeLz4Frames, decodeLz4FramesInto } from './lz4frame.ts'

/**
 * Direct reader for the feather files freqtrade writes: an Arrow IPC file whose columns are fixed-width, the
 * date an int64 timestamp and the prices float64 without empty values, with plain or LZ4-frame buffers.
 * It walks the IPC messages itself and decodes each column buffer straight into the final Float64Array
 * (one copy or one decompression per buffer, no intermediate body, no Arrow vectors), then converts the
 * dates in place. Anything else (dictionaries, strings, nulls, other codecs...) is left to the generic
 * reader in `feather.ts`, which this returns `undefined` for.
 */

const TWO_32 = 4_294_967_296
/** "ARROW1" at both ends of an IPC file. */
const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]
/** Types stored as a validity buffer and one values buffer, with no children. */
const FIXED_WIDTH = new Set<Type>([
  Type.Int,
  Type.Float,
  Type.Bool,
  Type.Decimal,
  Type.Date,
  Type.Time,
  Type.Timestamp,
  Type.Interval,
  Type.Duration,
  Type.FixedSizeBinary,
])

type BatchHeader = ReturnType<Message<MessageHeader.RecordBatch>['header']>

interface Batch {
  header: BatchHeader
  /** Offset of the message body in the file. */
  body: number
  bodyEnd: number
}

const hasMagic = (b: Uint8Array, at: number): boolean => MAGIC.every((m, i) => b[at + i] === m)

/** Divisor from the date column's unit to ms, or undefined when the direct path does not read that type. */
function dateDivisor(type: DataType): number | undefined {
  if (DataType.isTimestamp(type)) {
    if (type.unit === TimeUnit.SECOND) return 1e-3
    if (type.unit === TimeUnit.MILLISECOND) return 1
    if (type.unit === TimeUnit.MICROSECOND) return 1e3
    return 1e6
  }
  if (DataType.isInt(type) && type.bitWidth === 64) return 1
  return undefined
}

const truncated = (file: string, detail: string) =>
  new DataFileError(file, `not a readable Arrow/feather file (truncated or corrupt: ${detail})`)

/** Where a file's bytes come from: memory, or an open file read piece by piece. */
interface ByteSource {
  readonly size: number
  /** Bytes [at, at + length), fewer at the end of the file; valid only until the next `read`. */
  read(at: number, length: number): Uint8Array
  /** Bytes [at, at + target.length) copied into `target`; false when the file ends first. */
  readInto(at: number, target: Uint8Array): boolean
}

const memorySource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  read: (at, length) => bytes.subarray(at, at + length),
  readInto: (at, target) => {
    if (at + target.length > bytes.length) return false
    target.set(bytes.subarray(at, at + target.length))
    return true
  },
})

/** Reads land in the shared scratch buffer, or (readInto) straight in the column: no copy of the file. */
const fileSource = (fd: number, size: number): ByteSource => ({
  size,
  read: (at, length) => {
    const buf = scratch(length).subarray(0, Math.max(0, Math.min(length, size - at)))
    return buf.subarray(0, preadFully(fd, buf, at))
  },
  readInto: (at, target) => preadFully(fd, target, at) === target.length,
})

const int32At = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)

/**
 * The schema and record batches of an IPC file, found through its footer (writers need not repeat the schema
 * at the start), or undefined when the file has dictionaries, which the direct path skips. Each piece read
 * is decoded before the next read, as a file source reuses one buffer.
 */
function readMessages(src: ByteSource, file: string): { schema: Schema; batches: Batch[] } | undefined {
  const size = src.size
  if (size < 18) throw truncated(file, 'no Arrow footer at the end')
  const tail = src.read(size - 10, 10)
  if (tail.length < 10 || !hasMagic(tail, 4)) throw truncated(file, 'no Arrow footer at the end')
  const footerLen = int32At(tail, 0)
  const footerStart = size - 10 - footerLen
  if (!(footerLen > 0 && footerStart >= 8)) throw truncated(file, 'bad footer length')
  let schema: Schema
  let blocks: FileBlock[]
  try {
    const footer = Footer.decode(src.read(footerStart, footerLen))
    if (footer.numDictionaries > 0) return undefined
    schema = footer.schema
    blocks = [...footer.recordBatches()]
  } catch (err) {
    throw truncated(file, `unreadable footer (${(err as Error).message})`)
  }
  const batches: Batch[] = []
  for (const block of blocks) {
    const at = block.offset
    const metaEnd = at + block.metaDataLength
    if (!(at >= 8 && at + 8 <= metaEnd && metaEnd <= footerStart)) throw truncated(file, `record batch at byte ${at}`)
    const meta = src.read(at, block.metaDataLength)
    // A message starts with 0xFFFFFFFF and its metadata length (or, before Arrow 0.15, the length alone).
    const prefix = int32At(meta, 0) === -1 ? 8 : 4
    const metaLen = int32At(meta, prefix - 4)
    if (!(metaLen > 0 && prefix + metaLen <= meta.length)) throw truncated(file, `record batch at byte ${at}`)
    let header: BatchHeader
    try {
      const message = Message.decode(meta.subarray(prefix, prefix + metaLen))
      if (!message.isRecordBatch()) throw new Error('not a record batch')
      header = message.header()
    } catch (err) {
      throw truncated(file, `record batch at byte ${at} (${(err as Error).message})`)
    }
    const bodyEnd = metaEnd + block.bodyLength
    if (!(bodyEnd <= footerStart)) throw truncated(file, `record batch at byte ${at} runs past the data`)
    batches.push({ header, body: metaEnd, bodyEnd })
  }
  return { schema, batches }
}

/** One column buffer, bytes [start, start + length) of the file, into `target` (its exact byte size). */
function decodeBuffer(
  src: ByteSource,
  start: number,
  length: number,
  compressed: boolean,
  target: Uint8Array,
  file: string,
  field: string,
  batch: number,
): void {
  const need = target.length
  const short = () => truncated(file, `column '${field}' of batch ${batch} is short`)
  if (!compressed) {
    if (length < need || !src.readInto(start, target)) throw short()
    return
  }
  if (need === 0) return
  const prefix = src.read(start, 8)
  if (length < 8 || prefix.length < 8) throw short()
  if ((prefix[0] & prefix[1] & prefix[2] & prefix[3] & prefix[4] & prefix[5] & prefix[6] & prefix[7]) === 255) {
    // Stored as is (length prefix -1): the writer found compression did not pay.
    if (length - 8 < need || !src.readInto(start + 8, target)) throw short()
    return
  }
  const data = src.read(start + 8, length - 8)
  if (data.length < length - 8) throw short()
  // The prefix should be the decoded length, but apache-arrow's writer puts the compressed length there, so
  // it is not trusted: the frames are decoded into the column's slot, and only a buffer that decodes to more
  // than the column needs (padding) takes a second, allocating pass.
  let written: number
  try {
    try {
      written = decodeLz4FramesInto(data, target)
    } catch (err) {
      let whole: Uint8Array
      try {
        whole = decodeLz4Frames(data)
      } catch {
        throw err // the first error says more: it comes from decoding in place
      }
      if (whole.length <= need) throw err
      target.set(whole.subarray(0, need))
      written = need
    }
  } catch (err) {
    throw new DataFileError(file, `corrupt LZ4 data in column '${field}' of batch ${batch} (${(err as Error).message})`)
  }
  if (written !== need) {
    throw new DataFileError(
      file,
      `corrupt LZ4 data in column '${field}' of batch ${batch} (decoded ${written} bytes, expected ${need})`,
    )
  }
}

/**
 * int64 dates (as two 32-bit halves, hi·2³² + lo, off BigInt) → ms as Float64, in place: element i is read
 * before it is overwritten. Same arithmetic as the generic reader, so the results are identical.
 */
function datesInPlace(date: Float64Array, divisor: number): void {
  const n = date.length
  const lo = new Uint32Array(date.buffer, date.byteOffset, n * 2)
  const hi = new Int32Array(date.buffer, date.byteOffset, n * 2)
  if (divisor === 1) for (let i = 0, j = 0; i < n; i++, j += 2) date[i] = hi[j + 1] * TWO_32 + lo[j]
  else for (let i = 0, j = 0; i < n; i++, j += 2) date[i] = Math.round((hi[j + 1] * TWO_32 + lo[j]) / divisor)
}

/** The direct decoding of a source; undefined when the file is not shaped as the direct path needs. */
function decodeDirect(src: ByteSource, file: string): OhlcvColumns | undefined {
  const head = src.read(0, 8)
  if (head.length < 8 || !hasMagic(head, 0)) return undefined
  const found = readMessages(src, file)
  if (!found) return undefined
  const { schema, batches } = found
  const fields = schema.fields
  if (!fields.every((f) => FIXED_WIDTH.has(f.type.typeId) && !f.type.children?.length)) return undefined
  const index = OHLCV_FIELDS.map((name) => fields.findIndex((f) => f.name === name))
  if (index.some((i) => i < 0)) return undefined
  const divisor = dateDivisor(fields[index[0]].type)
  if (divisor === undefined) return undefined
  for (let k = 1; k < index.length; k++) {
    const type = fields[index[k]].type
    if (!(DataType.isFloat(type) && type.precision === Precision.DOUBLE)) return undefined
  }
  let rows = 0
  for (const { header } of batches) {
    if (header.compression && header.compression.type !== CompressionType.LZ4_FRAME) return undefined
    if (header.nodes.length !== fields.length || header.buffers.length !== fields.length * 2) return undefined
    for (const i of index) {
      const node = header.nodes[i]
      if (node.nullCount !== 0 || node.length !== header.length) return undefined
    }
    rows += header.length
  }
  // every value is written below (or decoding throws), so a reused buffer's old values never show
  const columns = OHLCV_FIELDS.map(() => takeColumn(rows))
  let row = 0
  for (let b = 0; b < batches.length; b++) {
    const { header, body, bodyEnd } = batches[b]
    const n = header.length
    for (let k = 0; k < index.length; k++) {
      const region = header.buffers[index[k] * 2 + 1]
      const start = body + region.offset
      if (!(region.offset >= 0 && start + region.length <= bodyEnd)) {
        throw truncated(file, `column '${OHLCV_FIELDS[k]}' of batch ${b}`)
      }
      const target = new Uint8Array(columns[k].buffer, row * 8, n * 8)
      decodeBuffer(src, start, region.length, Boolean(header.compression), target, file, OHLCV_FIELDS[k], b)
    }
    row += n
  }
  datesInPlace(columns[0], divisor)
  const [date, open, high, low, close, volume] = columns
  return { date, open, high, low, close, volume }
}

/**
 * Decode a feather file into columns that each own their ArrayBuffer (none is a view into `bytes`), or
 * `undefined` when the file is shaped in a way only the generic reader handles. Throws `DataFileError`
 * naming the file when it is truncated or its compressed data is corrupt.
 */
export function decodeFeatherDirect(bytes: Uint8Array, file: string): OhlcvColumns | undefined {
  return decodeDirect(memorySource(bytes), file)
}

/** Files larger than this are read piece by piece. */
const PIECEWISE_MIN = 1_048_576

/**
 * `decodeFeatherDirect` on a file. A large file is read piece by piece: plain column buffers go from the file
 * straight into their columns, compressed ones through a reused buffer, so the file is never held whole. A
 * small one is read whole into the reused buffer. Synchronous.
 */
export function readFeatherDirect(file: string): OhlcvColumns | undefined {
  let fd: number
  let size: number
  try {
    fd = openSync(file, 'r')
    size = fstatSync(fd).size
  } catch (err) {
    throw new DataFileError(file, `cannot read (${(err as Error).message})`)
  }
  try {
    if (size > PIECEWISE_MIN) return decodeDirect(fileSource(fd, size), file)
    // A small file costs fewer system calls read whole than read piece by piece.
    const bytes = scratch(size).subarray(0, size)
    return decodeDirect(memorySource(bytes.subarray(0, preadFully(fd, bytes, 0))), file)
  } finally {
    closeSync(fd)
  }
}

/**
 * Write each LZ4 buffer's decoded length into its 8-byte prefix, in place, as the Arrow format asks.
 * apache-arrow's writer puts the compressed length there; its own reader ignores the prefix, but Arrow C++
 * (pyarrow, so pandas and freqtrade) decodes into a buffer of that size and rejects the file.
 */
export function setLz4LengthPrefixes(bytes: Uint8Array): void {
  const found = readMessages(memorySource(bytes), 'feather')
  if (!found) return
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const { header, body } of found.batches) {
    if (!header.compression) continue
    for (const region of header.buffers) {
      const at = body + region.offset
      if (region.length < 8 || (view.getInt32(at, true) === -1 && view.getInt32(at + 4, true) === -1)) continue
      const decoded = decodeLz4Frames(bytes.subarray(at + 8, at + region.length)).length
      view.setUint32(at, decoded % TWO_32, true)
      view.setUint32(at + 4, Math.floor(decoded / TWO_32), true)
    }
  }
}
