import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { recursiveAnalysis } from '../../../src/backtest/recursive.ts'
import { formatRecursiveReport } from '../../../src/cli/commands/recursive.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from '../strategy/candles.ts'

const SRC = join(import.meta.dir, '..', '..', '..', 'src')
const MAIN = join(SRC, 'cli', 'main.ts')

/** A strategy whose only column is the previous close: it needs one candle of history, no more. */
const PREVIOUS_CLOSE = `
import type { Frame } from ${JSON.stringify(join(SRC, 'frame', 'frame.ts'))}
import { shift } from ${JSON.stringify(join(SRC, 'frame', 'ops.ts'))}
import { Strategy } from ${JSON.stringify(join(SRC, 'strategy', 'index.ts'))}

export default class PreviousClose extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  populateIndicators(df: Frame): void {
    df.set('prev_close', shift(df.col('close'), 1))
  }
  populateEntryTrend(df: Frame): void {
    const c = df.col('close')
    const p = df.col('prev_close')
    df.set('enter_long', Float64Array.from(c, (x, i) => (x > p[i] ? 1 : 0)))
  }
  populateExitTrend(df: Frame): void {
    df.set('exit_long', new Float64Array(df.length))
  }
}
`

const dir = tempDir('tern-recursive-')
afterAll(() => dir.cleanup())
beforeAll(async () => {
  mkdirSync(join(dir.path, 'strategies'))
  writeFileSync(join(dir.path, 'strategies', 'PreviousClose.ts'), PREVIOUS_CLOSE)
  // 2024-01-01 .. 01-15 in 5m candles
  const candles = ohlcvOf(makeCandles({ n: 4032, seed: 5, startMs: Date.UTC(2024, 0, 1) }))
  await storePairHistory({
    datadir: join(dir.path, 'data'),
    pair: 'AAA/USDT',
    timeframe: '5m',
    format: 'feather',
    candles,
  })
})

const config = () =>
  backtestConfig(join(dir.path, 'data'), ['AAA/USDT'], { strategy_path: join(dir.path, 'strategies') })

describe('recursive analysis (freqtrade recursive-analysis)', () => {
  test('EMAs settle as the startup candles grow; too few leave them undefined at the start', async () => {
    const r = await recursiveAnalysis({
      config: config(),
      strategy: 'EmaCross',
      timerange: '20240106-',
      startupCandles: [1000, 10, 400, 100],
    })
    expect(r.startupCandles).toEqual([10, 100, 400, 1000])
    expect(r.pair).toBe('AAA/USDT')
    // from 01-06 00:00 to the last candle of 01-14 23:55
    expect(r.compared).toBe(9 * 288)
    const slow = r.differences.find((d) => d.column === 'ema_slow')?.byCount as number[]
    // 10 candles cannot seed EMA(26): NaN where the reference has a value
    expect(slow[0]).toBe(Number.POSITIVE_INFINITY)
    expect(slow[1]).toBeGreaterThan(slow[2])
    expect(slow[1]).toBeLessThan(0.01)
    expect(slow[2]).toBeGreaterThan(0)
    const text = formatRecursiveReport(r)
    expect(text).toContain('on AAA/USDT, 2592 candles compared with 1000 startup candles')
    expect(text).toMatch(/┃ ema_slow\s+┃\s+differs ┃/)
  })

  test('a column that needs one candle of history is the same with any count (nothing to list)', async () => {
    const r = await recursiveAnalysis({
      config: config(),
      strategy: 'PreviousClose',
      timerange: '20240106-',
      startupCandles: [1, 5, 50],
    })
    expect(r.differences.map((d) => [d.column, d.byCount])).toEqual([
      ['prev_close', [0, 0]],
      ['enter_long', [0, 0]],
      ['exit_long', [0, 0]],
    ])
    expect(formatRecursiveReport(r)).toContain('no column changes with the startup candle count')
  })

  test('a timerange without enough candles before it is refused, naming what is missing', async () => {
    await expect(
      recursiveAnalysis({ config: config(), strategy: 'EmaCross', timerange: '20240102-', startupCandles: [10, 999] }),
    ).rejects.toThrow('AAA/USDT 5m has 288 candles before the timerange, 999 are needed for --startup-candle 999')
  })

  test('tern recursive-analysis prints the table', async () => {
    const file = join(dir.path, 'config.json')
    writeFileSync(file, JSON.stringify({ ...config(), strategy: 'EmaCross' }))
    const proc = Bun.spawn(
      ['bun', MAIN, 'recursive-analysis', '-c', file, '--timerange', '20240106-', '--startup-candle', '30', '300'],
      { stdout: 'pipe', stderr: 'pipe' },
    )
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited])
    expect(code).toBe(0)
    expect(out).toContain('RECURSIVE ANALYSIS')
    expect(out).toMatch(/┃ ema_slow\s+┃\s+[0-9.]+%/)
  })
})
