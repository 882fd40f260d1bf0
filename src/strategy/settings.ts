import type { ConfigInput } from '../config/schema.ts'
import type { OrderTypes, ProtectionSpec, RoiTable, Strategy } from './strategy.ts'

/** The strategy values the engine and backtester act on, after the config's overrides. */
export interface StrategySettings {
  timeframe: string
  minimalRoi: RoiTable
  stoploss: number
  trailingStop: boolean
  trailingStopPositive: number | undefined
  trailingStopPositiveOffset: number
  trailingOnlyOffsetIsReached: boolean
  useExitSignal: boolean
  exitProfitOnly: boolean
  ignoreRoiIfEntrySignal: boolean
  useCustomStoploss: boolean
  orderTypes: OrderTypes
  startupCandleCount: number
  processOnlyNewCandles: boolean
  positionAdjustmentEnable: boolean
  maxEntryPositionAdjustment: number
}

/** The config keys that override strategy values (any Config satisfies it). */
export type StrategyOverrides = Pick<
  ConfigInput,
  | 'timeframe'
  | 'minimal_roi'
  | 'stoploss'
  | 'trailing_stop'
  | 'trailing_stop_positive'
  | 'trailing_stop_positive_offset'
  | 'trailing_only_offset_is_reached'
  | 'use_exit_signal'
  | 'exit_profit_only'
  | 'ignore_roi_if_entry_signal'
  | 'use_custom_stoploss'
  | 'order_types'
  | 'position_adjustment_enable'
  | 'max_entry_position_adjustment'
>

/** `{"0": 0.04, "30": 0.02}` from JSON → `{0: 0.04, 30: 0.02}`. */
function roiFromConfig(table: Record<string, number>): RoiTable {
  const out: RoiTable = {}
  for (const [minutes, ratio] of Object.entries(table)) out[Number(minutes)] = ratio
  return out
}

/**
 * Applies the config's values over the strategy's, as freqtrade does: every key present in the config wins (the ROI
 * table is replaced whole, order types are merged key by key), and the strategy instance is updated to match, so
 * strategy code reading `this.stoploss` sees the effective value. Returns the effective settings; throws on
 * combinations freqtrade rejects.
 */
export function applyConfigOverrides(strategy: Strategy, config: StrategyOverrides): StrategySettings {
  const s = strategy
  if (config.timeframe !== undefined) s.timeframe = config.timeframe
  if (config.minimal_roi !== undefined) s.minimalRoi = roiFromConfig(config.minimal_roi)
  if (config.stoploss !== undefined) s.stoploss = config.stoploss
  if (config.trailing_stop !== undefined) s.trailingStop = config.trailing_stop
  if (config.trailing_stop_positive !== undefined) s.trailingStopPositive = config.trailing_stop_positive
  if (config.trailing_stop_positive_offset !== undefined) {
    s.trailingStopPositiveOffset = config.trailing_stop_positive_offset
  }
  if (config.trailing_only_offset_is_reached !== undefined) {
    s.trailingOnlyOffsetIsReached = config.trailing_only_offset_is_reached
  }
  if (config.use_exit_signal !== undefined) s.useExitSignal = config.use_exit_signal
  if (config.exit_profit_only !== undefined) s.exitProfitOnly = config.exit_profit_only
  if (config.ignore_roi_if_entry_signal !== undefined) s.ignoreRoiIfEntrySignal = config.ignore_roi_if_entry_signal
  if (config.use_custom_stoploss !== undefined) s.useCustomStoploss = config.use_custom_stoploss
  if (config.position_adjustment_enable !== undefined) s.positionAdjustmentEnable = config.position_adjustment_enable
  if (config.max_entry_position_adjustment !== undefined) {
    s.maxEntryPositionAdjustment = config.max_entry_position_adjustment
  }
  if (config.order_types !== undefined) {
    const merged: Record<string, unknown> = { ...s.orderTypes }
    for (const [k, v] of Object.entries(config.order_types)) if (v !== undefined) merged[k] = v
    s.orderTypes = merged as unknown as OrderTypes
  }

  const name = s.constructor.name
  if (typeof s.stoploss !== 'number' || Number.isNaN(s.stoploss)) {
    throw new Error(`${name}: stoploss is not set (define it in the strategy or set 'stoploss' in the config)`)
  }
  if (s.trailingStop && s.trailingOnlyOffsetIsReached && s.trailingStopPositiveOffset === 0) {
    throw new Error(`${name}: trailing_only_offset_is_reached needs trailing_stop_positive_offset > 0`)
  }
  if (
    s.trailingStop &&
    s.trailingStopPositive !== undefined &&
    s.trailingStopPositiveOffset > 0 &&
    s.trailingStopPositiveOffset <= s.trailingStopPositive
  ) {
    throw new Error(`${name}: trailing_stop_positive_offset needs to be greater than trailing_stop_positive`)
  }

  return {
    timeframe: s.timeframe,
    minimalRoi: { ...s.minimalRoi },
    stoploss: s.stoploss,
    trailingStop: s.trailingStop,
    trailingStopPositive: s.trailingStopPositive,
    trailingStopPositiveOffset: s.trailingStopPositiveOffset,
    trailingOnlyOffsetIsReached: s.trailingOnlyOffsetIsReached,
    useExitSignal: s.useExitSignal,
    exitProfitOnly: s.exitProfitOnly,
    ignoreRoiIfEntrySignal: s.ignoreRoiIfEntrySignal,
    useCustomStoploss: s.useCustomStoploss,
    orderTypes: { ...s.orderTypes },
    startupCandleCount: s.startupCandleCount,
    processOnlyNewCandles: s.processOnlyNewCandles,
    positionAdjustmentEnable: s.positionAdjustmentEnable,
    maxEntryPositionAdjustment: s.maxEntryPositionAdjustment,
  }
}

/**
 * The protections in force: the config's `protections` when it lists any, else the strategy's own (freqtrade reads
 * `protections` from the config over the strategy's property).
 */
export function protectionsOf(strategy: Strategy, configured: readonly ProtectionSpec[] | undefined): ProtectionSpec[] {
  return configured !== undefined && configured.length > 0 ? [...configured] : [...(strategy.protections ?? [])]
}
