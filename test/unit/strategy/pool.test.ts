import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { Config } from '../../../src/config/schema.ts'
import { columnSpares } from '../../../src/frame/columns.ts'
import type { Frame } from '../../../src/frame/frame.ts'
import {
  AdaptiveAnalyzer,
  type AnalysisResult,
  type AnalysisTask,
  type Analyzer,
  createAnalyzer,
  createAnalyzerFromConfig,
  InProcessAnalyzer,
  informativeKey,
  PoolAnalyzer,
  tagDictionaries,
} from '../../../src/strategy/index.ts'
import { cloneFrame, makeCandles, resample } from './candles.ts'

const STRATEGY_PATH = join(import.meta.dir, 'fixtures', 'strategies')
const open: Analyzer[] = []
afterAll(async () => {
  await Promise.all(open.map((a) => a.destroy()))
})

async function analyzer(opts: Parameters<typeof createAnalyzer>[0]): Promise<Analyzer> {
  const a = await createAnalyzer(opts)
  open.push(a)
  return a
}

/** Every column's bytes, the column order and the tag dictionaries are the same. */
function expectIdentical(a: Frame, b: Frame): void {
  expect(a.columns()).toEqual(b.columns())
  for (const name of a.columns()) {
    const same = Buffer.from(a.col(name).buffer).equals(Buffer.from(b.col(name).buffer))
    if (!same) throw new Error(`column '${name}' differs`)
  }
  expect(tagDictionaries(a)).toEqual(tagDictionaries(b))
}

function frames(results: AnalysisResult[]): Frame[] {
  return results.map((r) => {
    if (r.error) throw r.error
    return r.frame
  })
}

