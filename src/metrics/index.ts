/** Trade statistics shared by the API (/profit, /stats, /daily) and the backtester; pure functions. */
export { csumRange, type Drawdown, maxDrawdown, type ProfitPoint } from './drawdown.ts'
export { mean, median, pyRound, roundN, stdPop, stdSample, sum, timedeltaText } from './format.ts'
export {
  enterTagResults,
  exitReasonResults,
  mixTagResults,
  pairResults,
  type ResultLine,
  resultLine,
  tagResults,
} from './groups.ts'
export {
  allPeriodicBreakdowns,
  bucketByPeriod,
  dailyStats,
  dayStart,
  type MarketChangeRow,
  marketChange,
  marketChangeSeries,
  type Period,
  type PeriodicRow,
  periodicBreakdown,
  periodLabel,
  streaks,
  tradingStats,
} from './periodic.ts'
export { cagr, calmar, expectancy, profitFactor, sharpe, sortino, sqn, wholeDays } from './ratios.ts'
export type { ClosedTrade } from './types.ts'
