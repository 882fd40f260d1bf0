import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { cachePathOf, keepCandles, sourceStamp } from '../../../src/data/candleCache.ts'
import { readCandleFile, storePairHistory } from '../../../src/data/index.ts'
import { loadPairCandlesSync } from '../../../src/data/readPair.ts'
import { columnSpares, recycleColumns } from '../../../src/frame/columns.ts'
import { Frame } from '../../../src/frame/frame.ts'
import { OHLCV_FIELDS, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from '../strategy/candles.ts'

const dir = tempDir('tern-candle-cache-')
afterAll(() => dir.cleanup())

const ALIGN = 16_384
let serial = 0

/** A fresh data folder with one pair's candles, and a cache folder beside it. */
async function setup(n = 2_000, format: 'feather' | 'jsongz' = 'feather') {
  const root = join(dir.path, `case-${++serial}`)
  const candles = ohlcvOf(makeCandles({ n, seed: serial }))
  const datadir = join(root, 'data')
  const file = await storePairHistory({ datadir, pair: 'AAA/USDT', timeframe: '5m', format, candles })
  return { candles, datadir, file, cacheDir: join(root, 'cache') }
}

const asArrays = (c: OhlcvColumns) => Object.fromEntries(OHLCV_FIELDS.map((f) => [f, Array.from(c[f])]))

/** Overwrites row `row` of column `k` in a cache file, in place (the file keeps its size and header). */
function poke(cacheFile: string, rows: number, k: number, row: number, value: number) {
  const step = Math.ceil((rows * 8) / ALIGN) * ALIGN
  const fd = openSync(cacheFile, 'r+')
  writeSync(fd, new Uint8Array(new Float64Array([value]).buffer), 0, 8, ALIGN + k * step + row * 8)
}

describe('candle cache', () => {
  test('the first read decodes and keeps the candles; the next one maps them from the cache', async () => {
    const { candles, file, cacheDir } = await setup()
    const first = await readCandleFile(file, 'feather', cacheDir)
    expect(asArrays(first)).toEqual(asArrays(candles))
    const cacheFile = cachePathOf(cacheDir, file)
    expect(existsSync(cacheFile)).toBe(true)

    // a value changed in the cache itself shows in the next read: it comes from the cache, not from the file
    const close = OHLCV_FIELDS.indexOf('close')
    poke(cacheFile, candles.date.length, close, 7, 12345.5)
    const second = await readCandleFile(file, 'feather', cacheDir)
    expect(second.close[7]).toBe(12345.5)
    expect(second.close[8]).toBe(candles.close[8])
    expect(Array.from(second.date)).toEqual(Array.from(candles.date))

    // each column owns its whole buffer, so a frame takes it as it is, without a copy
    expect(second.close.byteOffset).toBe(0)
    expect(second.close.buffer.byteLength).toBe(candles.date.length * 8)
    expect(Frame.fromOhlcv(second).col('close')).toBe(second.close)
  })

  test('the read that writes the cache returns it mapped, and its decoded columns become spares', async () => {
    // a length no other test uses: no spare of this size exists before, so the decoder takes none
    const n = 2_345
    const { candles, file, cacheDir } = await setup(n)
    const before = columnSpares().bytes
    const read = await readCandleFile(file, 'feather', cacheDir)
    expect(asArrays(read)).toEqual(asArrays(candles))
    expect(columnSpares().bytes - before).toBe(OHLCV_FIELDS.length * n * 8)
    // mapped: a value poked into the cache shows in the columns already returned
    poke(cachePathOf(cacheDir, file), n, OHLCV_FIELDS.indexOf('high'), 11, 777.5)
    expect(read.high[11]).toBe(777.5)
  })

  test('without a cache folder nothing is written and the file is decoded each time', async () => {
    const { candles, file, cacheDir } = await setup()
    const read = await readCandleFile(file, 'feather')
    expect(asArrays(read)).toEqual(asArrays(candles))
    expect(existsSync(cacheDir)).toBe(false)
  })

  test('a candle file written again is decoded again and its cache rewritten', async () => {
    const { datadir, file, cacheDir } = await setup()
    await readCandleFile(file, 'feather', cacheDir)
    const newer = ohlcvOf(makeCandles({ n: 2_000, seed: 999 }))
    await storePairHistory({ datadir, pair: 'AAA/USDT', timeframe: '5m', format: 'feather', candles: newer })
    const read = await readCandleFile(file, 'feather', cacheDir)
    expect(asArrays(read)).toEqual(asArrays(newer))
    const again = await readCandleFile(file, 'feather', cacheDir)
    expect(asArrays(again)).toEqual(asArrays(newer))
    expect(readdirSync(cacheDir)).toEqual([cachePathOf(cacheDir, file).split('/').pop() as string])
  })

  test('a damaged cache (cut short, or not a cache at all) is ignored and written anew', async () => {
    const { candles, file, cacheDir } = await setup()
    await readCandleFile(file, 'feather', cacheDir)
    const cacheFile = cachePathOf(cacheDir, file)
    const whole = readFileSync(cacheFile).length
    truncateSync(cacheFile, whole - 100)
    expect(asArrays(await readCandleFile(file, 'feather', cacheDir))).toEqual(asArrays(candles))
    expect(readFileSync(cacheFile).length).toBe(whole)

    writeFileSync(cacheFile, '{"magic":"something else"}')
    expect(asArrays(await readCandleFile(file, 'feather', cacheDir))).toEqual(asArrays(candles))
    expect(readFileSync(cacheFile).length).toBe(whole)
  })

  test('writing to a mapped column changes only this copy, never the cache', async () => {
    const { candles, file, cacheDir } = await setup()
    await readCandleFile(file, 'feather', cacheDir)
    const mapped = await readCandleFile(file, 'feather', cacheDir)
    mapped.close[0] = -1
    const again = await readCandleFile(file, 'feather', cacheDir)
    expect(again.close[0]).toBe(candles.close[0])
    expect(mapped.close[0]).toBe(-1)
  })

  test('mapped columns never become spare buffers for new columns', async () => {
    const { file, cacheDir } = await setup()
    await readCandleFile(file, 'feather', cacheDir)
    const mapped = await readCandleFile(file, 'feather', cacheDir)
    const before = columnSpares().bytes
    recycleColumns([mapped.volume.buffer])
    expect(columnSpares().bytes).toBe(before)
    // an ordinary buffer of the same size is taken (the check above is not vacuous)
    recycleColumns([new Float64Array(mapped.volume.length).buffer])
    expect(columnSpares().bytes).toBe(before + mapped.volume.length * 8)
  })

  test('a cache folder that cannot be written only means no cache', async () => {
    const { candles, file, datadir } = await setup()
    const blocked = join(datadir, 'not-a-folder')
    writeFileSync(blocked, 'x')
    const cacheDir = join(blocked, 'cache')
    expect(asArrays(await readCandleFile(file, 'feather', cacheDir))).toEqual(asArrays(candles))
    const stamp = sourceStamp(file)
    expect(stamp).toBeDefined()
    expect(keepCandles(cacheDir, file, stamp as NonNullable<typeof stamp>, candles)).toBe(false)
    expect(readdirSync(datadir).filter((f) => f.includes('.tmp'))).toEqual([])
  })

  test('json.gz files are cached too, and the synchronous loader reads the same cache', async () => {
    const { candles, datadir, file, cacheDir } = await setup(1_500, 'jsongz')
    const first = await readCandleFile(file, 'jsongz', cacheDir)
    expect(asArrays(first)).toEqual(asArrays(candles))
    poke(cachePathOf(cacheDir, file), candles.date.length, OHLCV_FIELDS.indexOf('open'), 3, 42.25)
    const loaded = loadPairCandlesSync({ datadir, pair: 'AAA/USDT', timeframe: '5m', cacheDir })
    expect(loaded.candles.open[3]).toBe(42.25)
    expect(loaded.candles.open.length).toBe(1_500)
  })

  test('the same file name in two folders gets two caches', async () => {
    const a = await setup()
    const b = await setup()
    expect(cachePathOf(a.cacheDir, a.file).split('/').pop()).not.toBe(cachePathOf(a.cacheDir, b.file).split('/').pop())
  })
})
