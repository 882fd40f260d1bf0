import { beforeAll, describe, expect, test } from 'bun:test'
import { dailyVolatility } from '../../../plugins/pairlists/VolatilityFilter.ts'
import {
  definePairList,
  loadPlugins,
  type MarketInfo,
  type PairlistDataSource,
  PairlistManager,
  type PairlistManagerOptions,
  type PairPerformance,
  type PluginRegistry,
  type TickerInfo,
  Type,
} from '../../../src/plugins/index.ts'
import { candleSource, DAY, daily, market, markets, tickers } from './data.ts'

let registry: PluginRegistry
beforeAll(async () => {
  registry = await loadPlugins()
})

const NOW = Date.UTC(2024, 0, 20, 12, 0, 0)
const TODAY = Date.UTC(2024, 0, 20)

type Block = { method: string } & Record<string, unknown>

function manager(blocks: Block[], opts: Partial<PairlistManagerOptions> = {}): PairlistManager {
  return PairlistManager.create(registry, blocks, { stakeCurrency: 'BTC', ...opts })
}

function source(
  m: Record<string, MarketInfo>,
  t: Record<string, TickerInfo> = {},
  extra: Partial<PairlistDataSource> = {},
): PairlistDataSource {
  return { markets: () => m, tickers: () => t, ...extra }
}

describe('StaticPairList', () => {
  const m = markets(
    market('ETH/BTC'),
    market('XRP/BTC'),
    market('ADA/BTC'),
    market('DEAD/BTC', { active: false }),
    market('LTC/USDT'),
  )

  test('keeps configured pairs that exist, are active and use the stake currency; expands wildcards', async () => {
    const pl = manager([{ method: 'StaticPairList' }], {
      pairWhitelist: ['ETH/BTC', 'DEAD/BTC', 'LTC/USDT', 'NOPE/BTC', 'ADA/.*', 'ETH/BTC'],
    })
    expect(await pl.build(source(m), NOW)).toEqual(['ETH/BTC', 'ADA/BTC'])
  })

  test('allow_inactive keeps inactive and unknown plain pairs', async () => {
    const pl = manager([{ method: 'StaticPairList', allow_inactive: true }], {
      pairWhitelist: ['ETH/BTC', 'DEAD/BTC', 'NOPE/BTC'],
    })
    expect(await pl.build(source(m), NOW)).toEqual(['ETH/BTC', 'DEAD/BTC', 'NOPE/BTC'])
  })

  test('blacklist with wildcards is applied last', async () => {
    const pl = manager([{ method: 'StaticPairList' }], {
      pairWhitelist: ['ETH/BTC', 'XRP/BTC', 'ADA/BTC'],
      blacklist: ['X.*/BTC', 'ada/btc'],
    })
    expect(await pl.build(source(m), NOW)).toEqual(['ETH/BTC'])
    expect(pl.expandedBlacklist(Object.keys(m))).toEqual(['XRP/BTC', 'ADA/BTC'])
  })
})

