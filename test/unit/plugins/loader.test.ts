import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { listPluginsCommand } from '../../../src/cli/commands/listPlugins.ts'
import {
  evaluatePairlists,
  expandPairlist,
  listPluginsText,
  loadPlugins,
  PairlistManager,
  pairlistsAvailable,
  protectionTriggerEvent,
} from '../../../src/plugins/index.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { market, markets } from './data.ts'

const INDEX = resolve(import.meta.dir, '..', '..', '..', 'src', 'plugins', 'index.ts')
const dir = tempDir('tern-plugins-')
afterAll(() => dir.cleanup())

const USER_FILTER = `import { definePairList, Type } from '${INDEX}'

/** Keeps pairs whose base currency starts with a given letter. */
export default definePairList({
  name: 'LetterFilter',
  description: 'Keep pairs whose base starts with a letter',
  isGenerator: false,
  needsTickers: false,
  needsCandles: false,
  config: Type.Object({ letter: Type.String({ minLength: 1, maxLength: 1, description: 'First letter' }) }),
  create: (cfg) => ({ filter: (pairs) => pairs.filter((p) => p.startsWith(cfg.letter)) }),
})
`

describe('plugin loader', () => {
  test('loads the built-ins of every kind', async () => {
    const reg = await loadPlugins()
    expect(reg.names('pairlist')).toEqual([
      'AgeFilter',
      'OffsetFilter',
      'PercentChangePairList',
      'PerformanceFilter',
      'PrecisionFilter',
      'PriceFilter',
      'RangeStabilityFilter',
      'ShuffleFilter',
      'SpreadFilter',
      'StaticPairList',
      'VolatilityFilter',
      'VolumePairList',
    ])
    expect(reg.names('protection')).toEqual(['CooldownPeriod', 'LowProfitPairs', 'MaxDrawdown', 'StoplossGuard'])
    expect(reg.names('notifier')).toEqual(['discord', 'telegram', 'webhook'])
    expect(reg.problems).toEqual([])
  })

  test('a user plugin from plugin_paths works in a chain; a broken file is reported and the rest load', async () => {
    const userDir = join(dir.path, 'user')
    mkdirSync(userDir)
    writeFileSync(join(userDir, 'LetterFilter.ts'), USER_FILTER)
    writeFileSync(join(userDir, 'Broken.ts'), `import './does-not-exist.ts'\nexport default 1\n`)
    writeFileSync(join(userDir, 'Empty.ts'), `export const answer = 42\n`)
    const reg = await loadPlugins({ pluginPaths: [userDir, join(dir.path, 'missing')] })
    expect(reg.has('pairlist', 'LetterFilter')).toBe(true)
    expect(reg.has('pairlist', 'VolumePairList')).toBe(true)
    expect(reg.fileOf('pairlist', 'LetterFilter')).toBe(join(userDir, 'LetterFilter.ts'))
    const problems = reg.problems.map((p) => p.message).join('\n')
    expect(problems).toContain(`cannot load plugin file ${join(userDir, 'Broken.ts')}`)
    expect(problems).toContain(`plugin file ${join(userDir, 'Empty.ts')} exports no plugin`)
    expect(problems).toContain(`plugin path ${join(dir.path, 'missing')} does not exist`)

    const pl = PairlistManager.create(reg, [{ method: 'StaticPairList' }, { method: 'LetterFilter', letter: 'E' }], {
      stakeCurrency: 'BTC',
      pairWhitelist: ['ETH/BTC', 'XRP/BTC', 'EOS/BTC'],
    })
    const m = markets(market('ETH/BTC'), market('XRP/BTC'), market('EOS/BTC'))
    expect(await pl.build({ markets: () => m, tickers: () => ({}) }, 0)).toEqual(['ETH/BTC', 'EOS/BTC'])

    // a bad config block for the user plugin names it and the key
    expect(() =>
      PairlistManager.create(reg, [{ method: 'StaticPairList' }, { method: 'LetterFilter', letter: 'EE' }], {
        stakeCurrency: 'BTC',
      }),
    ).toThrow(/pairlists\[1\] \(LetterFilter\): key 'letter'/)
    expect(() =>
      PairlistManager.create(reg, [{ method: 'StaticPairList' }, { method: 'LetterFilter' }], { stakeCurrency: 'BTC' }),
    ).toThrow(/pairlists\[1\] \(LetterFilter\): key 'letter': Expected required property/)
    expect(listPluginsText(reg)).toContain(
      'pairlist   LetterFilter [filter] — Keep pairs whose base starts with a letter',
    )
  })

  test('pairlists/available lists generators and filters with their params', async () => {
    const { pairlists } = pairlistsAvailable(await loadPlugins())
    const vol = pairlists.find((p) => p.name === 'VolumePairList')
    expect(vol?.is_pairlist_generator).toBe(true)
    expect(vol?.params.number_assets).toMatchObject({ type: 'number', default: null })
    expect(vol?.params.refresh_period).toMatchObject({ type: 'number', default: 1800 })
    const shuffle = pairlists.find((p) => p.name === 'ShuffleFilter')
    expect(shuffle?.is_pairlist_generator).toBe(false)
    expect(shuffle?.params.shuffle_frequency).toMatchObject({
      type: 'option',
      default: 'candle',
      options: ['candle', 'iteration'],
    })
    expect(pairlists.find((p) => p.name === 'StaticPairList')?.params.allow_inactive?.type).toBe('boolean')
  })
})

