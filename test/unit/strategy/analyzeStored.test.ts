import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NoDataError } from '../../../src/data/errors.ts'
import { loadPairHistory, storePairHistory } from '../../../src/data/index.ts'
import { Frame } from '../../../src/frame/frame.ts'
import { type Analyzer, createAnalyzer, type StoredAnalysisResult } from '../../../src/strategy/index.ts'
import type { PoolAnalyzer } from '../../../src/strategy/pool.ts'
import { tagAt, tagDictionaries } from '../../../src/strategy/tags.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from './candles.ts'

const dir = tempDir()
const PAIRS = ['AAA/USDT', 'BBB/USDT', 'CCC/USDT', 'DDD/USDT']
const KEEP = ['date', 'close', 'enter_long', 'exit_long', 'enter_tag'] as const
let local: Analyzer
let pool: Analyzer

beforeAll(async () => {
  for (const [i, pair] of PAIRS.entries()) {
    const f = makeCandles({ n: 3_000, seed: i + 7 })
    await storePairHistory({ datadir: dir.path, pair, timeframe: '5m', format: 'feather', candles: ohlcvOf(f) })
  }
  // a file that exists but is not a feather file
  writeFileSync(join(dir.path, 'BAD_USDT-5m.feather'), 'not arrow at all')
  local = await createAnalyzer({ strategy: 'EmaCross', workers: 0 })
  pool = await createAnalyzer({ strategy: 'EmaCross', workers: 2 })
})
afterAll(async () => {
  await pool.destroy()
  dir.cleanup()
})

const tasks = (pairs: string[], keep?: readonly string[]) =>
  pairs.map((pair) => ({ load: { datadir: dir.path, pair, timeframe: '5m', fillMissing: true }, keep }))

const frameOf = (r: StoredAnalysisResult | undefined): Frame => {
  if (!r || 'loadError' in r || r.error) throw new Error(`no frame: ${JSON.stringify(r)}`)
  return r.frame
}

describe('analysis of pairs read where the analysis runs', () => {
  test('pool and in-process read and analyze to the same columns as loading here and analyzing the frames', async () => {
    const expected = await local.analyzeMany(
      await Promise.all(
        PAIRS.map(async (pair) => ({
          pair,
          frame: Frame.fromOhlcv(
            await loadPairHistory({ datadir: dir.path, pair, timeframe: '5m', fillMissing: true }),
          ),
        })),
      ),
    )
    for (const analyzer of [local, pool]) {
      const got = await analyzer.analyzeStored(tasks(PAIRS))
      expect(got.map((r) => r.pair)).toEqual(PAIRS)
      for (const [i, r] of got.entries()) {
        const want = frameOf(expected[i])
        const frame = frameOf(r)
        expect(frame.columns()).toEqual(want.columns())
        for (const name of want.columns()) expect(Array.from(frame.col(name))).toEqual(Array.from(want.col(name)))
      }
    }
  })

  test('`keep` returns only the named columns', async () => {
    for (const analyzer of [local, pool]) {
      const [r] = await analyzer.analyzeStored(tasks(['AAA/USDT'], KEEP))
      expect(frameOf(r).columns()).toEqual([...KEEP])
      const enter = frameOf(r).col('enter_long')
      expect(enter.some((v) => v === 1)).toBe(true)
      // the tags keep their names: EmaCross tags every entry signal
      for (let i = 0; i < enter.length; i++) {
        expect(tagAt(frameOf(r), 'enter_tag', i)).toBe(enter[i] === 1 ? 'ema_cross_up' : undefined)
      }
    }
  })

  test('a missing file is a NoDataError, an unreadable one another error naming the file; the others go on', async () => {
    for (const analyzer of [local, pool]) {
      const [missing, bad, ok] = await analyzer.analyzeStored(tasks(['ZZZ/USDT', 'BAD/USDT', 'BBB/USDT']))
      expect(missing && 'loadError' in missing && missing.loadError).toBeInstanceOf(NoDataError)
      expect(bad && 'loadError' in bad && bad.loadError).toBeInstanceOf(Error)
      expect(bad && 'loadError' in bad && bad.loadError).not.toBeInstanceOf(NoDataError)
      expect(bad && 'loadError' in bad ? bad.loadError.message : '').toContain('BAD_USDT-5m.feather')
      expect(frameOf(ok).length).toBe(3_000)
    }
  })
})

describe('narrowed columns', () => {
  test('signals come back as bytes and tags as codes, the same from the pool and in process', async () => {
    const narrowed = { keep: KEEP, asFlags: ['enter_long', 'exit_long'], asCodes: ['enter_tag'] }
    const full = frameOf((await local.analyzeStored(tasks(['CCC/USDT'])))[0])
    for (const analyzer of [local, pool]) {
      const [r] = await analyzer.analyzeStored([{ ...tasks(['CCC/USDT'])[0], ...narrowed }])
      if (!r || 'loadError' in r || r.error) throw new Error('no result')
      expect(r.frame.columns()).toEqual(['date', 'close'])
      expect(Array.from(r.narrow?.flags.enter_long ?? [])).toEqual(
        Array.from(full.col('enter_long'), (v) => +(v === 1)),
      )
      expect(Array.from(r.narrow?.flags.exit_long ?? [])).toEqual(Array.from(full.col('exit_long'), (v) => +(v === 1)))
      const codes = r.narrow?.codes.enter_tag ?? new Int8Array(0)
      // one tag name: a byte a row, also after crossing from a worker
      expect(codes).toBeInstanceOf(Int8Array)
      expect(Array.from(codes)).toEqual(Array.from(full.col('enter_tag'), (v) => (Number.isNaN(v) ? -1 : v)))
      expect(codes.some((c) => c === 0)).toBe(true)
      expect(tagDictionaries(r.frame)).toEqual({ enter_tag: ['ema_cross_up'] })
    }
  })
})

describe('memory of dropped columns', () => {
  test('pairs analysed after others reuse their dropped columns and still read and analyse exactly', async () => {
    const expected = new Map<string, Frame>()
    for (const r of await local.analyzeStored(tasks(PAIRS))) expected.set(r.pair, frameOf(r))
    const reusedBefore = (pool as PoolAnalyzer).reusedColumns
    for (const analyzer of [local, pool]) {
      // two rounds in opposite orders: a column decoded into a buffer left by another pair would show its values
      for (const order of [PAIRS, [...PAIRS].reverse()]) {
        for (const r of await analyzer.analyzeStored(tasks(order, KEEP))) {
          const want = expected.get(r.pair) as Frame
          for (const name of KEEP) expect(Array.from(frameOf(r).col(name))).toEqual(Array.from(want.col(name)))
        }
      }
    }
    // the workers made columns from the dropped ones (volume, the two EMAs) of the pairs before
    expect((pool as PoolAnalyzer).reusedColumns).toBeGreaterThan(reusedBefore)
  })
})