describe('VolumePairList', () => {
  const m = markets(
    market('A/BTC'),
    market('B/BTC'),
    market('C/BTC'),
    market('D/BTC'),
    market('E/BTC', { active: false }),
    market('F/USDT'),
  )
  const t = tickers(
    { symbol: 'A/BTC', quoteVolume: 50 },
    { symbol: 'B/BTC', quoteVolume: 500 },
    { symbol: 'C/BTC', quoteVolume: 5 },
    { symbol: 'D/BTC', quoteVolume: 200 },
    { symbol: 'E/BTC', quoteVolume: 9999 },
    { symbol: 'F/USDT', quoteVolume: 8888 },
  )

  test('sorts by quote volume, keeps number_assets, skips inactive and other quotes', async () => {
    const pl = manager([{ method: 'VolumePairList', number_assets: 3 }])
    expect(pl.needsTickers).toBe(true)
    expect(await pl.build(source(m, t), NOW)).toEqual(['B/BTC', 'D/BTC', 'A/BTC'])
  })

  test('min_value drops pairs at or below it; blacklisted pairs do not take a slot', async () => {
    const pl = manager([{ method: 'VolumePairList', number_assets: 2, min_value: 50 }], { blacklist: ['B/BTC'] })
    // B is blacklisted, A has exactly 50 (not above): D is the only one left.
    expect(await pl.build(source(m, t), NOW)).toEqual(['D/BTC'])
    const pl2 = manager([{ method: 'VolumePairList', number_assets: 2 }], { blacklist: ['B/BTC'] })
    expect(await pl2.build(source(m, t), NOW)).toEqual(['D/BTC', 'A/BTC'])
  })

  test('the list holds for refresh_period seconds', async () => {
    const pl = manager([{ method: 'VolumePairList', number_assets: 1, refresh_period: 60 }])
    expect(await pl.build(source(m, t), NOW)).toEqual(['B/BTC'])
    const t2 = { ...t, 'C/BTC': { symbol: 'C/BTC', quoteVolume: 1e6 } }
    expect(await pl.build(source(m, t2), NOW + 59_000)).toEqual(['B/BTC'])
    expect(await pl.build(source(m, t2), NOW + 60_000)).toEqual(['C/BTC'])
  })

  test('config without number_assets names the plugin and the key', () => {
    expect(() => manager([{ method: 'VolumePairList' }])).toThrow(
      /pairlists\[0\] \(VolumePairList\): key 'number_assets'/,
    )
  })
})

describe('PercentChangePairList', () => {
  const m = markets(market('A/BTC'), market('B/BTC'), market('C/BTC'), market('D/BTC'))
  const t = tickers(
    { symbol: 'A/BTC', percentage: 5 },
    { symbol: 'B/BTC', percentage: -3 },
    { symbol: 'C/BTC', percentage: 12 },
    { symbol: 'D/BTC' },
  )
  test('biggest gainers first; missing change counts as 0', async () => {
    const pl = manager([{ method: 'PercentChangePairList', number_assets: 4 }])
    expect(await pl.build(source(m, t), NOW)).toEqual(['C/BTC', 'A/BTC', 'D/BTC', 'B/BTC'])
  })
  test('asc with min_value and max_value', async () => {
    const pl = manager([
      { method: 'PercentChangePairList', number_assets: 2, sort_direction: 'asc', min_value: -5, max_value: 10 },
    ])
    expect(await pl.build(source(m, t), NOW)).toEqual(['B/BTC', 'D/BTC'])
  })
})

describe('AgeFilter', () => {
  const m = markets(market('OLD/BTC'), market('NEW/BTC'), market('MID/BTC'))
  const rows = (n: number) => Array.from({ length: n }, () => [1, 1, 1, 1] as [number, number, number, number])

  test('removes pairs with fewer daily candles than min_days_listed; passed pairs are not asked again', async () => {
    const candles = candleSource({ 'OLD/BTC': daily(TODAY, rows(40)), 'NEW/BTC': daily(TODAY, rows(4)) })
    const pl = manager([{ method: 'StaticPairList' }, { method: 'AgeFilter', min_days_listed: 10 }], {
      pairWhitelist: ['OLD/BTC', 'NEW/BTC'],
    })
    expect(await pl.build(source(m, {}, { candles }), NOW)).toEqual(['OLD/BTC'])
    // 10 days + 1 before today's midnight.
    expect(candles.calls[0]).toEqual({ pairs: ['OLD/BTC', 'NEW/BTC'], timeframe: '1d', sinceMs: TODAY - 11 * DAY })
    expect(await pl.build(source(m, {}, { candles }), NOW + 3_600_000)).toEqual(['OLD/BTC'])
    expect(candles.calls.length).toBe(1) // NEW failed less than a day ago, OLD passed
    await pl.build(source(m, {}, { candles }), NOW + DAY)
    expect(candles.calls[1]?.pairs).toEqual(['NEW/BTC'])
  })

  test('max_days_listed removes pairs listed longer', async () => {
    const candles = candleSource({
      'OLD/BTC': daily(TODAY, rows(40)),
      'MID/BTC': daily(TODAY, rows(15)),
      'NEW/BTC': daily(TODAY, rows(4)),
    })
    const pl = manager(
      [{ method: 'StaticPairList' }, { method: 'AgeFilter', min_days_listed: 5, max_days_listed: 20 }],
      { pairWhitelist: ['OLD/BTC', 'MID/BTC', 'NEW/BTC'] },
    )
    // since = 21 days back: OLD has 21 candles (> 20), MID 15, NEW 4 (< 5).
    expect(await pl.build(source(m, {}, { candles }), NOW)).toEqual(['MID/BTC'])
  })

  test('max below min is rejected naming the key', () => {
    expect(() =>
      manager([{ method: 'StaticPairList' }, { method: 'AgeFilter', min_days_listed: 10, max_days_listed: 3 }]),
    ).toThrow(/pairlists\[1\] \(AgeFilter\): key 'max_days_listed'/)
  })
})