describe('expandPairlist', () => {
  const available = ['ETH/BTC', 'XRP/BTC', 'BTC/USDT', 'BTC/EUR', 'ETH/USDT']
  test('wildcards and regexes match whole pair names, case-insensitively', () => {
    expect(expandPairlist(['.*/BTC'], available)).toEqual(['ETH/BTC', 'XRP/BTC'])
    expect(expandPairlist(['BTC/.*'], available)).toEqual(['BTC/USDT', 'BTC/EUR'])
    expect(expandPairlist(['eth/.*', 'ETH/BTC'], available)).toEqual(['ETH/BTC', 'ETH/USDT'])
    expect(expandPairlist(['ETH'], available)).toEqual([])
  })
  test('keepInvalid keeps plain names that match nothing, never wildcards', () => {
    expect(expandPairlist(['NEW/BTC', 'ZZZ/.*', 'ETH/BTC'], available, true)).toEqual(['NEW/BTC', 'ETH/BTC'])
  })
  test('an invalid regex names the entry', () => {
    expect(() => expandPairlist(['BTC/(USDT'], available)).toThrow('Wildcard error in BTC/(USDT')
  })
})

describe('pairlist evaluation and list-plugins', () => {
  test('evaluatePairlists builds once with the given blacklist; errors are thrown for the job', async () => {
    const reg = await loadPlugins()
    const m = markets(market('ETH/BTC'), market('XRP/BTC'), market('LTC/BTC'))
    const t = {
      'ETH/BTC': { symbol: 'ETH/BTC', quoteVolume: 30 },
      'XRP/BTC': { symbol: 'XRP/BTC', quoteVolume: 20 },
      'LTC/BTC': { symbol: 'LTC/BTC', quoteVolume: 10 },
    }
    const src = { markets: () => m, tickers: () => t }
    expect(
      await evaluatePairlists(
        reg,
        {
          pairlists: [
            { method: 'VolumePairList', number_assets: 5 },
            { method: 'OffsetFilter', number_assets: 1 },
          ],
          blacklist: ['ETH/.*'],
          stake_currency: 'BTC',
        },
        src,
      ),
    ).toEqual({ method: ['VolumePairList', 'OffsetFilter'], length: 1, whitelist: ['XRP/BTC'] })
    await expect(
      evaluatePairlists(reg, { pairlists: [{ method: 'Nope' }], blacklist: [], stake_currency: 'BTC' }, src),
    ).rejects.toThrow("unknown pairlist 'Nope'")
  })

  test('protection locks become protection_trigger events', () => {
    const now = Date.UTC(2024, 0, 1, 10, 0)
    expect(
      protectionTriggerEvent({ pair: 'ETH/BTC', untilMs: now + 600_000, reason: 'Cooldown', side: '*' }, now, 3),
    ).toEqual({
      type: 'protection_trigger',
      id: 3,
      pair: 'ETH/BTC',
      base_currency: 'ETH',
      side: '*',
      reason: 'Cooldown',
      lock_time: '2024-01-01 10:00:00',
      lock_timestamp: now,
      lock_end_time: '2024-01-01 10:10:00',
      lock_end_timestamp: now + 600_000,
      active: true,
    })
    expect(protectionTriggerEvent({ pair: '*', untilMs: now, reason: 'x', side: 'long' }, now).type).toBe(
      'protection_trigger_global',
    )
  })

  test('tern list-plugins prints every plugin with its schema', async () => {
    const lines: string[] = []
    const orig = console.log
    console.log = (s: string) => lines.push(s)
    try {
      expect(await listPluginsCommand(['--json'])).toBe(0)
    } finally {
      console.log = orig
    }
    const listed = JSON.parse(lines.join('\n')) as { name: string; kind: string; config: { properties: object } }[]
    expect(listed.find((p) => p.name === 'StoplossGuard')?.kind).toBe('protection')
    expect(Object.keys(listed.find((p) => p.name === 'webhook')?.config.properties ?? {})).toContain('retry_delay')
    expect(listed.length).toBe(19)
  })
})
