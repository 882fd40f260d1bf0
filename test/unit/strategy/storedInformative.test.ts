import { afterAll, describe, expect, test } from 'bun:test'
import { NoDataError } from '../../../src/data/errors.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import {
  forgetStoredInformative,
  StoredInformative,
  storedInformative,
} from '../../../src/strategy/storedInformative.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from './candles.ts'

const dir = tempDir('tern-stored-informative-')
afterAll(() => dir.cleanup())

const store = (n: number, seed: number) =>
  storePairHistory({
    datadir: dir.path,
    pair: 'BTC/USDT',
    timeframe: '1h',
    format: 'feather',
    candles: ohlcvOf(makeCandles({ n, seed, timeframe: '1h' })),
  })

describe('informative candles read on first use', () => {
  test('read once per run and kept; another run reads the files again', async () => {
    await store(100, 1)
    const a = storedInformative({ datadir: dir.path, run: 'a' })
    expect([...a.keys()]).toEqual([])
    const first = a.get('BTC/USDT|1h')
    expect(first?.length).toBe(100)
    expect(storedInformative({ datadir: dir.path, run: 'a' })).toBe(a)
    expect(a.get('BTC/USDT|1h')).toBe(first)
    expect([...a.keys()]).toEqual(['BTC/USDT|1h'])
    // its buffers are known, so that no column made of them is ever recycled
    expect(a.buffers.has(first?.col('close').buffer as ArrayBufferLike)).toBe(true)

    await store(120, 2)
    const b = storedInformative({ datadir: dir.path, run: 'b' })
    expect(b).not.toBe(a)
    expect(b.get('BTC/USDT|1h')?.length).toBe(120)
  })

  test('the timerange cuts them; a pair without candles is a data error naming it', () => {
    const start = Date.UTC(2024, 0, 2)
    const cut = storedInformative({ datadir: dir.path, run: 'c', timerange: { startMs: start } })
    const dates = cut.get('BTC/USDT|1h')?.col('date') as Float64Array
    expect(dates[0]).toBe(start)
    expect(() => cut.get('ETH/USDT|1h')).toThrow(NoDataError)
    expect(() => cut.get('ETH/USDT|1h')).toThrow(`No data for ETH/USDT 1h in ${dir.path}`)
  })

  test('beyond its byte budget the oldest frame is forgotten, and read again when asked for', async () => {
    await storePairHistory({
      datadir: dir.path,
      pair: 'ETH/USDT',
      timeframe: '1h',
      format: 'feather',
      candles: ohlcvOf(makeCandles({ n: 120, seed: 3, timeframe: '1h' })),
    })
    // 120 candles × 6 columns × 8 bytes = 5,760 bytes a frame: room for one
    const one = new StoredInformative({ datadir: dir.path }, 6_000)
    const btc = one.get('BTC/USDT|1h')
    const eth = one.get('ETH/USDT|1h')
    expect([...one.keys()]).toEqual(['ETH/USDT|1h'])
    expect(one.buffers.has(btc?.col('close').buffer as ArrayBufferLike)).toBe(false)
    expect(one.buffers.has(eth?.col('close').buffer as ArrayBufferLike)).toBe(true)
    const again = one.get('BTC/USDT|1h')
    expect(again).not.toBe(btc)
    expect(Array.from(again?.col('close') ?? [])).toEqual(Array.from(btc?.col('close') ?? []))
  })
})

describe('forgetStoredInformative', () => {
  test('a backtest done analysing lets its frames go; the next ask reads them again', () => {
    const source = { datadir: dir.path, run: 'forget' }
    const a = storedInformative(source)
    const frame = a.get('BTC/USDT|1h')
    forgetStoredInformative(source)
    const b = storedInformative(source)
    expect(b).not.toBe(a)
    expect(b.get('BTC/USDT|1h')).not.toBe(frame)
  })
})