describe('PrecisionFilter', () => {
  test('removes pairs whose stop price and stop price -1% round up to the same tick', async () => {
    const m = markets(market('FINE/BTC', { tick: 1e-8 }), market('COARSE/BTC', { tick: 1e-8 }), market('NOT/BTC'))
    // stoploss -5%: FINE stop 0.0000095 (950 ticks) vs 0.000009405 -> 941 ticks: kept.
    // COARSE stop 0.00000019 (19 ticks) vs 0.0000001881 -> 19 ticks: removed. NOT has no last price.
    const t = tickers(
      { symbol: 'FINE/BTC', last: 0.00001 },
      { symbol: 'COARSE/BTC', last: 0.0000002 },
      { symbol: 'NOT/BTC' },
    )
    const pl = manager([{ method: 'StaticPairList' }, { method: 'PrecisionFilter' }], {
      pairWhitelist: ['FINE/BTC', 'COARSE/BTC', 'NOT/BTC'],
      stoploss: -0.05,
    })
    expect(await pl.build(source(m, t), NOW)).toEqual(['FINE/BTC'])
  })

  test('needs a stoploss', () => {
    expect(() => manager([{ method: 'StaticPairList' }, { method: 'PrecisionFilter' }])).toThrow(
      /PrecisionFilter can only work with stoploss defined/,
    )
  })
})

describe('PriceFilter', () => {
  const m = markets(
    market('CHEAP/BTC', { tick: 1e-8 }),
    market('OK/BTC', { tick: 1e-8, minAmount: 1, step: 1 }),
    market('DEAR/BTC', { tick: 1e-8 }),
    market('LOW/BTC', { tick: 1e-8 }),
    market('STEP/BTC', { tick: 1e-8, minAmount: 1, step: 1 }),
  )
  const t = tickers(
    { symbol: 'CHEAP/BTC', last: 0.0000005 }, // one tick is 2% of the price
    { symbol: 'OK/BTC', last: 0.5 },
    { symbol: 'DEAR/BTC', last: 12 },
    { symbol: 'LOW/BTC', last: 0.00005 },
    { symbol: 'STEP/BTC', last: 2 }, // one amount step is worth 2 BTC
  )
  const all = ['CHEAP/BTC', 'OK/BTC', 'DEAR/BTC', 'LOW/BTC', 'STEP/BTC']
  test('low_price_ratio', async () => {
    const pl = manager([{ method: 'StaticPairList' }, { method: 'PriceFilter', low_price_ratio: 0.01 }], {
      pairWhitelist: all,
    })
    expect(await pl.build(source(m, t), NOW)).toEqual(['OK/BTC', 'DEAR/BTC', 'LOW/BTC', 'STEP/BTC'])
  })
  test('min_price, max_price and max_value', async () => {
    const pl = manager(
      [{ method: 'StaticPairList' }, { method: 'PriceFilter', min_price: 0.0001, max_price: 10, max_value: 1 }],
      { pairWhitelist: all },
    )
    expect(await pl.build(source(m, t), NOW)).toEqual(['OK/BTC'])
  })
})

