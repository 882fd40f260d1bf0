import { afterAll, describe, expect, test } from 'bun:test'
import { NoDataError } from '../../../src/data/errors.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import { storedInformative } from '../../../src/strategy/storedInformative.ts'
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
})
