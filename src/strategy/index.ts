// The strategy API: what strategy files import, and what the engine and backtester call.

export { AdaptiveAnalyzer, POOL_MIN_CANDLES_PER_PAIR } from './adaptiveAnalyzer.ts'
export { AnalysisError, analyze, SIGNAL_COLUMNS } from './analyze.ts'
export type {
  AnalysisResult,
  AnalysisTask,
  Analyzer,
  StoredAnalysisResult,
  StoredAnalysisTask,
} from './analyzer.ts'
export { InProcessAnalyzer } from './analyzer.ts'
export { startStrategy } from './botStart.ts'
export type * from './callbacks.ts'
export { type CreateAnalyzerOptions, createAnalyzer, createAnalyzerFromConfig } from './createAnalyzer.ts'
export {
  BUILTIN_STRATEGY_DIR,
  formatStrategyList,
  type LoaderOptions,
  listStrategies,
  listStrategiesCommandText,
  loadStrategy,
  type StrategyListRow,
  StrategyLoadError,
  StrategyNotFoundError,
  strategyFile,
  strategySearchOf,
  strategySource,
} from './loader.ts'
export { notifyOrderFilled } from './orderFilled.ts'
export {
  BooleanParameter,
  CategoricalParameter,
  DecimalParameter,
  IntParameter,
  type ParameterSpace,
  RealParameter,
  StrategyParameter,
} from './parameters.ts'
export { PoolAnalyzer, type PoolAnalyzerOptions } from './pool.ts'
export { loadReadyStrategy } from './readyStrategy.ts'
export { applyConfigOverrides, protectionsOf, type StrategyOverrides, type StrategySettings } from './settings.ts'
export { stoplossFromAbsolute, stoplossFromOpen } from './stoplossHelpers.ts'
export {
  asCodes,
  asFlags,
  type DateSpan,
  gridSpan,
  type KeptColumns,
  type KeptFrame,
  keptColumns,
  type NarrowColumns,
  type TagCodes,
} from './storedColumns.ts'
export { forgetStoredInformative, type InformativeSource } from './storedInformative.ts'
export {
  type InformativePair,
  informativeKey,
  type OrderTypes,
  type PairMeta,
  type PlotConfig,
  type PlotSeries,
  type PopulateResult,
  type ProtectionSpec,
  type RoiTable,
  Strategy,
} from './strategy.ts'
export { applyParameterFile, parameterFileOf } from './strategyParams.ts'
export { attachTagDictionaries, TagColumn, tagAt, tagDictionaries } from './tags.ts'
