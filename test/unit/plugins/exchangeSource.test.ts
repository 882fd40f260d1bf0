import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { exchangePairlistSource, loadPlugins, PairlistManager, precisionModeOf } from '../../../src/plugins/index.ts'
import { type SimSetup, simSetup } from '../exchange/simSetup.ts'

describe('pairlists on the simulated exchange', () => {
  let s: SimSetup
  beforeAll(async () => {
    s = await simSetup({ extraPairs: ['ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'ADA/USDT', 'ETH/BTC'] })
  })
  afterAll(() => s.stop())

  test('VolumePairList + AgeFilter + PrecisionFilter read markets, tickers and daily candles through ccxt', async () => {
    expect(precisionModeOf(s.exchange)).toBe('tick_size')
    const registry = await loadPlugins()
    const pl = PairlistManager.create(
      registry,
      [
        { method: 'VolumePairList', number_assets: 3 },
        { method: 'AgeFilter', min_days_listed: 2 },
        { method: 'PrecisionFilter' },
      ],
      { stakeCurrency: 'USDT', stoploss: -0.1, precisionMode: precisionModeOf(s.exchange), blacklist: ['XRP/.*'] },
    )
    const tickers = await s.exchange.fetchTickers()
    const expected = Object.values(tickers)
      .filter((t) => t.symbol.endsWith('/USDT') && t.symbol !== 'XRP/USDT' && t.quoteVolume != null)
      .sort((a, b) => (b.quoteVolume as number) - (a.quoteVolume as number))
      .slice(0, 3)
      .map((t) => t.symbol)
    const source = exchangePairlistSource(s.exchange)
    const fetched: [string, number][] = []
    const candles = source.candles!
    source.candles = async (pairs, timeframe, since) => {
      const got = await candles(pairs, timeframe, since)
      for (const [p, c] of got) fetched.push([`${p} ${timeframe}`, c.date.length])
      return got
    }
    const wl = await pl.refresh(source, s.clock.now())
    expect(wl).toEqual(expected)
    expect(wl.length).toBe(3)
    // AgeFilter asked for 1d candles of the three pairs, since 3 days before today's midnight: 3 closed candles each
    expect(fetched.map(([k]) => k).sort()).toEqual(expected.map((p) => `${p} 1d`).sort())
    expect(fetched.every(([, n]) => n === 3)).toBe(true)
  })
})
