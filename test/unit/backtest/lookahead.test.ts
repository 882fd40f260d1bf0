import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lookaheadAnalysis } from '../../../src/backtest/lookahead.ts'
import { formatLookaheadReport } from '../../../src/cli/commands/lookahead.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import type { Frame } from '../../../src/frame/frame.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf, resample } from '../strategy/candles.ts'

const SRC = join(import.meta.dir, '..', '..', '..', 'src')
const MAIN = join(SRC, 'cli', 'main.ts')

/** The real CLI in its own process (its logging set-up stays out of this one). */
async function tern(args: string[]) {
  const proc = Bun.spawn(['bun', MAIN, 'lookahead-analysis', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { stdout, stderr, code }
}
const PAIRS = ['AAA/USDT', 'BBB/USDT']

/** Strategies that read candles they could not have seen, written as a user's strategy files. */
const PEEKING = `
import type { Frame } from ${JSON.stringify(join(SRC, 'frame', 'frame.ts'))}
import { ema } from ${JSON.stringify(join(SRC, 'indicators', 'index.ts'))}
import { Strategy } from ${JSON.stringify(join(SRC, 'strategy', 'index.ts'))}

/** Enters when the next close is higher; plots a mean centred on each candle; exits on an honest EMA. */
export default class Peeking extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  populateIndicators(df: Frame): void {
    const c = df.col('close')
    const centered = new Float64Array(df.length).fill(Number.NaN)
    for (let i = 1; i + 1 < c.length; i++) centered[i] = (c[i - 1] + c[i] + c[i + 1]) / 3
    df.set('centered', centered)
    df.set('ema_fast', ema(c, 12))
  }
  populateEntryTrend(df: Frame): void {
    const c = df.col('close')
    const e = new Float64Array(df.length)
    for (let i = 0; i + 1 < c.length; i++) e[i] = c[i + 1] > c[i] ? 1 : 0
    df.set('enter_long', e)
  }
  populateExitTrend(df: Frame): void {
    const c = df.col('close')
    const f = df.col('ema_fast')
    const x = new Float64Array(df.length)
    for (let i = 0; i < c.length; i++) x[i] = c[i] < f[i] ? 1 : 0
    df.set('exit_long', x)
  }
}
`

/** Reads the 1h candle a 5m candle belongs to, before that hour has closed. */
const HOUR_PEEKING = `
import type { Frame } from ${JSON.stringify(join(SRC, 'frame', 'frame.ts'))}
import { Strategy, type PairMeta } from ${JSON.stringify(join(SRC, 'strategy', 'index.ts'))}

export default class HourPeeking extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  override informativePairs(whitelist: readonly string[] = []) {
    return whitelist.map((pair) => [pair, '1h'] as [string, string])
  }
  populateIndicators(df: Frame, meta: PairMeta): void {
    const hour = this.informative(meta.pair, '1h')
    const hd = hour.col('date')
    const hc = hour.col('close')
    const date = df.col('date')
    const out = new Float64Array(df.length).fill(Number.NaN)
    let k = 0
    for (let i = 0; i < df.length; i++) {
      while (k + 1 < hd.length && hd[k + 1] <= date[i]) k++
      if (k < hd.length && hd[k] <= date[i]) out[i] = hc[k]
    }
    df.set('hour_close', out)
  }
  populateEntryTrend(df: Frame): void {
    const c = df.col('close')
    const h = df.col('hour_close')
    df.set('enter_long', Float64Array.from(c, (x, i) => (x < h[i] ? 1 : 0)))
  }
  populateExitTrend(df: Frame): void {
    df.set('exit_long', new Float64Array(df.length))
  }
}
`

const dir = tempDir('tern-lookahead-')
afterAll(() => dir.cleanup())

beforeAll(async () => {
  mkdirSync(join(dir.path, 'strategies'))
  writeFileSync(join(dir.path, 'strategies', 'Peeking.ts'), PEEKING)
  writeFileSync(join(dir.path, 'strategies', 'HourPeeking.ts'), HOUR_PEEKING)
  // 3 weeks of 5m candles per pair, and their 1h candles for the informative strategies
  for (const [i, pair] of PAIRS.entries()) {
    const f = makeCandles({ n: 6048, seed: i + 11, startMs: Date.UTC(2024, 0, 1) })
    const store = (timeframe: string, df: Frame) =>
      storePairHistory({ datadir: join(dir.path, 'data'), pair, timeframe, format: 'feather', candles: ohlcvOf(df) })
    await store('5m', f)
    await store('1h', resample(f, '1h'))
  }
})

const config = () => backtestConfig(join(dir.path, 'data'), PAIRS, { strategy_path: join(dir.path, 'strategies') })

describe('lookahead analysis (freqtrade lookahead-analysis)', () => {
  test('an honest strategy shows no bias over its first 20 signals', async () => {
    const r = await lookaheadAnalysis({ config: config(), strategy: 'EmaCross', timerange: '20240103-' })
    expect(r.checked.length).toBe(20)
    expect(r.enough).toBe(true)
    expect(r.hasBias).toBe(false)
    expect([r.biasedEntries, r.biasedExits, r.biasedIndicators]).toEqual([0, 0, []])
    // the first signals inside the timerange, oldest first
    expect(r.checked[0].dateMs).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 3))
    expect(r.checked.map((c) => c.dateMs)).toEqual([...r.checked.map((c) => c.dateMs)].sort((a, b) => a - b))
    expect(formatLookaheadReport(r)).toContain('┃ EmaCross.ts ┃ EmaCross ┃       No ┃')
  })

  test('an informative timeframe merged without look-ahead shows none either', async () => {
    const r = await lookaheadAnalysis({ config: config(), strategy: 'InformativeTrend', targetedSignals: 10 })
    expect(r.checked.length).toBe(10)
    expect(r.hasBias).toBe(false)
  })

  test('reading the next candle biases the entries and the centred indicator, not the honest EMA', async () => {
    const r = await lookaheadAnalysis({ config: config(), strategy: 'Peeking', targetedSignals: 12 })
    expect(r.hasBias).toBe(true)
    expect(r.file).toBe('Peeking.ts')
    // every entry checked was decided by the next close; the centred mean differs on every signal's candle
    const entries = r.checked.filter((c) => c.kind === 'entry')
    expect(entries.length).toBeGreaterThan(0)
    expect(r.biasedEntries).toBe(entries.length)
    expect(r.biasedIndicators).toEqual(['centered'])
    // the exit signal is honest
    expect(r.biasedExits).toBe(0)
    expect(formatLookaheadReport(r)).toContain('changed')
  })

  test('reading an hour that has not closed yet is a bias', async () => {
    const r = await lookaheadAnalysis({ config: config(), strategy: 'HourPeeking', targetedSignals: 10 })
    expect(r.hasBias).toBe(true)
    expect(r.biasedIndicators).toContain('hour_close')
  })

  test('too few signals make the result inconclusive', async () => {
    const r = await lookaheadAnalysis({
      config: config(),
      strategy: 'EmaCross',
      timerange: '20240120-',
      targetedSignals: 5,
      minimumSignals: 10,
    })
    expect(r.checked.length).toBe(5)
    expect(r.enough).toBe(false)
    expect(formatLookaheadReport(r)).toContain('too few to rule out a bias')
  })

  test('tern lookahead-analysis prints the table and exits with 1 on a bias, 0 without', async () => {
    const file = join(dir.path, 'config.json')
    writeFileSync(file, JSON.stringify({ ...config(), strategy: 'EmaCross' }))
    const args = ['-c', file, '--targeted-trade-amount', '6', '--minimum-trade-amount', '3', '--log-level', 'error']
    const csv = join(dir.path, 'lookahead.csv')
    const biased = await tern([...args, '-s', 'Peeking', '--lookahead-analysis-exportfilename', csv])
    expect(biased.code).toBe(1)
    expect(readFileSync(csv, 'utf8')).toBe(
      'filename,strategy,has_bias,total_signals,biased_entry_signals,biased_exit_signals,biased_indicators\n' +
        'Peeking.ts,Peeking,Yes,6,6,0,centered\n',
    )
    expect(biased.stdout).toContain('┃ Peeking.ts ┃  Peeking ┃      Yes ┃             6 ┃                    6 ┃')
    const honest = await tern(args)
    expect(honest.code).toBe(0)
    expect(honest.stdout).toContain('┃ EmaCross.ts ┃ EmaCross ┃       No ┃             6 ┃')
    const bad = await tern([...args, '--targeted-trade-amount', 'x'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--targeted-trade-amount: expected a whole number of at least 1, got 'x'")
  })
})
