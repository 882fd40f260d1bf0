/** Trade statistics shared by the API (/profit, /stats, /daily) and the backtester; pure functions. */
export { allocColumns, allTrades, groupBy, type TradeColumns, type TradeIndex, tradeColumns } from './columns.ts'
export { csumRange, type Drawdown, maxDrawdown, maxDrawdownOf, type ProfitPoint } from './drawdown.ts'
export { mean, median, pyRound, roundN, stdPop, stdSample, sum, timedeltaText } from './format.ts'
export {
  enterTagResults,
  enterTagResultsOf,
  exitReasonResults,
  exitReasonResultsOf,
  mixTagResults,
  mixTagResultsOf,
  type ProfitTotals,
  pairResults,
  pairResultsOf,
  profitTotalsBy,
  type ResultLine,
  resultLine,
  resultLineOf,
  tagResults,
} from './groups.ts'
export {
  allPeriodicBreakdowns,
  allPeriodicBreakdownsOf,
  bucketByPeriod,
  type CloseDays,
  closeDays,
  dailyStats,
  dailyStatsOf,
  dayStart,
  type MarketChangeRow,
  marketChange,
  marketChangeSeries,
  type Period,
  type PeriodicRow,
  periodicBreakdown,
  periodicBreakdownOf,
  periodLabel,
  streaks,
  tradingStats,
  tradingStatsOf,
} from './periodic.ts'
export {
  cagr,
  calmar,
  calmarOf,
  expectancy,
  expectancyFrom,
  profitFactor,
  sharpe,
  sharpeOf,
  sortino,
  sortinoOf,
  sqn,
  sqnOf,
  wholeDays,
} from './ratios.ts'
export type { ClosedTrade } from './types.ts'