describe('SpreadFilter', () => {
  test('removes pairs with spread above max_spread_ratio or without bid/ask', async () => {
    const m = markets(market('TIGHT/BTC'), market('WIDE/BTC'), market('NOASK/BTC'))
    const t = tickers(
      { symbol: 'TIGHT/BTC', bid: 99.9, ask: 100 }, // 0.1%
      { symbol: 'WIDE/BTC', bid: 99, ask: 100 }, // 1%
      { symbol: 'NOASK/BTC', bid: 99 },
    )
    const pl = manager([{ method: 'StaticPairList' }, { method: 'SpreadFilter', max_spread_ratio: 0.005 }], {
      pairWhitelist: ['TIGHT/BTC', 'WIDE/BTC', 'NOASK/BTC'],
    })
    expect(await pl.build(source(m, t), NOW)).toEqual(['TIGHT/BTC'])
  })
})

describe('RangeStabilityFilter', () => {
  const m = markets(market('A/BTC'), market('B/BTC'), market('C/BTC'), market('D/BTC'))
  const candles = candleSource({
    'A/BTC': daily(TODAY, [
      [100, 105, 100, 104],
      [104, 110, 101, 108],
    ]), // (110 - 100) / 100 = 0.10
    'B/BTC': daily(TODAY, [[100, 101, 100, 100]]), // 0.01
    'C/BTC': daily(TODAY, [[100, 200, 100, 150]]), // 1.0
    'D/BTC': daily(TODAY, [[100, 130, 100, 120]]), // 0.30
  })
  test('min and max rate of change, sorted descending', async () => {
    const pl = manager(
      [
        { method: 'StaticPairList' },
        {
          method: 'RangeStabilityFilter',
          lookback_days: 3,
          min_rate_of_change: 0.05,
          max_rate_of_change: 0.5,
          sort_direction: 'desc',
        },
      ],
      { pairWhitelist: ['A/BTC', 'B/BTC', 'C/BTC', 'D/BTC'] },
    )
    expect(await pl.build(source(m, {}, { candles }), NOW)).toEqual(['D/BTC', 'A/BTC'])
    expect(candles.calls.at(-1)?.sinceMs).toBe(TODAY - 4 * DAY)
  })
})

describe('VolatilityFilter', () => {
  test('daily volatility as freqtrade computes it (hand-worked)', () => {
    // closes 100, 110, 99; returns 0, ln(100/110), ln(110/99); windows of 2, sample std x sqrt(2):
    // 0.0953101798, 0.2006706955 -> mean 0.1479904376
    expect(
      dailyVolatility(
        daily(TODAY, [
          [0, 0, 0, 100],
          [0, 0, 0, 110],
          [0, 0, 0, 99],
        ]),
        2,
      ),
    ).toBeCloseTo(0.1479904376, 9)
  })
  test('keeps pairs inside [min, max]', async () => {
    const m = markets(market('WILD/BTC'), market('CALM/BTC'), market('NONE/BTC'))
    const candles = candleSource({
      'WILD/BTC': daily(TODAY, [
        [0, 0, 0, 100],
        [0, 0, 0, 110],
        [0, 0, 0, 99],
      ]), // 0.148
      'CALM/BTC': daily(TODAY, [
        [0, 0, 0, 100],
        [0, 0, 0, 101],
        [0, 0, 0, 100.5],
      ]),
    })
    const pl = manager(
      [{ method: 'StaticPairList' }, { method: 'VolatilityFilter', lookback_days: 2, min_volatility: 0.05 }],
      { pairWhitelist: ['WILD/BTC', 'CALM/BTC', 'NONE/BTC'] },
    )
    expect(await pl.build(source(m, {}, { candles }), NOW)).toEqual(['WILD/BTC'])
  })
})

