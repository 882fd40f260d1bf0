import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BacktestResult, runBacktestDetailed } from '../../../src/backtest/index.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import { logRing } from '../../../src/util/logger.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf, resample } from '../strategy/candles.ts'

// The InformativeTrend sample over stored candles: 5m candles to trade, their 1h resampling as the informative pair.
const dir = tempDir('tern-informative-')
const PAIRS = ['AAA/USDT', 'BBB/USDT', 'CCC/USDT']
const N = 12 * 24 * 30 // 30 days of 5m candles

beforeAll(async () => {
  for (const [i, pair] of PAIRS.entries()) {
    const m5 = makeCandles({ n: N, seed: i + 3, startPrice: 20 + 10 * i })
    await storePairHistory({ datadir: dir.path, pair, timeframe: '5m', format: 'feather', candles: ohlcvOf(m5) })
    // CCC has no 1h file: its analysis fails on the missing informative candles, the others go on
    if (pair === 'CCC/USDT') continue
    const h1 = resample(m5, '1h')
    await storePairHistory({ datadir: dir.path, pair, timeframe: '1h', format: 'feather', candles: ohlcvOf(h1) })
  }
})
afterAll(() => dir.cleanup())

const config = () => backtestConfig(dir.path, PAIRS, { strategy: 'InformativeTrend', max_open_trades: 3 })

const trades = (r: BacktestResult) =>
  r.strategy.InformativeTrend.trades as { pair: string; enter_tag: string; exit_reason: string }[]

describe('backtests read the informative candles a strategy asks for', () => {
  let inProcess: BacktestResult
  test('1h candles from the data folder, in process and on the pool alike', async () => {
    inProcess = (await runBacktestDetailed({ config: config(), workers: 0 })).result
    const pool = (await runBacktestDetailed({ config: config(), workers: 2 })).result
    expect(trades(inProcess).length).toBeGreaterThan(10)
    expect(trades(pool)).toEqual(trades(inProcess))
    expect(new Set(trades(inProcess).map((t) => t.enter_tag))).toEqual(new Set(['cross_in_1h_uptrend']))
    // both exit tags come from the 1h trend filter and the 5m cross
    const reasons = new Set(trades(inProcess).map((t) => t.exit_reason))
    expect(reasons.has('lost_1h_trend') || reasons.has('cross_down')).toBe(true)
  }, 30_000)

  test('a pair without its informative candles is skipped, the error naming them', () => {
    expect(trades(inProcess).some((t) => t.pair === 'CCC/USDT')).toBe(false)
    expect(new Set(trades(inProcess).map((t) => t.pair))).toEqual(new Set(['AAA/USDT', 'BBB/USDT']))
    const said = logRing
      .last(200)
      .map((row) => row[4])
      .find((m) => m.includes('CCC/USDT') && m.includes('pair skipped'))
    expect(said).toContain('1h')
    expect(said).toContain('CCC/USDT')
  })

  test('a run whose every pair fails in the analysis says so', async () => {
    const only = { ...config(), exchange: { ...config().exchange, pair_whitelist: ['CCC/USDT'] } }
    await expect(runBacktestDetailed({ config: only, workers: 0 })).rejects.toThrow(
      "the strategy's analysis failed on every pair with candles (1; see the log)",
    )
  })
})
