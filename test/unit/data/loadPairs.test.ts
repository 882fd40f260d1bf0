import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataFileError, NoDataError } from '../../../src/data/errors.ts'
import { encodeFeather } from '../../../src/data/feather.ts'
import { filenameToPair } from '../../../src/data/filenames.ts'
import { loadPairHistory, storePairHistory } from '../../../src/data/history.ts'
import { type LoadPairsHistoryOptions, loadPairsHistory, type PairHistory } from '../../../src/data/loadPairs.ts'
import { allocOhlcv, OHLCV_FIELDS, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'

// freqtrade's own test candles, `../shared/data` next to the repository (not copied into it).
const SHARED = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')
const DATADIR = join(SHARED, 'binance')
const absent = !existsSync(DATADIR)
if (absent) console.warn(`skipping shared-candle comparisons: ${DATADIR} is absent`)

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tern-pairs-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const T0 = Date.UTC(2024, 0, 1)
const M5 = 300_000

const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** Every column equal byte for byte (NaN payloads included), and each column alone in its own buffer. */
function expectSameCandles(parallel: OhlcvColumns, serial: OhlcvColumns): void {
  const seen = new Set<ArrayBufferLike>()
  for (const f of OHLCV_FIELDS) {
    expect(parallel[f].length).toBe(serial[f].length)
    expect(bytesOf(parallel[f]).equals(bytesOf(serial[f]))).toBe(true)
    expect(parallel[f].byteOffset).toBe(0)
    expect(parallel[f].byteLength).toBe(parallel[f].buffer.byteLength)
    expect(seen.has(parallel[f].buffer)).toBe(false)
    seen.add(parallel[f].buffer)
  }
}

/** The serial loader's answer for each pair, in the shape `loadPairsHistory` gives. */
async function serially(opts: LoadPairsHistoryOptions): Promise<PairHistory[]> {
  const out: PairHistory[] = []
  for (const pair of opts.pairs) {
    try {
      out.push({ pair, candles: await loadPairHistory({ ...opts, pair }) })
    } catch (error) {
      out.push({ pair, error: error as Error })
    }
  }
  return out
}

async function expectParallelMatchesSerial(opts: LoadPairsHistoryOptions): Promise<PairHistory[]> {
  const serial = await serially(opts)
  // Shared between this thread and the workers, and (loadHere false) all in workers.
  for (const loadHere of [true, false]) {
    const parallel = await loadPairsHistory({ ...opts, loadHere })
    expectSameResults(parallel, serial, opts.pairs)
  }
  return serial
}

function expectSameResults(parallel: PairHistory[], serial: PairHistory[], pairs: readonly string[]): void {
  expect(parallel.map((r) => r.pair)).toEqual([...pairs])
  for (let i = 0; i < serial.length; i++) {
    const s = serial[i]
    const p = parallel[i]
    if (s.error) {
      expect(p.error?.constructor).toBe(s.error.constructor)
      expect(p.error?.message).toBe(s.error.message)
    } else {
      expect(p.error).toBeUndefined()
      expectSameCandles(p.candles as OhlcvColumns, s.candles)
    }
  }
}

/** A random walk with a gap, a duplicated and an out-of-order candle, so that cleaning and filling work. */
function messyCandles(seed: number, n: number): OhlcvColumns {
  const c = allocOhlcv(n)
  let s = seed
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648
    return s / 2_147_483_648
  }
  let price = 1 + rnd()
  for (let i = 0; i < n; i++) {
    const open = price
    price *= 1 + (rnd() - 0.5) * 0.01
    c.date[i] = T0 + (i < n / 2 ? i : i + 3) * M5 // three candles missing in the middle
    c.open[i] = open
    c.high[i] = Math.max(open, price) * 1.001
    c.low[i] = Math.min(open, price) * 0.999
    c.close[i] = price
    c.volume[i] = rnd() * 1000
  }
  c.date[5] = c.date[4] // a duplicate date: the later row wins
  ;[c.date[10], c.date[11]] = [c.date[11], c.date[10]] // out of order
  return c
}

