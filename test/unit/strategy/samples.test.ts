import { describe, expect, test } from 'bun:test'
import { ema, rsi } from '../../../src/indicators/index.ts'
import { analyze, informativeKey, loadStrategy, tagAt } from '../../../src/strategy/index.ts'
import { makeCandles, resample, rowsWhere } from './candles.ts'

const meta = { pair: 'BTC/USDT', timeframe: '5m' }
const HOUR = 3_600_000
const FIVE_MIN = 300_000

describe('EmaCross', () => {
  test('enters exactly where EMA(12) crosses above EMA(26), exits where it crosses back, with tags', async () => {
    const s = await loadStrategy('EmaCross')
    expect(s.minimalRoi).toEqual({ 0: 0.04, 30: 0.02 })
    expect(s.plotConfig?.main_plot).toHaveProperty('ema_fast')
    const df = analyze(s, makeCandles({ n: 3000, seed: 3 }), meta)
    const fast = ema(df.col('close'), 12)
    const slow = ema(df.col('close'), 26)
    const ups: number[] = []
    const downs: number[] = []
    for (let i = 1; i < df.length; i++) {
      if (fast[i] > slow[i] && fast[i - 1] <= slow[i - 1]) ups.push(i)
      if (fast[i] < slow[i] && fast[i - 1] >= slow[i - 1]) downs.push(i)
    }
    expect(ups.length).toBeGreaterThan(10)
    expect(rowsWhere(df, 'enter_long')).toEqual(ups)
    expect(rowsWhere(df, 'exit_long')).toEqual(downs)
    expect(tagAt(df, 'enter_tag', ups[0])).toBe('ema_cross_up')
    expect(tagAt(df, 'enter_tag', ups[0] + 1)).toBeUndefined()
    expect(tagAt(df, 'exit_tag', downs[0])).toBe('ema_cross_down')
  })

  test('no entry on a candle without volume', async () => {
    const df = makeCandles({ n: 3000, seed: 3 })
    const first = rowsWhere(
      analyze(await loadStrategy('EmaCross'), makeCandles({ n: 3000, seed: 3 }), meta),
      'enter_long',
    )
    df.col('volume')[first[0]] = 0
    const after = rowsWhere(analyze(await loadStrategy('EmaCross'), df, meta), 'enter_long')
    expect(after).toEqual(first.slice(1))
  })
})

describe('RsiBollinger', () => {
  test('enters only oversold below the lower band; exits tagged by reason', async () => {
    const s = await loadStrategy('RsiBollinger')
    const df = analyze(s, makeCandles({ n: 3000, seed: 5 }), meta)
    const r = rsi(df.col('close'), 14)
    const entries = rowsWhere(df, 'enter_long')
    expect(entries.length).toBeGreaterThan(5)
    for (const i of entries) {
      expect(r[i]).toBeLessThan(30)
      expect(df.col('close')[i]).toBeLessThan(df.col('bb_lower')[i])
      expect(tagAt(df, 'enter_tag', i)).toBe('rsi_bb_oversold')
    }
    // Every candle that qualifies is an entry (none missed).
    let qualifying = 0
    for (let i = 0; i < df.length; i++) if (r[i] < 30 && df.col('close')[i] < df.col('bb_lower')[i]) qualifying++
    expect(entries.length).toBe(qualifying)
    const exits = rowsWhere(df, 'exit_long')
    expect(exits.length).toBeGreaterThan(5)
    for (const i of exits) {
      expect(tagAt(df, 'exit_tag', i)).toBe(r[i] > 70 ? 'rsi_overbought' : 'bb_middle')
    }
    // Bollinger(20, 2): the middle band is the 20-candle mean of the close.
    const close = df.col('close')
    let sum = 0
    for (let i = 100; i < 120; i++) sum += close[i]
    expect(df.col('bb_middle')[119]).toBeCloseTo(sum / 20, 10)
  })

  test('customStoploss tightens once in profit and leaves the stop alone before', async () => {
    const s = await loadStrategy('RsiBollinger')
    expect(s.useCustomStoploss).toBe(true)
    const ctx = (currentProfit: number) => ({
      pair: 'BTC/USDT',
      nowMs: 0,
      currentRate: 100,
      currentProfit,
      afterFill: false,
      trade: {
        id: 1,
        pair: 'BTC/USDT',
        isOpen: true,
        openRate: 100,
        openDateMs: 0,
        amount: 1,
        stakeAmount: 100,
        nrOfSuccessfulEntries: 1,
        nrOfSuccessfulExits: 0,
        profitRatio: (rate: number) => rate / 100 - 1,
        filledOrders: () => [],
      },
    })
    expect(s.customStoploss?.(ctx(0.01))).toBeUndefined()
    expect(s.customStoploss?.(ctx(0.02))).toBe(-0.03)
    expect(s.customStoploss?.(ctx(0.07))).toBe(-0.015)
  })
})

