import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBacktestDetailed } from '../../../src/backtest/index.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import type { Frame } from '../../../src/frame/frame.ts'
import { Strategy, startStrategy } from '../../../src/strategy/index.ts'
import { logRing } from '../../../src/util/logger.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from './candles.ts'

class Counting extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  starts = 0
  override botStart(): void {
    this.starts++
  }
  populateIndicators(_df: Frame): void {}
  populateEntryTrend(_df: Frame): void {}
  populateExitTrend(_df: Frame): void {}
}

class Failing extends Counting {
  override botStart(): void {
    throw new Error('model file missing')
  }
}

describe('botStart (freqtrade bot_start)', () => {
  test('called once per instance; a failure is logged and the strategy goes on', () => {
    const s = new Counting()
    startStrategy(s)
    startStrategy(s)
    expect(s.starts).toBe(1)
    expect(() => startStrategy(new Failing())).not.toThrow()
    const line = logRing.last(5).find((row) => row[4].includes('Failing.botStart failed'))
    expect(line?.[4]).toContain('model file missing')
  })
})

// A strategy that can only analyse once botStart ran: a backtest proves it ran before analysis, in every worker.
const dir = tempDir('tern-botstart-')
const PAIRS = ['AAA/USDT', 'BBB/USDT', 'CCC/USDT', 'DDD/USDT']
const EMA_CROSS = join(import.meta.dir, '..', '..', '..', 'strategies', 'EmaCross.ts')

beforeAll(async () => {
  for (const [i, pair] of PAIRS.entries()) {
    const candles = ohlcvOf(makeCandles({ n: 3_000, seed: i + 11 }))
    await storePairHistory({ datadir: dir.path, pair, timeframe: '5m', format: 'feather', candles })
  }
  writeFileSync(
    join(dir.path, 'Primed.ts'),
    `import EmaCross from ${JSON.stringify(EMA_CROSS)}
export default class Primed extends EmaCross {
  primed = false
  override botStart() { this.primed = true }
  override populateIndicators(df, meta) {
    if (!this.primed) throw new Error('botStart did not run')
    return super.populateIndicators(df, meta)
  }
}
`,
  )
})
afterAll(() => dir.cleanup())

describe('botStart before the first analysis', () => {
  test('in a backtest, in process and in every analysis worker', async () => {
    const config = backtestConfig(dir.path, PAIRS, { strategy: 'Primed', strategy_path: dir.path })
    for (const workers of [0, 2]) {
      const run = await runBacktestDetailed({ config, workers })
      const s = run.result.strategy.Primed as { total_trades: number }
      expect(s.total_trades).toBeGreaterThan(0)
      // no pair was skipped for "botStart did not run"
      expect(logRing.last(100).filter((row) => row[4].includes('botStart did not run'))).toEqual([])
    }
  }, 30_000)
})
