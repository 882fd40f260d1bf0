import { describe, expect, test } from 'bun:test'
import type { Frame } from '../../../src/frame/frame.ts'
import { applyConfigOverrides, protectionsOf, Strategy } from '../../../src/strategy/index.ts'

class Plain extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  override minimalRoi = { 0: 0.04, 30: 0.02 }
  override trailingStop = true
  override trailingStopPositive = 0.01
  override trailingStopPositiveOffset = 0.02
  override useCustomStoploss = true
  populateIndicators(_df: Frame): void {}
  populateEntryTrend(_df: Frame): void {}
  populateExitTrend(_df: Frame): void {}
}

describe('applyConfigOverrides', () => {
  test('without config keys the strategy values stand, with freqtrade defaults for the rest', () => {
    const s = applyConfigOverrides(new Plain(), {})
    expect(s).toEqual({
      timeframe: '5m',
      minimalRoi: { 0: 0.04, 30: 0.02 },
      stoploss: -0.1,
      trailingStop: true,
      trailingStopPositive: 0.01,
      trailingStopPositiveOffset: 0.02,
      trailingOnlyOffsetIsReached: false,
      useExitSignal: true,
      exitProfitOnly: false,
      ignoreRoiIfEntrySignal: false,
      useCustomStoploss: true,
      orderTypes: {
        entry: 'limit',
        exit: 'limit',
        stoploss: 'limit',
        stoploss_on_exchange: false,
        stoploss_on_exchange_interval: 60,
      },
      startupCandleCount: 0,
      processOnlyNewCandles: true,
      positionAdjustmentEnable: false,
      maxEntryPositionAdjustment: -1,
    })
  })

  test('each config key overrides its strategy value, and the instance sees the effective value', () => {
    const cases: [Record<string, unknown>, string, unknown][] = [
      [{ timeframe: '1h' }, 'timeframe', '1h'],
      [{ stoploss: -0.25 }, 'stoploss', -0.25],
      [{ trailing_stop: false }, 'trailingStop', false],
      [{ trailing_stop_positive: 0.005 }, 'trailingStopPositive', 0.005],
      [{ trailing_stop_positive_offset: 0.03 }, 'trailingStopPositiveOffset', 0.03],
      [{ trailing_only_offset_is_reached: true }, 'trailingOnlyOffsetIsReached', true],
      [{ use_exit_signal: false }, 'useExitSignal', false],
      [{ exit_profit_only: true }, 'exitProfitOnly', true],
      [{ ignore_roi_if_entry_signal: true }, 'ignoreRoiIfEntrySignal', true],
      [{ use_custom_stoploss: false }, 'useCustomStoploss', false],
      [{ position_adjustment_enable: true }, 'positionAdjustmentEnable', true],
      [{ max_entry_position_adjustment: 3 }, 'maxEntryPositionAdjustment', 3],
    ]
    for (const [config, key, value] of cases) {
      const strategy = new Plain()
      const settings = applyConfigOverrides(strategy, config) as unknown as Record<string, unknown>
      expect(settings[key]).toEqual(value)
      expect((strategy as unknown as Record<string, unknown>)[key]).toEqual(value)
    }
  })

  test('minimal_roi from the config replaces the whole table, its string keys becoming minutes', () => {
    const s = applyConfigOverrides(new Plain(), { minimal_roi: { '0': 0.1, '120': 0 } })
    expect(s.minimalRoi).toEqual({ 0: 0.1, 120: 0 })
    expect(Object.keys(s.minimalRoi)).toEqual(['0', '120'])
  })

  test('order_types are merged key by key over the strategy', () => {
    const s = applyConfigOverrides(new Plain(), { order_types: { entry: 'market', stoploss_on_exchange: true } })
    expect(s.orderTypes).toEqual({
      entry: 'market',
      exit: 'limit',
      stoploss: 'limit',
      stoploss_on_exchange: true,
      stoploss_on_exchange_interval: 60,
    })
  })

  test('refuses trailing settings freqtrade refuses', () => {
    expect(() => applyConfigOverrides(new Plain(), { trailing_stop_positive_offset: 0.01 })).toThrow(
      'trailing_stop_positive_offset needs to be greater than trailing_stop_positive',
    )
    expect(() =>
      applyConfigOverrides(new Plain(), { trailing_only_offset_is_reached: true, trailing_stop_positive_offset: 0 }),
    ).toThrow('trailing_only_offset_is_reached needs trailing_stop_positive_offset > 0')
  })
})

describe('protectionsOf', () => {
  class Guarded extends Plain {
    override protections = [{ method: 'CooldownPeriod', stop_duration_candles: 2 }]
  }

  test("the config's list when it has any, else the strategy's own, else none", () => {
    const configured = [{ method: 'StoplossGuard', trade_limit: 2 }]
    expect(protectionsOf(new Guarded(), configured)).toEqual(configured)
    expect(protectionsOf(new Guarded(), [])).toEqual([{ method: 'CooldownPeriod', stop_duration_candles: 2 }])
    expect(protectionsOf(new Guarded(), undefined)).toEqual([{ method: 'CooldownPeriod', stop_duration_candles: 2 }])
    expect(protectionsOf(new Plain(), [])).toEqual([])
  })
})
