import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  BUILTIN_STRATEGY_DIR,
  createAnalyzer,
  formatStrategyList,
  listStrategies,
  loadStrategy,
  StrategyLoadError,
  StrategyNotFoundError,
  strategySearchOf,
  strategySource,
} from '../../../src/strategy/index.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles } from './candles.ts'

const API = resolve(import.meta.dir, '../../../src/strategy/index.ts')
const dir = tempDir('tern-strategies-')
afterAll(() => dir.cleanup())

const userStrategy = (name: string, body: string) => `
import { Strategy } from '${API}'
export class ${name} extends Strategy {
${body}
}
`
const FULL = `
  timeframe = '15m'
  stoploss = -0.2
  populateIndicators() {}
  populateEntryTrend(df) { df.set('enter_long', new Float64Array(df.length)) }
  populateExitTrend(df) { df.set('exit_long', new Float64Array(df.length)) }`

writeFileSync(join(dir.path, 'MyUser.ts'), userStrategy('MyUser', FULL))
writeFileSync(join(dir.path, 'Broken.ts'), `import { nothing } from './does-not-exist.ts'\nexport default nothing\n`)
writeFileSync(
  join(dir.path, 'NoEntry.ts'),
  userStrategy('NoEntry', FULL.replace(/populateEntryTrend.*\n/, '').replace("timeframe = '15m'", "timeframe = '5m'")),
)
writeFileSync(join(dir.path, 'NoStop.ts'), userStrategy('NoStop', FULL.replace('stoploss = -0.2', '')))
writeFileSync(join(dir.path, 'helpers.ts'), `export const notAStrategy = 42\nexport function helper() {}\n`)

