import { afterAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  BUILTIN_STRATEGY_DIR,
  formatStrategyList,
  listStrategies,
  loadStrategy,
  StrategyLoadError,
  StrategyNotFoundError,
  strategySource,
} from '../../../src/strategy/index.ts'
import { tempDir } from '../../helpers/tmp.ts'

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

  test('an unknown name lists the available strategies', async () => {
    const err = await loadStrategy('Nope').catch((e) => e)
    expect(err).toBeInstanceOf(StrategyNotFoundError)
    expect(err.message).toBe("unknown strategy 'Nope'; available: EmaCross, InformativeTrend, RsiBollinger")
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
      ['Broken', 'EmaCross', 'InformativeTrend', 'MyUser', 'NoEntry', 'NoStop', 'RsiBollinger'].sort(),
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
