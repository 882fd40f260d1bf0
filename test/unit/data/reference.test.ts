import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadPairHistory } from '../../../src/data/history.ts'
import { listData } from '../../../src/data/list.ts'

// freqtrade's own test candles, `../shared/data` next to the repository (not copied into it).
const SHARED = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')
const DATADIR = join(SHARED, 'binance')
const absent = !existsSync(DATADIR)
if (absent) console.warn(`skipping reference candle tests: ${DATADIR} is absent`)

const JAN10 = 1515560100000 // 2018-01-10 04:55 UTC
const JAN30 = 1517287800000 // 2018-01-30 04:50 UTC

// Observed once with apache-arrow's row API (table.get(i)), independently of the column reader under test.
const FEATHER: [file: string, pair: string, tf: string, n: number, first: number, last: number, close100: number][] = [
  ['ADA_BTC-5m', 'ADA/BTC', '5m', 5720, JAN10, JAN30, 0.000051340000000000007],
  ['DASH_BTC-5m', 'DASH/BTC', '5m', 5758, JAN10, JAN30, 0.07657161],
  ['ETC_BTC-5m', 'ETC/BTC', '5m', 5759, JAN10, 1517287500000, 0.00263999],
  ['ETH_BTC-5m', 'ETH/BTC', '5m', 5760, JAN10, JAN30, 0.09586499999999999],
  ['LTC_BTC-5m', 'LTC/BTC', '5m', 5760, JAN10, JAN30, 0.017025],
  ['NXT_BTC-5m', 'NXT/BTC', '5m', 5760, JAN10, JAN30, 0.00003135],
  ['TRX_BTC-5m', 'TRX/BTC', '5m', 5754, JAN10, JAN30, 0.00010386],
  ['UNITTEST_BTC-1m', 'UNITTEST/BTC', '1m', 13681, 1509836520000, 1510700340000, 0.00158274],
  ['UNITTEST_BTC-30m', 'UNITTEST/BTC', '30m', 1920, 1512306000000, 1515760200000, 0.03889999],
  ['UNITTEST_BTC-5m', 'UNITTEST/BTC', '5m', 5760, JAN10, JAN30, 0.09586499999999999],
  ['XLM_BTC-5m', 'XLM/BTC', '5m', 5760, JAN10, JAN30, 0.000037010000000000006],
  ['XMR_BTC-5m', 'XMR/BTC', '5m', 5758, JAN10, JAN30, 0.02779831],
  ['XRP_ETH-1m', 'XRP/ETH', '1m', 2469, 1570752000000, 1570965540000, 0.0014139],
  ['XRP_ETH-5m', 'XRP/ETH', '5m', 706, 1570752000000, 1570965300000, 0.00143135],
  ['ZEC_BTC-5m', 'ZEC/BTC', '5m', 5757, JAN10, 1517287500000, 0.047400000000000005],
]

describe.skipIf(absent)('freqtrade reference candles', () => {
  for (const [file, pair, tf, n, first, last, close100] of FEATHER) {
    test(`${file}.feather: ${n} candles, ${new Date(first).toISOString()} → ${new Date(last).toISOString()}`, async () => {
      const c = await loadPairHistory({ datadir: DATADIR, pair, timeframe: tf, format: 'feather' })
      expect(c.date.length).toBe(n)
      expect(c.date[0]).toBe(first)
      expect(c.date[n - 1]).toBe(last)
      expect(c.close[100]).toBe(close100)
      for (const col of [c.open, c.high, c.low, c.close, c.volume]) expect(col.length).toBe(n)
    })
  }

  test('ETH_BTC-5m: first and last candles in full', async () => {
    const c = await loadPairHistory({ datadir: DATADIR, pair: 'ETH/BTC', timeframe: '5m' })
    const row = (i: number) => [c.date[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]
    expect(row(0)).toEqual([JAN10, 0.0984, 0.0994766, 0.09828605, 0.0994766, 1820.54447418])
    expect(row(5759)).toEqual([JAN30, 0.10440995, 0.10441058, 0.10400025, 0.10441057000000001, 31.94851561])
  })

  test('UNITTEST_BTC-1m: the json file holds the same candles as the feather file', async () => {
    const f = await loadPairHistory({ datadir: DATADIR, pair: 'UNITTEST/BTC', timeframe: '1m', format: 'feather' })
    const j = await loadPairHistory({ datadir: DATADIR, pair: 'UNITTEST/BTC', timeframe: '1m', format: 'json' })
    expect(j.date.length).toBe(13681)
    expect(j.date[0]).toBe(1509836520000)
    // first json row: [1509836520000, 0.00162008, 0.00162008, 0.00162008, 0.00162008, 108.14853839]
    expect(j.volume[0]).toBe(108.14853839)
    expect(j.date).toEqual(f.date)
    // The feather file was made from this json by pandas, whose fast float parser may land one ulp off
    // (0.00162 became 0.0016200000000000001): equal to within 2 ulp, and most values exactly.
    for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) {
      let exact = 0
      for (let i = 0; i < f.date.length; i++) {
        expect(Math.abs(f[k][i] - j[k][i])).toBeLessThanOrEqual(Math.abs(j[k][i]) * 4.5e-16)
        if (f[k][i] === j[k][i]) exact++
      }
      expect(exact).toBeGreaterThan(f.date.length * 0.75)
    }
  })

  test('format auto-detection prefers feather over json', async () => {
    const auto = await loadPairHistory({ datadir: DATADIR, pair: 'UNITTEST/BTC', timeframe: '1m' })
    expect(auto.date.length).toBe(13681)
  })

  test('listData finds every file with its span', async () => {
    const rows = await listData(DATADIR)
    expect(rows.length).toBe(16)
    const eth = rows.find((r) => r.pair === 'ETH/BTC' && r.timeframe === '5m')
    expect(eth).toMatchObject({ format: 'feather', start: JAN10, end: JAN30, candles: 5760 })
    const json = rows.find((r) => r.pair === 'UNITTEST/BTC' && r.format === 'json')
    expect(json).toMatchObject({ timeframe: '1m', candles: 13681 })
    // sorted by pair, then timeframe length: UNITTEST/BTC 1m, 1m, 5m, 30m
    expect(rows.filter((r) => r.pair === 'UNITTEST/BTC').map((r) => r.timeframe)).toEqual(['1m', '1m', '5m', '30m'])
  })
})
