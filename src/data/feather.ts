import {
  CompressionType,
  type Data,
  DataType,
  Field,
  Float64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  type Table,
  Timestamp,
  TimeUnit,
  tableFromIPC,
} from 'apache-arrow'
import { allocOhlcv, OHLCV_FIELDS, type OhlcvColumns } from '../frame/ohlcv.ts'
import { DataFileError } from './errors.ts'
import { decodeFeatherDirect, setLz4LengthPrefixes } from './featherDirect.ts'
import { registerLz4Codec } from './lz4.ts'

/** pyarrow's default record batch size for feather v2; keeps our files shaped like freqtrade's. */
const BATCH_ROWS = 65_536
const TWO_32 = 4_294_967_296

/** Divisor from a Timestamp/Date unit to milliseconds. */
function msDivisor(type: DataType, file: string): number {
  if (DataType.isTimestamp(type)) {
    if (type.unit === TimeUnit.SECOND) return 1e-3
    if (type.unit === TimeUnit.MILLISECOND) return 1
    if (type.unit === TimeUnit.MICROSECOND) return 1e3
    return 1e6
  }
  if (DataType.isDate(type) || DataType.isInt(type) || DataType.isFloat(type)) return 1
  throw new DataFileError(file, `column 'date' has type ${type}, expected a timestamp`)
}

/**
 * One chunk of the date column as ms. 64-bit integers are read as two 32-bit halves (hi·2³² + lo) to stay
 * off BigInt in the hot loop; for ns the sum is off by at most 128 ns before rounding to whole ms, so the
 * result is exact.
 */
function chunkDates(chunk: Data, divisor: number, file: string): Float64Array {
  if (chunk.nullCount > 0) throw new DataFileError(file, `column 'date' has ${chunk.nullCount} empty values`)
  const n = chunk.length
  const out = new Float64Array(n)
  const values = chunk.values as ArrayBufferView & ArrayLike<unknown>
  const wide = values instanceof BigInt64Array || values instanceof BigUint64Array
  if (wide || (values instanceof Int32Array && values.length === n * 2)) {
    const hi = new Int32Array(values.buffer, values.byteOffset, n * 2)
    const lo = new Uint32Array(values.buffer, values.byteOffset, n * 2)
    if (divisor === 1) for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = hi[j + 1] * TWO_32 + lo[j]
    else for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = Math.round((hi[j + 1] * TWO_32 + lo[j]) / divisor)
    return out
  }
  const plain = values as unknown as ArrayLike<number>
  if (divisor === 1) for (let i = 0; i < n; i++) out[i] = plain[i]
  else for (let i = 0; i < n; i++) out[i] = Math.round(plain[i] / divisor)
  return out
}

/**
 * One chunk of a price/volume column. Float64 without empty values is returned as Arrow's own array (a view
 * into the decoded file: no copy, which is what makes loading fast); anything else is copied, with empty
 * values as NaN.
 */
function chunkValues(chunk: Data): Float64Array {
  const n = chunk.length
  const values = chunk.values as ArrayLike<number>
  if (values instanceof Float64Array && chunk.nullCount === 0)
    return values.length === n ? values : values.subarray(0, n)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = chunk.getValid(i) ? Number(values[i]) : Number.NaN
  return out
}