describe('loadPairsHistory gives what loadPairHistory gives, pair by pair', () => {
  test.skipIf(absent)('every freqtrade reference file in ../shared/data, with two workers', async () => {
    const found = readdirSync(DATADIR)
      .map((f) => filenameToPair(f))
      .filter((p) => p !== undefined)
    for (const format of ['feather', 'json'] as const) {
      for (const timeframe of ['1m', '5m', '30m']) {
        const pairs = found.filter((p) => p.format === format && p.timeframe === timeframe).map((p) => p.pair)
        if (pairs.length === 0) continue
        const results = await expectParallelMatchesSerial({ datadir: DATADIR, pairs, timeframe, format, workers: 2 })
        expect(results.every((r) => r.candles !== undefined)).toBe(true)
      }
    }
    // 5m feather: ETH/BTC 5760 candles from 2018-01-10 04:55 UTC (also checked in reference.test.ts)
    const [eth] = await loadPairsHistory({ datadir: DATADIR, pairs: ['ETH/BTC'], timeframe: '5m', workers: 1 })
    expect(eth.candles?.date.length).toBe(5760)
    expect(eth.candles?.date[0]).toBe(1515560100000)
  })

  test.skipIf(absent)('timerange, startup candles and gap filling on the reference files', async () => {
    const pairs = ['ETH/BTC', 'ZEC/BTC', 'XMR/BTC', 'ETC/BTC', 'TRX/BTC', 'NOPE/BTC']
    const opts = {
      datadir: DATADIR,
      pairs,
      timeframe: '5m',
      timerange: '20180115-20180120',
      startupCandles: 30,
      fillMissing: true,
    }
    const results = await expectParallelMatchesSerial({ ...opts, workers: 2 })
    // 5 days of 5m candles plus the end candle, plus 30 startup candles: 5·288 + 1 + 30 = 1471
    expect(results[0].candles?.date.length).toBe(1471)
    expect(results[0].candles?.date[0]).toBe(Date.UTC(2018, 0, 15) - 30 * M5)
    expect(results[5].error).toBeInstanceOf(NoDataError)
  })

  test('generated files in every format, with cleaning, filling, a missing pair and a broken file', async () => {
    const datadir = tempDir()
    const formats = ['feather', 'jsongz', 'json'] as const
    const pairs: string[] = []
    for (let i = 0; i < 9; i++) {
      const pair = `P${i}/USDT`
      pairs.push(pair)
      const candles = messyCandles(i + 1, 3000 + i * 500)
      await storePairHistory({ datadir, pair, timeframe: '5m', format: formats[i % 3], candles })
    }
    writeFileSync(join(datadir, 'BAD_USDT-5m.feather'), 'not a feather file')
    pairs.push('BAD/USDT', 'NONE/USDT')
    for (const workers of [undefined, 0, 1, 3]) {
      const results = await expectParallelMatchesSerial({ datadir, pairs, timeframe: '5m', fillMissing: true, workers })
      // 3000 candles, 3 missing in the middle: 3003 after filling. The duplicate of candle 4 is dropped and
      // the gap it left at candle 5 filled, so the count stays.
      expect(results[0].candles?.date.length).toBe(3003)
      expect(results[9].error).toBeInstanceOf(DataFileError)
      expect((results[9].error as DataFileError).file).toBe(join(datadir, 'BAD_USDT-5m.feather'))
      expect(results[10].error).toBeInstanceOf(NoDataError)
      expect(results[10].error?.message).toBe(`No data for NONE/USDT 5m in ${datadir}`)
    }
  })

  test('no pairs, and a bad timeframe rejects the whole call', async () => {
    expect(await loadPairsHistory({ datadir: tempDir(), pairs: [], timeframe: '5m' })).toEqual([])
    await expect(loadPairsHistory({ datadir: tempDir(), pairs: ['A/B'], timeframe: '5x' })).rejects.toThrow(
      "invalid timeframe '5x'",
    )
  })
})

/** Offsets of LZ4 frame magics (04 22 4D 18) in a file. */
function frameOffsets(bytes: Uint8Array): number[] {
  const at: number[] = []
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (bytes[i] === 0x04 && bytes[i + 1] === 0x22 && bytes[i + 2] === 0x4d && bytes[i + 3] === 0x18) at.push(i)
  }
  return at
}

/** 1000 candles whose prices repeat every 7 rows: the price columns compress, so the file holds LZ4 frames. */
function regular(n = 1000): OhlcvColumns {
  const c = allocOhlcv(n)
  for (let i = 0; i < n; i++) {
    c.date[i] = T0 + i * M5
    c.open[i] = 100 + (i % 7)
    c.high[i] = 101 + (i % 7)
    c.low[i] = 99 + (i % 7)
    c.close[i] = 100.5 + (i % 7)
    c.volume[i] = i
  }
  return c
}

describe('broken feather files name the file', () => {
  const load = async (datadir: string, workers: number) => {
    const [serial] = await serially({ datadir, pairs: ['A/B'], timeframe: '5m' })
    const [parallel] = await loadPairsHistory({ datadir, pairs: ['A/B'], timeframe: '5m', workers, loadHere: false })
    expect(parallel.error).toBeInstanceOf(DataFileError)
    expect(parallel.error?.message).toBe(serial.error?.message)
    return serial.error as DataFileError
  }

  test('corrupt LZ4 data in a column', async () => {
    const datadir = tempDir()
    const file = join(datadir, 'A_B-5m.feather')
    const bytes = encodeFeather(regular())
    const frames = frameOffsets(bytes)
    expect(frames.length).toBeGreaterThan(0)
    // Past the 7-byte frame header (magic, FLG, BD, HC) and the block size: 0xFF tokens ask for literals
    // that run past the block.
    const broken = bytes.slice()
    broken.fill(0xff, frames[0] + 11, frames[0] + 27)
    writeFileSync(file, broken)
    const err = await load(datadir, 1)
    expect(err).toBeInstanceOf(DataFileError)
    expect(err.file).toBe(file)
    expect(err.message).toStartWith(`${file}: corrupt LZ4 data in column 'open' of batch 0 (lz4: corrupt block`)
  })

  test('an LZ4 frame cut short', async () => {
    const datadir = tempDir()
    const file = join(datadir, 'A_B-5m.feather')
    const bytes = encodeFeather(regular())
    const [first] = frameOffsets(bytes)
    // A block size larger than what is left of the buffer.
    const broken = bytes.slice()
    new DataView(broken.buffer).setUint32(first + 7, 0x7fff_0000, true)
    writeFileSync(file, broken)
    const err = await load(datadir, 1)
    expect(err.file).toBe(file)
    expect(err.message).toContain('corrupt LZ4 data')
    expect(err.message).toContain('lz4: truncated block')
  })

  test('a file cut in half', async () => {
    const datadir = tempDir()
    const file = join(datadir, 'A_B-5m.feather')
    const whole = join(datadir, 'whole.feather')
    writeFileSync(whole, encodeFeather(regular()))
    const bytes = readFileSync(whole)
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1))
    const err = await load(datadir, 2)
    expect(err).toBeInstanceOf(DataFileError)
    expect(err.message).toBe(
      `${file}: not a readable Arrow/feather file (truncated or corrupt: no Arrow footer at the end)`,
    )
  })
})