describe('ShuffleFilter', () => {
  const pairs = Array.from({ length: 12 }, (_, i) => `P${i}/BTC`)
  const m = markets(...pairs.map((p) => market(p)))
  const chain = (extra: Record<string, unknown>) =>
    manager([{ method: 'StaticPairList' }, { method: 'ShuffleFilter', ...extra }], {
      pairWhitelist: pairs,
      timeframe: '5m',
    })

  test('a seed gives the same permutation every time', async () => {
    const a = await chain({ seed: 7 }).build(source(m), NOW)
    const b = await chain({ seed: 7 }).build(source(m), NOW)
    const c = await chain({ seed: 8 }).build(source(m), NOW)
    expect(a).toEqual(b)
    expect([...a].sort()).toEqual([...pairs].sort())
    expect(a).not.toEqual(pairs)
    expect(c).not.toEqual(a)
  })

  test('candle frequency holds the order within a candle; iteration reshuffles', async () => {
    const perCandle = chain({ seed: 7 })
    const first = await perCandle.build(source(m), NOW)
    expect(await perCandle.build(source(m), NOW + 60_000)).toEqual(first)
    expect(await perCandle.build(source(m), NOW + 300_000)).not.toEqual(first)
    const perIteration = chain({ seed: 7, shuffle_frequency: 'iteration' })
    const one = await perIteration.build(source(m), NOW)
    expect(await perIteration.build(source(m), NOW)).not.toEqual(one)
  })
})

describe('PerformanceFilter', () => {
  const m = markets(market('A/BTC'), market('B/BTC'), market('C/BTC'), market('D/BTC'), market('E/BTC'))
  const perf: PairPerformance[] = [
    { pair: 'A/BTC', profitRatio: 0.05, profitAbs: 1, count: 3 },
    { pair: 'B/BTC', profitRatio: 0.05, profitAbs: 1, count: 1 },
    { pair: 'C/BTC', profitRatio: -0.02, profitAbs: -1, count: 2 },
    { pair: 'E/BTC', profitRatio: 0.2, profitAbs: 3, count: 4 },
  ]
  const wl = ['A/BTC', 'B/BTC', 'C/BTC', 'D/BTC', 'E/BTC']
  test('best profit first, then fewer trades, pairs without trades as 0', async () => {
    const asked: number[] = []
    const pl = manager([{ method: 'StaticPairList' }, { method: 'PerformanceFilter', minutes: 90 }], {
      pairWhitelist: wl,
    })
    const performance = (minutes: number) => {
      asked.push(minutes)
      return perf
    }
    const src = source(m, {}, { performance })
    expect(await pl.build(src, NOW)).toEqual(['E/BTC', 'B/BTC', 'A/BTC', 'D/BTC', 'C/BTC'])
    expect(asked).toEqual([90])
  })
  test('min_profit removes pairs below it; no trades at all passes the list unchanged', async () => {
    const pl = manager([{ method: 'StaticPairList' }, { method: 'PerformanceFilter', min_profit: 0.01 }], {
      pairWhitelist: wl,
    })
    expect(await pl.build(source(m, {}, { performance: () => perf }), NOW)).toEqual(['E/BTC', 'B/BTC', 'A/BTC'])
    expect(await pl.build(source(m, {}, { performance: () => [] }), NOW)).toEqual(wl)
  })
})

describe('OffsetFilter', () => {
  test('offset then number_assets', async () => {
    const wl = ['A/BTC', 'B/BTC', 'C/BTC', 'D/BTC', 'E/BTC']
    const m = markets(...wl.map((p) => market(p)))
    const pl = manager([{ method: 'StaticPairList' }, { method: 'OffsetFilter', offset: 1, number_assets: 2 }], {
      pairWhitelist: wl,
    })
    expect(await pl.build(source(m), NOW)).toEqual(['B/BTC', 'C/BTC'])
    const past = manager([{ method: 'StaticPairList' }, { method: 'OffsetFilter', offset: 9 }], { pairWhitelist: wl })
    expect(await past.build(source(m), NOW)).toEqual([])
  })
})

