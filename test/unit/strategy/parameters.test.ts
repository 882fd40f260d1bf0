import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBacktestDetailed } from '../../../src/backtest/index.ts'
import { storePairHistory } from '../../../src/data/index.ts'
import {
  applyConfigOverrides,
  BooleanParameter,
  CategoricalParameter,
  DecimalParameter,
  IntParameter,
  loadStrategy,
  StrategyLoadError,
} from '../../../src/strategy/index.ts'
import { backtestConfig } from '../../helpers/backtestConfig.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles, ohlcvOf } from './candles.ts'

const SRC = join(import.meta.dir, '..', '..', '..', 'src')

/** A strategy with freqtrade-style parameters, as a user's file. */
const TUNED = `
import type { Frame } from ${JSON.stringify(join(SRC, 'frame', 'frame.ts'))}
import { BooleanParameter, CategoricalParameter, DecimalParameter, IntParameter, Strategy } from ${JSON.stringify(join(SRC, 'strategy', 'index.ts'))}

export default class Tuned extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  override minimalRoi = { 0: 0.05 }
  buyRsi = new IntParameter(10, 40, { default: 30, space: 'buy' })
  buyTrigger = new CategoricalParameter(['bb_lower', 'bb_middle'], { space: 'buy' })
  sellRatio = new DecimalParameter(0.5, 2, { default: 1, decimals: 2, space: 'sell' })
  fixed = new IntParameter(1, 9, { default: 5, space: 'sell', load: false })
  useVolume = new BooleanParameter({ default: true, space: 'buy' })
  populateIndicators(_df: Frame): void {}
  populateEntryTrend(df: Frame): void { df.set('enter_long', new Float64Array(df.length)) }
  populateExitTrend(df: Frame): void { df.set('exit_long', new Float64Array(df.length)) }
}
`

const dir = tempDir('tern-params-')
afterAll(() => dir.cleanup())
const folder = (name: string, params?: unknown) => {
  const d = join(dir.path, name)
  mkdirSync(d)
  writeFileSync(join(d, 'Tuned.ts'), TUNED)
  if (params !== undefined) writeFileSync(join(d, 'Tuned.json'), JSON.stringify(params))
  return d
}

describe('strategy parameters (IntParameter and friends)', () => {
  test('values start at the default and are checked against the range', () => {
    const p = new IntParameter(10, 40, { default: 30 })
    expect(p.value).toBe(30)
    p.set(12)
    expect(p.value).toBe(12)
    expect(() => p.set(41)).toThrow('41 is outside 10 .. 40')
    expect(() => p.set(12.5)).toThrow('expected a whole number, got 12.5')
    expect(() => new IntParameter(10, 40, { default: 50 })).toThrow('default: 50 is outside 10 .. 40')
    const d = new DecimalParameter(0, 1, { default: 0.12345, decimals: 3 })
    expect(d.value).toBe(0.123)
    d.set(0.45678)
    expect(d.value).toBe(0.457)
    const c = new CategoricalParameter(['a', 'b'])
    expect(c.value).toBe('a')
    expect(() => c.set('z')).toThrow('"z" is not one of "a", "b"')
    expect(() => new BooleanParameter().set(1)).toThrow('expected true or false, got 1')
  })
})

describe("freqtrade's strategy parameter file (<StrategyFile>.json)", () => {
  test('sets parameters (snake_case names too), ROI, stop and trailing; load: false keeps its default', async () => {
    const d = folder('applied', {
      strategy_name: 'Tuned',
      params: {
        buy: { buy_rsi: 22, buy_trigger: 'bb_middle', useVolume: false },
        sell: { sell_ratio: 1.2345, fixed: 9 },
        roi: { '0': 0.08, '30': 0.02 },
        stoploss: { stoploss: -0.05 },
        trailing: {
          trailing_stop: true,
          trailing_stop_positive: 0.01,
          trailing_stop_positive_offset: 0.02,
          trailing_only_offset_is_reached: true,
        },
      },
      ft_stratparam_v: 1,
    })
    const s = (await loadStrategy('Tuned', { strategyPath: d })) as unknown as Record<string, { value: unknown }>
    expect([s.buyRsi.value, s.buyTrigger.value, s.useVolume.value, s.sellRatio.value, s.fixed.value]).toEqual([
      22,
      'bb_middle',
      false,
      1.23,
      5,
    ])
    const settings = applyConfigOverrides(s as never, {})
    expect(settings.minimalRoi).toEqual({ 0: 0.08, 30: 0.02 })
    expect([settings.stoploss, settings.trailingStop, settings.trailingStopPositive]).toEqual([-0.05, true, 0.01])
    expect([settings.trailingStopPositiveOffset, settings.trailingOnlyOffsetIsReached]).toEqual([0.02, true])
    // the config still wins
    expect(applyConfigOverrides(s as never, { stoploss: -0.2 }).stoploss).toBe(-0.2)
  })

  test('a file for another class is ignored; a value out of range fails the load naming file and key', async () => {
    const other = await loadStrategy('Tuned', {
      strategyPath: folder('other', { strategy_name: 'Someone', params: { buy: { buy_rsi: 22 } } }),
    })
    expect((other as unknown as { buyRsi: { value: number } }).buyRsi.value).toBe(30)
    const d = folder('bad', { strategy_name: 'Tuned', params: { buy: { buy_rsi: 99 } } })
    const err = await loadStrategy('Tuned', { strategyPath: d }).catch((e) => e)
    expect(err).toBeInstanceOf(StrategyLoadError)
    expect(err.message).toBe(`parameter file ${join(d, 'Tuned.json')}: params.buy.buy_rsi: 99 is outside 10 .. 40`)
  })

  test('without a file the defaults stand', async () => {
    const s = await loadStrategy('Tuned', { strategyPath: folder('none') })
    expect((s as unknown as { buyRsi: { value: number } }).buyRsi.value).toBe(30)
    expect(s.minimalRoi).toEqual({ 0: 0.05 })
  })

  test("a backtest's run id, which decides whether a stored result is reused, follows the parameter file", async () => {
    const d = folder('cached', { strategy_name: 'Tuned', params: { buy: { buy_rsi: 22 } } })
    const data = join(dir.path, 'cached-data')
    await storePairHistory({
      datadir: data,
      pair: 'AAA/USDT',
      timeframe: '5m',
      format: 'feather',
      candles: ohlcvOf(makeCandles({ n: 500, seed: 4 })),
    })
    const run = () =>
      runBacktestDetailed({
        config: backtestConfig(data, ['AAA/USDT'], { strategy: 'Tuned', strategy_path: d }),
        workers: 0,
        exportDir: join(dir.path, 'cached-results'),
        cache: 'day',
      })
    const first = await run()
    const same = await run()
    expect(same.file).toBeUndefined()
    expect(same.result.metadata.Tuned?.run_id).toBe(first.result.metadata.Tuned?.run_id)
    writeFileSync(join(d, 'Tuned.json'), JSON.stringify({ strategy_name: 'Tuned', params: { buy: { buy_rsi: 25 } } }))
    const changed = await run()
    expect(changed.file).toBeDefined()
    expect(changed.result.metadata.Tuned?.run_id).not.toBe(first.result.metadata.Tuned?.run_id)
  })
})
