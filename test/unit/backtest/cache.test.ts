import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { cacheMinStartMs, runBacktestDetailed } from '../../../src/backtest/index.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import { logRing } from '../../../src/util/logger.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from '../strategy/candles.ts'

const dir = tempDir('tern-bt-cache-')
const results = join(dir.path, 'results')
const PAIRS = ['AAA/USDT', 'BBB/USDT']

beforeAll(async () => {
  for (const [i, pair] of PAIRS.entries()) {
    const candles = ohlcvOf(makeCandles({ n: 3_000, seed: i + 21 }))
    await storePairHistory({ datadir: dir.path, pair, timeframe: '5m', format: 'feather', candles })
  }
})
afterAll(() => dir.cleanup())

const config = () => backtestConfig(dir.path, PAIRS, { strategy: 'EmaCross' })

const resultFiles = () => readdirSync(results).filter((f) => f.endsWith('.meta.json'))
const reused = () => logRing.last(20).filter((row) => row[4].startsWith('Reusing result of previous backtest for'))

describe('backtest_cache', () => {
  test('how old a reusable result may be', () => {
    const now = Date.UTC(2024, 5, 30)
    expect(cacheMinStartMs('none', now)).toBeUndefined()
    expect(cacheMinStartMs('day', now)).toBe(now - 86_400_000)
    expect(cacheMinStartMs('week', now)).toBe(now - 7 * 86_400_000)
    expect(cacheMinStartMs('month', now)).toBe(now - 28 * 86_400_000)
  })

  test('an identical run reuses the stored result and writes nothing; any change runs again', async () => {
    const run = (extra: Record<string, unknown> = {}) =>
      runBacktestDetailed({ config: config(), workers: 0, exportDir: results, cache: 'day', ...extra })
    const first = await run()
    expect(first.file).toBeDefined()
    expect(resultFiles()).toHaveLength(1)
    const before = reused().length

    const again = await run()
    expect(reused().length).toBe(before + 1)
    expect(again.file).toBeUndefined()
    expect(resultFiles()).toHaveLength(1)
    expect(again.result.strategy.EmaCross).toEqual(first.result.strategy.EmaCross)
    expect(again.result.metadata.EmaCross?.run_id).toBe(first.result.metadata.EmaCross?.run_id)
    expect(again.result.metadata.EmaCross?.filename).toBe(
      first.file
        ?.split('/')
        .pop()
        ?.replace(/\.json$/, ''),
    )

    // another stake, no cache, and new candles each make a new run (written, nothing reused)
    const stake = await run({ stakeAmount: 50 })
    expect(stake.file).toBeDefined()
    expect(stake.result.metadata.EmaCross?.run_id).not.toBe(first.result.metadata.EmaCross?.run_id)
    expect((await run({ cache: 'none' })).file).toBeDefined()
    const later = new Date(Date.now() + 5_000)
    utimesSync(join(dir.path, 'AAA_USDT-5m.feather'), later, later)
    const fresh = await run()
    expect(fresh.file).toBeDefined()
    expect(fresh.result.metadata.EmaCross?.run_id).not.toBe(first.result.metadata.EmaCross?.run_id)
    expect(reused().length).toBe(before + 1)
    // four runs wrote four results, even within one second (names get a -2, -3 … suffix)
    expect(resultFiles()).toHaveLength(4)
  }, 30_000)
})
