export { BACKTEST_CACHES, type BacktestCache, cachedResult, cacheMinStartMs } from './cache.ts'
/** The backtester: runner, freqtrade's result format, result files, terminal tables, CLI commands. */
export { loadMarkets, marketsCacheFile, type PairMarkets, rulesFromMarket, simMarkets } from './markets.ts'
export {
  type BacktestMetadata,
  type BacktestResult,
  buildStrategyResult,
  type StrategyResult,
  tradeRow,
} from './result.ts'
export {
  BacktestAbortedError,
  type BacktestOptions,
  type BacktestProgress,
  type BacktestRun,
  type BacktestStep,
  type BacktestTimings,
  marketChangeTable,
  runBacktest,
  runBacktestDetailed,
} from './runner.ts'
export { type PairInput, SimTrade, type SimulationOptions, type SimulationResult, simulate } from './simulate.ts'
export {
  type BacktestHistoryEntry,
  deleteBacktestResult,
  latestResultFile,
  listBacktestHistory,
  loadBacktestResult,
  loadMarketChange,
  type MarketChangeTable,
  readBacktestResult,
  resolveResultFile,
  resultsDir,
  setBacktestNotes,
  writeBacktestResult,
  writeMarketChange,
} from './storage.ts'
export { formatBacktestResult, textTable } from './tables.ts'