describe('analysis pool', () => {
  test('createAnalyzer: 0 workers analyzes in process, otherwise a fixed pool of that size', async () => {
    expect(await analyzer({ strategy: 'EmaCross', workers: 0 })).toBeInstanceOf(InProcessAnalyzer)
    const pool = await analyzer({ strategy: 'EmaCross', workers: 2 })
    expect(pool).toBeInstanceOf(PoolAnalyzer)
    expect((pool as PoolAnalyzer).workerCount).toBe(2)
    const fromConfig = await createAnalyzerFromConfig({
      strategy: 'RsiBollinger',
      analysis_workers: 0,
      stoploss: -0.2,
    } as Config)
    expect(fromConfig.strategyName).toBe('RsiBollinger')
    expect(fromConfig.settings.stoploss).toBe(-0.2)
    expect(fromConfig).toBeInstanceOf(InProcessAnalyzer)
  })

  for (const strategy of ['EmaCross', 'RsiBollinger', 'InformativeTrend']) {
    test(`${strategy}: the pool's results equal in-process analysis bit for bit (20 pairs x 5,000 candles)`, async () => {
      const pairs = Array.from({ length: 20 }, (_, i) => `P${i}/USDT`)
      const candles = pairs.map((_, i) => makeCandles({ n: 5000, seed: 100 + i }))
      const tasks = (): AnalysisTask[] =>
        pairs.map((pair, i) => ({
          pair,
          frame: cloneFrame(candles[i]),
          informative: new Map([[informativeKey(pair, '1h'), resample(candles[i], '1h')]]),
        }))
      const local = frames(await (await analyzer({ strategy, workers: 0 })).analyzeMany(tasks()))
      const pooled = frames(await (await analyzer({ strategy, workers: 2 })).analyzeMany(tasks()))
      expect(pooled.length).toBe(20)
      for (let i = 0; i < 20; i++) expectIdentical(pooled[i], local[i])
      expect(local[0].columns()).toContain('enter_long')
    })
  }

  test("the bot's analyzer: short frames in process, the pool started only once frames are long", async () => {
    const pairs = Array.from({ length: 6 }, (_, i) => `A${i}/USDT`)
    const tasks = (n: number): AnalysisTask[] =>
      pairs.map((pair, i) => ({ pair, frame: makeCandles({ n, seed: 500 + i }) }))
    const fromConfig = await createAnalyzerFromConfig({ strategy: 'EmaCross', analysis_workers: 2 } as Config)
    open.push(fromConfig)
    expect(fromConfig).toBeInstanceOf(AdaptiveAnalyzer)
    expect((fromConfig as AdaptiveAnalyzer).startedPool).toBeUndefined()

    const local = await analyzer({ strategy: 'EmaCross', workers: 0 })
    const adaptive = new AdaptiveAnalyzer(
      local as InProcessAnalyzer,
      () =>
        new PoolAnalyzer({
          strategy: 'EmaCross',
          overrides: {},
          workers: 2,
          settings: local.settings,
        }),
      2000,
    )
    open.push(adaptive)
    const short = frames(await adaptive.analyzeMany(tasks(1000)))
    expect(adaptive.startedPool).toBeUndefined()
    const long = frames(await adaptive.analyzeMany(tasks(3000)))
    const pool = adaptive.startedPool
    expect(pool).toBeInstanceOf(PoolAnalyzer)
    expect(pool?.workerCount).toBe(2)
    // both paths give what in-process analysis gives
    const reference = (n: number) => local.analyzeMany(tasks(n)).then(frames)
    const [shortRef, longRef] = [await reference(1000), await reference(3000)]
    for (let i = 0; i < pairs.length; i++) {
      expectIdentical(short[i], shortRef[i])
      expectIdentical(long[i], longRef[i])
    }
  })

  test('released frames: later analyses write into their buffers, with results identical to fresh analysis', async () => {
    const pairs = Array.from({ length: 8 }, (_, i) => `R${i}/USDT`)
    const candles = pairs.map((_, i) => makeCandles({ n: 3000, seed: 300 + i }))
    const tasks = (): AnalysisTask[] => pairs.map((pair, i) => ({ pair, frame: cloneFrame(candles[i]) }))
    const reference = frames(await (await analyzer({ strategy: 'EmaCross', workers: 0 })).analyzeMany(tasks()))

    const local = (await analyzer({ strategy: 'EmaCross', workers: 0 })) as InProcessAnalyzer
    const firstLocal = frames(await local.analyzeMany(tasks()))
    const spentBefore = columnSpares().reused
    local.release(firstLocal)
    const againLocal = frames(await local.analyzeMany(tasks()))
    // EmaCross makes six columns per pair: all of them from the released buffers
    expect(columnSpares().reused - spentBefore).toBe(6 * pairs.length)
    for (let i = 0; i < pairs.length; i++) expectIdentical(againLocal[i], reference[i])

    const pool = (await analyzer({ strategy: 'EmaCross', workers: 2 })) as PoolAnalyzer
    const first = frames(await pool.analyzeMany(tasks()))
    expect(pool.reusedColumns).toBe(0)
    pool.release(first)
    const again = frames(await pool.analyzeMany(tasks()))
    // the buffers moved to the workers with the next tasks (the released frames are unusable now)
    expect(first[0].col('close').length).toBe(0)
    expect(pool.reusedColumns).toBeGreaterThan(0)
    for (let i = 0; i < pairs.length; i++) expectIdentical(again[i], reference[i])
  })

  test('a misbehaving pair fails alone, named with its strategy; the other pairs and the pool go on', async () => {
    const pool = (await analyzer({ strategy: 'Chaos', strategyPath: STRATEGY_PATH, workers: 2 })) as PoolAnalyzer
    const pairs = ['A/USDT', 'THROW/USDT', 'SHORT/USDT', 'NOEXIT/USDT', 'EXIT/USDT', 'CRASH/USDT', 'B/USDT']
    const results = await pool.analyzeMany(pairs.map((pair, i) => ({ pair, frame: makeCandles({ n: 300, seed: i }) })))
    expect(results.map((r) => r.pair)).toEqual(pairs)
    const problems = Object.fromEntries(results.map((r) => [r.pair, r.error?.message ?? 'ok']))
    expect(problems).toEqual({
      'A/USDT': 'ok',
      'THROW/USDT': 'strategy Chaos failed on THROW/USDT: populateIndicators threw: indicator blew up',
      'SHORT/USDT':
        "strategy Chaos failed on SHORT/USDT: populateEntryTrend threw: column 'enter_long' has length 299, the frame has length 300",
      'NOEXIT/USDT':
        "strategy Chaos failed on NOEXIT/USDT: the analyzed frame has no 'exit_long' column (set it in populate*Trend)",
      'EXIT/USDT':
        'strategy Chaos failed on EXIT/USDT: its worker exited (code 3) during the analysis; the worker was replaced',
      'CRASH/USDT':
        'strategy Chaos failed on CRASH/USDT: its worker crashed: uncaught in worker; the worker was replaced',
      'B/USDT': 'ok',
    })
    expect(pool.replacedWorkers).toBe(2)
    expect(pool.workerCount).toBe(2)
    const after = await pool.analyzeMany([{ pair: 'C/USDT', frame: makeCandles({ n: 300 }) }])
    expect(after[0].error).toBeUndefined()
  })

  test('a strategy looping forever is cut off by the task timeout and its worker replaced', async () => {
    const pool = (await analyzer({
      strategy: 'Chaos',
      strategyPath: STRATEGY_PATH,
      workers: 1,
      taskTimeoutMs: 300,
    })) as PoolAnalyzer
    const t0 = performance.now()
    const [loop, next] = await pool.analyzeMany([
      { pair: 'LOOP/USDT', frame: makeCandles({ n: 50 }) },
      { pair: 'OK/USDT', frame: makeCandles({ n: 50 }) },
    ])
    expect(loop.error?.problem).toBe('analysis took longer than 300 ms; its worker was terminated and replaced')
    expect(next.error).toBeUndefined()
    expect(performance.now() - t0).toBeLessThan(5000)
    expect(pool.replacedWorkers).toBe(1)
  })

  test('config overrides reach the strategy inside the workers', async () => {
    const overrides = { timeframe: '15m', stoploss: -0.3 }
    const pool = await analyzer({ strategy: 'Chaos', strategyPath: STRATEGY_PATH, workers: 1, overrides })
    const [r] = await pool.analyzeMany([{ pair: 'A/USDT', frame: makeCandles({ n: 300, seed: 2 }) }])
    if (r.error) throw r.error
    expect(tagDictionaries(r.frame).enter_tag).toEqual(['up_A/USDT_15m_-0.3'])
  })

  test('stress: 10,000 tasks, a worker that exits, one that crashes, an endless loop, then a clean exit', async () => {
    const proc = Bun.spawn(['bun', join(import.meta.dir, 'fixtures', 'stress.ts')], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    let out = ''
    let destroyedAt: number | undefined
    const decoder = new TextDecoder()
    for await (const chunk of proc.stdout) {
      out += decoder.decode(chunk)
      if (destroyedAt === undefined && out.includes('DESTROYED\n')) destroyedAt = performance.now()
    }
    const code = await proc.exited
    const exitedAt = performance.now()
    const stderr = await new Response(proc.stderr).text()
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(destroyedAt).toBeDefined()
    expect(exitedAt - (destroyedAt as number)).toBeLessThan(3000)

    const line = out.split('\n').find((l) => l.startsWith('RESULT '))
    const result = JSON.parse((line as string).slice('RESULT '.length))
    expect(result.ok).toBe(9996)
    expect(result.identical).toBe(result.checked)
    expect(result.checked).toBeGreaterThan(100)
    expect(Object.keys(result.failures).sort()).toEqual(['CRASH/USDT', 'EXIT/USDT', 'LOOP/USDT', 'THROW/USDT'])
    expect(result.failures['LOOP/USDT']).toContain('longer than 1000 ms')
    expect(result.replaced).toBe(3)
    expect(result.workersAfter).toBe(2)
    expect(result.againOk).toBe(50)
  }, 20_000)
})