describe('strategy loader', () => {
  test('finds the sample strategies by class name', async () => {
    for (const name of ['EmaCross', 'RsiBollinger', 'InformativeTrend']) {
      const s = await loadStrategy(name)
      expect(s.constructor.name).toBe(name)
      expect(s.timeframe).toBe('5m')
    }
  })

  test('each load is a fresh instance', async () => {
    const a = await loadStrategy('EmaCross')
    a.stoploss = -0.5
    expect((await loadStrategy('EmaCross')).stoploss).toBe(-0.05)
  })

  test('finds a user strategy in strategy_path next to the samples', async () => {
    const s = await loadStrategy('MyUser', { strategyPath: dir.path })
    expect(s.timeframe).toBe('15m')
    expect(s.stoploss).toBe(-0.2)
    expect((await loadStrategy('EmaCross', { strategyPath: dir.path })).constructor.name).toBe('EmaCross')
  })

  test("<user_data_dir>/strategies is searched after strategy_path and before the samples, as freqtrade's", async () => {
    const userData = tempDir('tern-userdata-')
    try {
      mkdirSync(join(userData.path, 'strategies'))
      writeFileSync(join(userData.path, 'strategies', 'InUserData.ts'), userStrategy('InUserData', FULL))
      // the same class name in strategy_path and in the user data: strategy_path wins
      const clash = FULL.replace("timeframe = '15m'", "timeframe = '1h'")
      writeFileSync(join(userData.path, 'strategies', 'Clash.ts'), userStrategy('MyUser', clash))
      const search = strategySearchOf({ strategy_path: dir.path, user_data_dir: userData.path })
      expect((await loadStrategy('InUserData', search)).timeframe).toBe('15m')
      expect((await loadStrategy('MyUser', search)).timeframe).toBe('15m')
      expect((await loadStrategy('MyUser', { userDataDir: userData.path })).timeframe).toBe('1h')
      expect((await loadStrategy('EmaCross', search)).constructor.name).toBe('EmaCross')
      // not searched without it
      expect(await loadStrategy('InUserData', { strategyPath: dir.path }).catch((e) => e)).toBeInstanceOf(
        StrategyNotFoundError,
      )
      // a pool's workers search it too
      const pool = await createAnalyzer({ strategy: 'InUserData', userDataDir: userData.path, workers: 1 })
      try {
        const [r] = await pool.analyzeMany([{ pair: 'A/USDT', frame: makeCandles({ n: 200 }) }])
        if (!r || r.error) throw r?.error ?? new Error('no result')
        expect(r.frame.has('enter_long')).toBe(true)
      } finally {
        await pool.destroy()
      }
    } finally {
      userData.cleanup()
    }
  })

  test('an unknown name lists the available strategies', async () => {
    const err = await loadStrategy('Nope').catch((e) => e)
    expect(err).toBeInstanceOf(StrategyNotFoundError)
    expect(err.message).toBe(
      "unknown strategy 'Nope'; available: EmaCross, EmaCrossDca, InformativeTrend, RsiBollinger",
    )
  })

  test('a file that fails to import is named with its cause', async () => {
    const err = await loadStrategy('Broken', { strategyPath: dir.path }).catch((e) => e)
    expect(err).toBeInstanceOf(StrategyLoadError)
    expect(err.file).toBe(join(dir.path, 'Broken.ts'))
    expect(err.message).toContain(`cannot import strategy file ${join(dir.path, 'Broken.ts')}: `)
    expect(err.message).toContain('does-not-exist')
    // An unknown name also mentions the broken file, as the class may live there.
    const unknown = await loadStrategy('Nope', { strategyPath: dir.path }).catch((e) => e)
    expect(unknown.message).toContain('files that failed to load: Broken.ts (cannot import')
  })

  test('a class lacking a required member is named with the file and the member', async () => {
    const noEntry = await loadStrategy('NoEntry', { strategyPath: dir.path }).catch((e) => e)
    expect(noEntry).toBeInstanceOf(StrategyLoadError)
    expect(noEntry.message).toBe(
      `NoEntry in ${join(dir.path, 'NoEntry.ts')} lacks required member 'populateEntryTrend'`,
    )
    const noStop = await loadStrategy('NoStop', { strategyPath: dir.path }).catch((e) => e)
    expect(noStop.message).toBe(
      `NoStop in ${join(dir.path, 'NoStop.ts')} lacks required member 'stoploss' (a negative ratio such as -0.1)`,
    )
  })

  test('lists every strategy with its status, and formats the table', async () => {
    const rows = await listStrategies({ strategyPath: dir.path })
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]))
    expect(Object.keys(byName).sort()).toEqual(
      ['Broken', 'EmaCross', 'EmaCrossDca', 'InformativeTrend', 'MyUser', 'NoEntry', 'NoStop', 'RsiBollinger'].sort(),
    )
    expect(byName.MyUser).toEqual({ name: 'MyUser', file: join(dir.path, 'MyUser.ts'), timeframe: '15m', status: 'OK' })
    expect(byName.EmaCross.file).toBe(join(BUILTIN_STRATEGY_DIR, 'EmaCross.ts'))
    expect(byName.Broken.status).toStartWith('LOAD FAILED: cannot import strategy file')
    expect(byName.NoEntry.status).toEndWith("lacks required member 'populateEntryTrend'")
    expect(byName.NoEntry.timeframe).toBeUndefined()

    const text = formatStrategyList([
      { name: 'EmaCross', file: 'strategies/EmaCross.ts', timeframe: '5m', status: 'OK' },
      { name: 'Bad', file: 'x/Bad.ts', timeframe: undefined, status: 'LOAD FAILED: boom' },
    ])
    expect(text).toBe(
      [
        'Strategy class  Location                Timeframe  Status',
        '--------------  ----------------------  ---------  -----------------',
        'EmaCross        strategies/EmaCross.ts  5m         OK',
        'Bad             x/Bad.ts                -          LOAD FAILED: boom',
      ].join('\n'),
    )
  })

  test('strategySource returns the defining file', async () => {
    const src = await strategySource('EmaCross')
    expect(src).toContain('export default class EmaCross extends Strategy')
    expect(await strategySource('MyUser', { strategyPath: dir.path })).toContain("timeframe = '15m'")
    await expect(strategySource('Nope')).rejects.toBeInstanceOf(StrategyNotFoundError)
  })
})