/** Chunks joined into one array (the usual single chunk is returned as is). */
function joinChunks(parts: Float64Array[], total: number): Float64Array {
  if (parts.length === 1) return parts[0]
  const out = new Float64Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Decode an Arrow IPC file (freqtrade's `.feather`) into columns. Not cleaned: see `cleanOhlcv`.
 * freqtrade's layout (int64 dates, float64 prices, no empty values) takes the direct path and gives columns
 * that each own their buffer. Other layouts go through apache-arrow; then the price/volume arrays may be
 * views sharing the ArrayBuffer of `bytes` (or of a decompressed buffer): `.slice()` them before
 * transferring their buffers to a worker.
 */
export function decodeFeather(bytes: Uint8Array, file: string): OhlcvColumns {
  return decodeFeatherDirect(bytes, file) ?? decodeFeatherArrow(bytes, file)
}

/** The generic reader: any Arrow IPC file apache-arrow reads, with nulls as NaN (empty dates rejected). */
export function decodeFeatherArrow(bytes: Uint8Array, file: string): OhlcvColumns {
  // Registered on first use, not on import: the direct path needs no codec, and the writer's binding is slow to load.
  registerLz4Codec()
  let table: Table
  try {
    table = tableFromIPC(bytes)
  } catch (err) {
    throw new DataFileError(file, `not a readable Arrow/feather file (${(err as Error).message})`)
  }
  const out = allocOhlcv(0)
  for (const field of OHLCV_FIELDS) {
    const column = table.getChild(field)
    if (!column) {
      const names = table.schema.fields.map((f) => f.name).join(', ')
      throw new DataFileError(file, `no column '${field}' (columns: ${names || 'none'})`)
    }
    if (field !== 'date' && !DataType.isFloat(column.type) && !DataType.isInt(column.type)) {
      throw new DataFileError(file, `column '${field}' has type ${column.type}, expected float64`)
    }
    const divisor = field === 'date' ? msDivisor(column.type, file) : 1
    const parts = column.data.map((chunk) => (field === 'date' ? chunkDates(chunk, divisor, file) : chunkValues(chunk)))
    out[field] = joinChunks(parts, table.numRows)
  }
  return out
}

const SCHEMA = new Schema([
  new Field('date', new Timestamp(TimeUnit.NANOSECOND, 'UTC'), true),
  ...OHLCV_FIELDS.slice(1).map((name) => new Field(name, new Float64(), true)),
])

const TWO_16 = 65_536

/**
 * ms → ns as int64, written as 32-bit halves: ms = a·2¹⁶ + b, so ns = (a·10⁶)·2¹⁶ + b·10⁶ with every
 * partial product below 2⁵³ (exact). Negative or fractional ms take the BigInt path.
 */
function msToNs(ms: Float64Array): BigInt64Array {
  const n = ms.length
  const out = new BigInt64Array(n)
  const lo = new Uint32Array(out.buffer)
  const hi = new Int32Array(out.buffer)
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const v = ms[i]
    if (!(v >= 0 && Number.isInteger(v) && v < 2 ** 42)) {
      out[i] = BigInt(Math.round(v)) * 1_000_000n
      continue
    }
    const a = Math.floor(v / TWO_16) * 1e6
    const b = (v % TWO_16) * 1e6
    const aHi = Math.floor(a / TWO_16)
    const low = (a % TWO_16) * TWO_16 + b
    lo[j] = low % TWO_32
    hi[j + 1] = aHi + Math.floor(low / TWO_32)
  }
  return out
}

/** One record batch of rows [from, to); dates as ns since the epoch, as pandas writes them. */
function recordBatch(c: OhlcvColumns, from: number, to: number): RecordBatch {
  const n = to - from
  const ns = msToNs(c.date.subarray(from, to))
  const children = [
    makeData({ type: SCHEMA.fields[0].type as Timestamp, length: n, nullCount: 0, data: ns }),
    ...OHLCV_FIELDS.slice(1).map((f) =>
      makeData({ type: new Float64(), length: n, nullCount: 0, data: c[f].subarray(from, to) }),
    ),
  ]
  return new RecordBatch(SCHEMA, makeData({ type: new Struct(SCHEMA.fields), length: n, nullCount: 0, children }))
}

/**
 * Encode columns as an Arrow IPC file with LZ4-frame compressed buffers: the same layout freqtrade
 * writes (date as timestamp[ns, UTC], open..volume as float64), readable by pandas/pyarrow (once the
 * length prefixes are set right, see `setLz4LengthPrefixes`).
 */
export function encodeFeather(c: OhlcvColumns): Uint8Array {
  registerLz4Codec()
  const n = c.date.length
  // An empty file still carries one (empty) batch so that the schema is written.
  const batches = [recordBatch(c, 0, Math.min(n, BATCH_ROWS))]
  for (let from = BATCH_ROWS; from < n; from += BATCH_ROWS)
    batches.push(recordBatch(c, from, Math.min(n, from + BATCH_ROWS)))
  const bytes = RecordBatchFileWriter.writeAll(batches, { compressionType: CompressionType.LZ4_FRAME }).toUint8Array(
    true,
  )
  setLz4LengthPrefixes(bytes)
  return bytes
}