describe('chains and isolation', () => {
  test('VolumePairList -> SpreadFilter -> PriceFilter -> OffsetFilter with a blacklist', async () => {
    const m = markets(...['A', 'B', 'C', 'D', 'E', 'BNB'].map((b) => market(`${b}/BTC`)))
    const t = tickers(
      { symbol: 'A/BTC', quoteVolume: 900, bid: 0.999, ask: 1, last: 1 },
      { symbol: 'B/BTC', quoteVolume: 800, bid: 0.9, ask: 1, last: 1 }, // spread 10%
      { symbol: 'C/BTC', quoteVolume: 700, bid: 0.0999, ask: 0.1, last: 0.1 },
      { symbol: 'D/BTC', quoteVolume: 600, bid: 19.99, ask: 20, last: 20 }, // above max_price
      { symbol: 'E/BTC', quoteVolume: 500, bid: 0.4999, ask: 0.5, last: 0.5 },
      { symbol: 'BNB/BTC', quoteVolume: 1000, bid: 1, ask: 1, last: 1 },
    )
    const pl = manager(
      [
        { method: 'VolumePairList', number_assets: 10 },
        { method: 'SpreadFilter', max_spread_ratio: 0.01 },
        { method: 'PriceFilter', max_price: 10 },
        { method: 'OffsetFilter', offset: 1 },
      ],
      { blacklist: ['BNB/.*'] },
    )
    expect(pl.names).toEqual(['VolumePairList', 'SpreadFilter', 'PriceFilter', 'OffsetFilter'])
    expect(await pl.refresh(source(m, t), NOW)).toEqual(['C/BTC', 'E/BTC'])
  })

  test('a failing pairlist keeps the last good whitelist', async () => {
    let fail = false
    const local = await loadPlugins()
    local.add(
      definePairList({
        name: 'Flaky',
        description: 'fails on demand',
        isGenerator: false,
        needsTickers: false,
        needsCandles: false,
        config: Type.Object({}),
        create: () => ({
          filter(pairs) {
            if (fail) throw new Error('boom')
            return pairs.slice(0, 1)
          },
        }),
      }),
    )
    const m = markets(market('A/BTC'), market('B/BTC'))
    const pl = PairlistManager.create(local, [{ method: 'StaticPairList' }, { method: 'Flaky' }], {
      stakeCurrency: 'BTC',
      pairWhitelist: ['A/BTC', 'B/BTC'],
    })
    expect(await pl.refresh(source(m), NOW)).toEqual(['A/BTC'])
    fail = true
    expect(await pl.refresh(source(m), NOW)).toEqual(['A/BTC'])
    await expect(pl.build(source(m), NOW)).rejects.toThrow('pairlist Flaky failed: boom')
  })

  test('config errors name the block, the plugin and the key', () => {
    expect(() => manager([{ method: 'StaticPairList' }, { method: 'AgeFilter', min_days_listed: 'ten' }])).toThrow(
      /pairlists\[1\] \(AgeFilter\): key 'min_days_listed': Expected integer/,
    )
    expect(() => manager([{ method: 'NoSuchList' }])).toThrow(/pairlists\[0\]: unknown pairlist 'NoSuchList'/)
    expect(() => manager([{ method: 'AgeFilter' }])).toThrow(/first pairlist handler must be a generator/)
    expect(() => manager([{ method: 'StaticPairList' }], { blacklist: ['(unclosed'] })).toThrow(
      /Wildcard error in \(unclosed/,
    )
  })
})

describe('blacklist changes (API)', () => {
  test('add and remove with freqtrade errors; the next refresh applies them', async () => {
    const m = markets(market('ETH/BTC'), market('XRP/BTC'), market('BNB/BTC'))
    const pl = manager([{ method: 'StaticPairList' }], {
      pairWhitelist: ['ETH/BTC', 'XRP/BTC', 'BNB/BTC'],
      blacklist: ['BNB/BTC'],
    })
    expect(pl.addToBlacklist(['XRP/.*', 'BNB/BTC', '(bad'])).toEqual({
      'BNB/BTC': { error_msg: 'Pair BNB/BTC already in pairlist.' },
      '(bad': { error_msg: 'Pair (bad is not a valid wildcard.' },
    })
    expect(pl.blacklist).toEqual(['BNB/BTC', 'XRP/.*'])
    expect(await pl.refresh(source(m), NOW)).toEqual(['ETH/BTC'])
    expect(pl.removeFromBlacklist(['BNB/BTC', 'LTC/BTC'])).toEqual({
      'LTC/BTC': { error_msg: 'Pair LTC/BTC is not in the current blacklist.' },
    })
    expect(await pl.refresh(source(m), NOW)).toEqual(['ETH/BTC', 'BNB/BTC'])
  })
})
