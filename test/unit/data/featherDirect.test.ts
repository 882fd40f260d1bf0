import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CompressionType,
  type DataType,
  Float64,
  Int64,
  Message,
  makeVector,
  RecordBatchFileWriter,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampSecond,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow'
import { Footer } from 'apache-arrow/ipc/metadata/file'
import { decodeFeather, decodeFeatherArrow, encodeFeather } from '../../../src/data/feather.ts'
import { decodeFeatherDirect, readFeatherDirect } from '../../../src/data/featherDirect.ts'
import { decodeLz4Frames } from '../../../src/data/lz4frame.ts'
import { allocOhlcv, OHLCV_FIELDS, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'

const SHARED = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')
const DATADIR = join(SHARED, 'binance')
const absent = !existsSync(DATADIR)
if (absent) console.warn(`skipping direct-reader comparisons on reference files: ${DATADIR} is absent`)

const dir = mkdtempSync(join(tmpdir(), 'tern-feather-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** The direct reader took the file, and gives apache-arrow's answer byte for byte, each column in its own buffer. */
function expectDirectMatchesArrow(bytes: Uint8Array, file: string): OhlcvColumns {
  const direct = decodeFeatherDirect(bytes, file)
  expect(direct).toBeDefined()
  const arrow = decodeFeatherArrow(bytes.slice(), file)
  for (const f of OHLCV_FIELDS) {
    const d = (direct as OhlcvColumns)[f]
    expect(bytesOf(d).equals(bytesOf(arrow[f]))).toBe(true)
    expect(d.byteOffset === 0 && d.byteLength === d.buffer.byteLength).toBe(true)
  }
  return direct as OhlcvColumns
}

/** An IPC file with these dates (as the given type) and prices 1..n (high may hold a null). */
function ipcFile(dateType: DataType, dates: bigint[], highNull = false): Uint8Array {
  const n = dates.length
  const prices = Array.from({ length: n }, (_, i) => i + 1)
  const high = highNull ? prices.map((p, i) => (i === 1 ? null : p)) : prices
  const table = new Table({
    // typed as Int64 for the overloads; the vector keeps the given type
    date: makeVector({ type: dateType as Int64, data: new BigInt64Array(dates) }),
    open: vectorFromArray(prices, new Float64()),
    high: vectorFromArray(high, new Float64()),
    low: vectorFromArray(prices, new Float64()),
    close: vectorFromArray(prices, new Float64()),
    volume: vectorFromArray(prices, new Float64()),
  })
  return tableToIPC(table, 'file')
}

describe('direct feather reader', () => {
  test.skipIf(absent)('reads every freqtrade reference file exactly as apache-arrow does', () => {
    const files = readdirSync(DATADIR).filter((f) => f.endsWith('.feather'))
    expect(files.length).toBeGreaterThan(10)
    for (const f of files) expectDirectMatchesArrow(new Uint8Array(readFileSync(join(DATADIR, f))), f)
  })

  test('our own files, several record batches', () => {
    const n = 70_000 // two batches of 65,536 and 4,464 rows
    const c = allocOhlcv(n)
    for (let i = 0; i < n; i++) {
      c.date[i] = 1_704_067_200_000 + i * 300_000
      c.open[i] = 0.1 + i * 0.2
      c.high[i] = i % 11
      c.low[i] = -i
      c.close[i] = Math.PI * i
      c.volume[i] = i === 3 ? Number.NaN : 1e-8 * i
    }
    const back = expectDirectMatchesArrow(encodeFeather(c), 'own.feather')
    expect(back.date[69_999]).toBe(1_704_067_200_000 + 69_999 * 300_000)
    expect(back.close[65_536]).toBe(Math.PI * 65_536)
    expect(Number.isNaN(back.volume[3])).toBe(true)
  })

  test('date units: s, ms, µs and a plain int64 all come out as ms', () => {
    // 2024-01-01 00:00 and 00:05 UTC in each unit.
    const cases: [DataType, bigint[]][] = [
      [new TimestampSecond(), [1704067200n, 1704067500n]],
      [new TimestampMillisecond(), [1704067200000n, 1704067500000n]],
      [new TimestampMicrosecond(), [1704067200000000n, 1704067500000000n]],
      [new Int64(), [1704067200000n, 1704067500000n]],
    ]
    for (const [type, dates] of cases) {
      const c = expectDirectMatchesArrow(ipcFile(type, dates), `${type}.feather`)
      expect(Array.from(c.date)).toEqual([1704067200000, 1704067500000])
      expect(Array.from(c.close)).toEqual([1, 2])
    }
  })

  test('files it does not take are left to apache-arrow: empty prices, text columns, not Arrow', () => {
    const withNull = ipcFile(new TimestampMillisecond(), [1704067200000n, 1704067500000n], true)
    expect(decodeFeatherDirect(withNull, 'null.feather')).toBeUndefined()
    expect(Array.from(decodeFeather(withNull, 'null.feather').high)).toEqual([1, Number.NaN])

    const table = new Table({
      date: makeVector({ type: new TimestampMillisecond(), data: new BigInt64Array([1704067200000n]) }),
      open: vectorFromArray([1], new Float64()),
      high: vectorFromArray([1], new Float64()),
      low: vectorFromArray([1], new Float64()),
      close: vectorFromArray([1], new Float64()),
      volume: vectorFromArray([1], new Float64()),
      note: vectorFromArray(['x'], new Utf8()),
    })
    const withText = tableToIPC(table, 'file')
    expect(decodeFeatherDirect(withText, 'text.feather')).toBeUndefined()
    expect(decodeFeather(withText, 'text.feather').date[0]).toBe(1704067200000)

    expect(decodeFeatherDirect(new TextEncoder().encode('hello, not arrow'), 'x.feather')).toBeUndefined()
  })
})

describe('direct feather reader on files', () => {
  /** 150,000 rows (3 record batches): dates and two price columns compress, three do not. Over 1 MB. */
  function big(): OhlcvColumns {
    const n = 150_000
    const c = allocOhlcv(n)
    let s = 12_345
    for (let i = 0; i < n; i++) {
      s = (s * 1_103_515_245 + 12_345) % 2_147_483_648
      c.date[i] = 1_704_067_200_000 + i * 60_000
      c.open[i] = 100 + (i % 7)
      c.high[i] = 101 + (i % 13)
      c.low[i] = s / 2_147_483_648
      c.close[i] = Math.sqrt(i + s)
      c.volume[i] = s * 1e-3
    }
    return c
  }

  test('a large file, read piece by piece, gives what apache-arrow reads from the whole file', () => {
    const bytes = encodeFeather(big())
    expect(bytes.length).toBeGreaterThan(1_048_576)
    const file = join(dir, 'big.feather')
    writeFileSync(file, bytes)
    const direct = readFeatherDirect(file) as OhlcvColumns
    const arrow = decodeFeatherArrow(bytes.slice(), file)
    for (const f of OHLCV_FIELDS) expect(bytesOf(direct[f]).equals(bytesOf(arrow[f]))).toBe(true)
    expect(direct.date[149_999]).toBe(1_704_067_200_000 + 149_999 * 60_000)
  })

  test('a large file with its middle missing names the file and the record batch that runs past the data', () => {
    const bytes = encodeFeather(big())
    const file = join(dir, 'cut.feather')
    // The footer is kept, so the file ends as an Arrow file should, but its first batch no longer fits.
    const cut = new Uint8Array([...bytes.subarray(0, 600_000), ...bytes.subarray(bytes.length - 2_000)])
    writeFileSync(file, cut)
    expect(() => readFeatherDirect(file)).toThrow(
      `${file}: not a readable Arrow/feather file (truncated or corrupt: record batch at byte 8 runs past the data)`,
    )
  })

  test('a missing file is a DataFileError naming it', () => {
    const file = join(dir, 'nope.feather')
    expect(() => readFeatherDirect(file)).toThrow(`${file}: cannot read`)
  })
})

/** For each LZ4-compressed buffer of an IPC file: its 8-byte length prefix and the length it decodes to. */
function lz4Prefixes(bytes: Uint8Array): { prefix: number; decoded: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const footerLen = view.getInt32(bytes.length - 10, true)
  const footer = Footer.decode(bytes.subarray(bytes.length - 10 - footerLen, bytes.length - 10))
  const out: { prefix: number; decoded: number }[] = []
  for (const block of footer.recordBatches()) {
    const metaLen = view.getInt32(block.offset + 4, true)
    const message = Message.decode(bytes.subarray(block.offset + 8, block.offset + 8 + metaLen))
    if (!message.isRecordBatch()) continue
    const body = block.offset + block.metaDataLength
    for (const region of message.header().buffers) {
      const at = body + region.offset
      if (region.length < 8 || view.getInt32(at, true) === -1) continue
      const prefix = view.getUint32(at, true) + view.getInt32(at + 4, true) * 4_294_967_296
      out.push({ prefix, decoded: decodeLz4Frames(bytes.subarray(at + 8, at + region.length)).length })
    }
  }
  return out
}

describe('LZ4 length prefixes', () => {
  /** 2000 candles whose prices repeat every 7 rows, so that several columns compress. */
  function repeating(): OhlcvColumns {
    const c = allocOhlcv(2000)
    for (let i = 0; i < 2000; i++) {
      c.date[i] = 1_704_067_200_000 + i * 300_000
      c.open[i] = 100 + (i % 7)
      c.high[i] = 101 + (i % 7)
      c.low[i] = 99 + (i % 7)
      c.close[i] = 100.5 + (i % 7)
      c.volume[i] = i % 7
    }
    return c
  }

  test('our files carry the decoded length, as the Arrow format (and pyarrow) wants: 2000 rows x 8 bytes', () => {
    const prefixes = lz4Prefixes(encodeFeather(repeating()))
    expect(prefixes.length).toBeGreaterThanOrEqual(5)
    for (const p of prefixes) expect(p).toEqual({ prefix: 16_000, decoded: 16_000 })
  })

  test("files from apache-arrow's own writer (compressed length in the prefix) still read the same", () => {
    const ours = encodeFeather(repeating())
    const table = tableFromIPC(ours)
    const raw = RecordBatchFileWriter.writeAll(table.batches, {
      compressionType: CompressionType.LZ4_FRAME,
    }).toUint8Array(true)
    const prefixes = lz4Prefixes(raw)
    expect(prefixes.some((p) => p.prefix !== p.decoded)).toBe(true)
    const a = decodeFeatherDirect(raw, 'raw.feather') as OhlcvColumns
    const b = decodeFeatherDirect(ours, 'ours.feather') as OhlcvColumns
    for (const f of OHLCV_FIELDS) expect(bytesOf(a[f]).equals(bytesOf(b[f]))).toBe(true)
  })
})
