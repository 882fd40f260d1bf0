import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { runBacktestDetailed } from '../../../src/backtest/index.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from '../strategy/candles.ts'

const dir = tempDir('tern-bt-candle-cache-')
const PAIRS = ['AAA/USDT', 'BBB/USDT', 'CCC/USDT']
const cacheDir = join(dir.path, 'cache', 'candles')

beforeAll(async () => {
  for (const [i, pair] of PAIRS.entries()) {
    const candles = ohlcvOf(makeCandles({ n: 4_000, seed: i + 61 }))
    await storePairHistory({ datadir: dir.path, pair, timeframe: '5m', format: 'feather', candles })
  }
})
afterAll(() => dir.cleanup())

const run = (workers: number, extra: Record<string, unknown> = {}) =>
  runBacktestDetailed({ config: backtestConfig(dir.path, PAIRS, { strategy: 'EmaCross', ...extra }), workers })
const tradesOf = (r: Awaited<ReturnType<typeof run>>) => (r.result.strategy.EmaCross as { trades: unknown[] }).trades

describe('backtests keep decoded candles (candle_cache)', () => {
  test('without the cache: nothing written', async () => {
    const plain = await run(0, { candle_cache: false })
    expect(tradesOf(plain).length).toBeGreaterThan(10)
    expect(existsSync(cacheDir)).toBe(false)
  })

  test('the first run writes one cache per pair; later runs, in process or on workers, give the same trades', async () => {
    const plain = await run(0, { candle_cache: false })
    const first = await run(0)
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.cols'))).toHaveLength(PAIRS.length)
    const mappedHere = await run(0)
    const mappedInWorkers = await run(2)
    for (const r of [first, mappedHere, mappedInWorkers]) expect(tradesOf(r)).toEqual(tradesOf(plain))
    // where candles are kept does not change the result, so it does not change the run's id either
    expect(first.result.metadata.EmaCross?.run_id).toBe(plain.result.metadata.EmaCross?.run_id)
  })
})