describe('InformativeTrend', () => {
  test('asks for the 1h candles of every whitelisted pair', async () => {
    const s = await loadStrategy('InformativeTrend')
    expect(s.informativePairs(['BTC/USDT', 'ETH/USDT'])).toEqual([
      ['BTC/USDT', '1h'],
      ['ETH/USDT', '1h'],
    ])
  })

  test('merges the 1h EMA without look-ahead and filters entries by it', async () => {
    const s = await loadStrategy('InformativeTrend')
    const candles = makeCandles({ n: 6000, seed: 11 })
    const hourly = resample(candles, '1h')
    const hourlyEma = ema(hourly.col('close'), 50)
    const df = analyze(s, candles, meta, new Map([[informativeKey('BTC/USDT', '1h'), hourly]]))
    expect(hourly.has('ema_trend')).toBe(false) // the strategy's frame was a copy

    const hourDate = hourly.col('date')
    const date = df.col('date')
    const trend = df.col('ema_trend_1h')
    let checked = 0
    for (let i = 0; i < df.length; i += 7) {
      // The last hour that has closed by the end of this 5m candle: opened at or before date + 5m - 1h.
      const visible = date[i] + FIVE_MIN - HOUR
      let j = -1
      while (j + 1 < hourDate.length && hourDate[j + 1] <= visible) j++
      const want = j < 0 ? Number.NaN : hourlyEma[j]
      expect(Object.is(trend[i], want) || trend[i] === want).toBe(true)
      if (!Number.isNaN(want)) checked++
    }
    expect(checked).toBeGreaterThan(500)
    // 12:55's candle closes with the 12:00 hour and may see it; 12:50's may not.
    const at = (ms: number) => (ms - date[0]) / FIVE_MIN
    const noon = date[0] + 100 * HOUR
    expect(df.col('close_1h')[at(noon + 55 * 60_000)]).toBe(hourly.col('close')[100])
    expect(df.col('close_1h')[at(noon + 50 * 60_000)]).toBe(hourly.col('close')[99])

    const entries = rowsWhere(df, 'enter_long')
    expect(entries.length).toBeGreaterThan(0)
    for (const i of entries) {
      expect(df.col('close_1h')[i]).toBeGreaterThan(trend[i])
      expect(tagAt(df, 'enter_tag', i)).toBe('cross_in_1h_uptrend')
    }
    // Without the filter there would be more entries: the 1h trend removed some.
    const fast = ema(df.col('close'), 9)
    const slow = ema(df.col('close'), 21)
    let crosses = 0
    for (let i = 1; i < df.length; i++) if (fast[i] > slow[i] && fast[i - 1] <= slow[i - 1]) crosses++
    expect(crosses).toBeGreaterThan(entries.length)
  })

  test('fails the pair, naming it, when its informative candles are missing', async () => {
    const s = await loadStrategy('InformativeTrend')
    expect(() => analyze(s, makeCandles({ n: 100 }), meta)).toThrow(
      'strategy InformativeTrend failed on BTC/USDT: populateIndicators threw: InformativeTrend: no informative candles for BTC/USDT|1h',
    )
  })
})

describe('EmaCrossDca', () => {
  /** A trade as adjustTradePosition sees it: filled entries of `stakes` at 100, `exits` exits so far. */
  const trade = (stakes: number[], exits = 0) => ({
    id: 1,
    pair: 'BTC/USDT',
    isOpen: true,
    openRate: 100,
    openDateMs: 0,
    amount: stakes.reduce((s, x) => s + x, 0) / 100,
    stakeAmount: stakes.reduce((s, x) => s + x, 0),
    nrOfSuccessfulEntries: stakes.length,
    nrOfSuccessfulExits: exits,
    profitRatio: (rate: number) => rate / 100 - 1,
    filledOrders: () =>
      stakes.map((x) => ({
        side: 'buy' as const,
        price: 100,
        amount: x / 100,
        filled: x / 100,
        remaining: 0,
        average: 100,
        createdMs: 0,
        status: 'closed',
      })),
  })
  const ask = async (stakes: number[], profit: number, exits = 0, minStake?: number) =>
    (await loadStrategy('EmaCrossDca')).adjustTradePosition?.({
      pair: 'BTC/USDT',
      nowMs: 0,
      trade: trade(stakes, exits),
      currentRate: 100 * (1 + profit),
      currentProfit: profit,
      minStake,
      maxStake: 1000,
      currentEntryRate: 100 * (1 + profit),
      currentExitRate: 100 * (1 + profit),
      currentEntryProfit: profit,
      currentExitProfit: profit,
    })

  test('buys the first stake again 2 % further down per entry, sells a third once 3 % up', async () => {
    const s = await loadStrategy('EmaCrossDca')
    expect([s.positionAdjustmentEnable, s.maxEntryPositionAdjustment, s.stoploss]).toEqual([true, 2, -0.2])
    expect(await ask([60], -0.01)).toBeUndefined()
    expect(await ask([60], -0.025)).toEqual([60, 'dca_1'])
    // two entries: only past −4 %
    expect(await ask([60, 60], -0.03)).toBeUndefined()
    expect(await ask([60, 60], -0.045)).toEqual([60, 'dca_2'])
    expect(await ask([60, 60], 0.04)).toEqual([-40, 'take_third'])
    expect(await ask([60, 60], 0.04, 1)).toBeUndefined()
    // a stake below the market's minimum is not asked for
    expect(await ask([60], -0.025, 0, 70)).toBeUndefined()
  })
})
