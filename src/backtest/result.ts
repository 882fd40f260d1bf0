import {
  allocColumns,
  allPeriodicBreakdownsOf,
  allTrades,
  type ClosedTrade,
  cagr,
  calmarOf,
  closeDays,
  csumRange,
  type Drawdown,
  dailyStatsOf,
  enterTagResultsOf,
  exitReasonResultsOf,
  maxDrawdown,
  maxDrawdownOf,
  median,
  mixTagResultsOf,
  pairResultsOf,
  type ResultLine,
  resultLineOf,
  sharpeOf,
  sortinoOf,
  sqnOf,
  sum,
  type TradeColumns,
  tradingStatsOf,
  wholeDays,
} from '../metrics/index.ts'
import type { StrategySettings } from '../strategy/settings.ts'
import { displayDate } from '../util/dates.ts'
import type { OrderCounters, SimLock, SimTrade } from './simulate.ts'

/** A backtest result file: freqtrade's format (`metadata`, `strategy`, `strategy_comparison`). */
export interface BacktestResult {
  metadata: Record<string, BacktestMetadata>
  strategy: Record<string, StrategyResult>
  strategy_comparison: ResultLine[]
}

export interface BacktestMetadata {
  run_id: string
  backtest_start_time: number
  timeframe: string
  timeframe_detail: string | null
  backtest_start_ts: number
  backtest_end_ts: number
  filename?: string
  notes?: string
}

/** One strategy's result; every key of freqtrade's result (see `buildStrategyResult`). */
export type StrategyResult = Record<string, unknown> & {
  trades: Record<string, unknown>[]
  results_per_pair: ResultLine[]
  total_trades: number
  strategy_name: string
}

/** `2018-01-10 07:15:00+00:00`: how freqtrade writes trade dates in result files. */
export function resultDate(ms: number): string {
  return `${displayDate(ms)}+00:00`
}

/** The result row of one closed trade (freqtrade's BT_DATA_COLUMNS plus the trade id and base/quote). */
export function tradeRow(t: SimTrade, leftOpen = false): Record<string, unknown> {
  return {
    pair: t.pair,
    stake_amount: t.stakeAmount,
    max_stake_amount: t.maxStakeAmount,
    amount: t.amount,
    open_date: resultDate(t.openDateMs),
    close_date: resultDate(t.closeDateMs as number),
    open_rate: t.openRate,
    close_rate: t.closeRate ?? null,
    fee_open: t.feeOpen,
    fee_close: t.feeClose,
    trade_duration: t.durationMinutes,
    profit_ratio: t.closeProfit ?? 0,
    profit_abs: t.closeProfitAbs ?? 0,
    exit_reason: t.exitReason ?? null,
    initial_stop_loss_abs: t.initialStopLoss ?? null,
    initial_stop_loss_ratio: t.initialStopLossPct ?? null,
    stop_loss_abs: t.stopLoss ?? null,
    stop_loss_ratio: t.stopLossPct ?? null,
    min_rate: t.minRate,
    max_rate: t.maxRate,
    is_open: leftOpen,
    enter_tag: t.enterTag ?? null,
    leverage: 1.0,
    is_short: false,
    open_timestamp: t.openDateMs,
    close_timestamp: t.closeDateMs ?? null,
    orders: filledOrders(t),
    funding_fees: 0.0,
    trade_id: t.id,
  }
}

/** The result rows of the trades. */
function tradeRows(trades: readonly SimTrade[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(trades.length)
  for (let i = 0; i < trades.length; i++) rows[i] = tradeRow(trades[i])
  return rows
}

/** The trades closed by the end of the backtest (`left_open_trades`). */
function forceExits(c: TradeColumns): Int32Array {
  const index: number[] = []
  for (let i = 0; i < c.length; i++) if (c.exitReason[i] === 'force_exit') index.push(i)
  return Int32Array.from(index)
}

/** The statistics' view of simulated trades: their columns. */
function columnsOf(trades: readonly SimTrade[]): TradeColumns {
  const c = allocColumns(trades.length)
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]
    c.profitRatio[i] = t.closeProfit ?? 0
    c.profitAbs[i] = t.closeProfitAbs ?? 0
    c.closeMs[i] = t.closeDateMs as number
    c.durationMinutes[i] = t.durationMinutes
    c.stakeAmount[i] = t.stakeAmount
    c.pair[i] = t.pair
    c.enterTag[i] = t.enterTag ?? null
    c.exitReason[i] = t.exitReason ?? null
  }
  return c
}

/** The result objects of the orders of a trade that filled (anything). */
function filledOrders(t: SimTrade): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const orders = t.orders
  for (let i = 0; i < orders.length; i++) if (orders[i].filled > 0) out.push(orders[i].toResultJson())
  return out
}

/** What the statistics read from a simulated trade. */
export function closedTradeOf(t: SimTrade): ClosedTrade {
  return {
    pair: t.pair,
    profitRatio: t.closeProfit ?? 0,
    profitAbs: t.closeProfitAbs ?? 0,
    openMs: t.openDateMs,
    closeMs: t.closeDateMs as number,
    durationMinutes: t.durationMinutes,
    stakeAmount: t.stakeAmount,
    enterTag: t.enterTag ?? null,
    exitReason: t.exitReason ?? null,
  }
}

/** The same from a stored result row (for reading files back). */
export function closedTradeOfRow(r: Record<string, unknown>): ClosedTrade {
  return {
    pair: r.pair as string,
    profitRatio: r.profit_ratio as number,
    profitAbs: r.profit_abs as number,
    openMs: r.open_timestamp as number,
    closeMs: r.close_timestamp as number,
    durationMinutes: r.trade_duration as number,
    stakeAmount: r.stake_amount as number,
    enterTag: (r.enter_tag as string | null) ?? null,
    exitReason: (r.exit_reason as string | null) ?? null,
  }
}

export interface StrategyResultInput {
  strategyName: string
  trades: readonly SimTrade[]
  pairlist: readonly string[]
  settings: StrategySettings
  startMs: number
  endMs: number
  runStartS: number
  runEndS: number
  startingBalance: number
  finalBalance: number
  rejectedSignals: number
  marketChange: number
  stakeAmount: number | 'unlimited'
  stakeCurrency: string
  maxOpenTrades: number
  timeframeDetail?: string
  timerange?: string
  enableProtections: boolean
  exitProfitOffset: number
  tradingMode: string
  marginMode: string
  locks?: readonly SimLock[]
  /** The simulation's order counters (timed-out / cancelled / replaced orders); all 0 when left out. */
  orderCounters?: OrderCounters
}

/** Decimals shown for a stake currency (freqtrade's `decimals_per_coin`). */
export function decimalsPerCoin(coin: string): number {
  return ({ BTC: 8, ETH: 5 } as Record<string, number>)[coin] ?? 3
}

/** freqtrade's `generate_strategy_stats`: the full result of one strategy. */
export function buildStrategyResult(x: StrategyResultInput): StrategyResult {
  // the loops over the trades live in small helpers: a hot loop in here would have the JIT compile this long function
  const n = x.trades.length
  const rows = tradeRows(x.trades)
  const c = columnsOf(x.trades)
  const sb = x.startingBalance
  const all = allTrades(n)
  // the TOTAL line is the same in every group table: computed once, copied into each
  const total = resultLineOf(c, all, sb, 'TOTAL')
  const totalAbs = total.profit_total_abs
  const volume = sum(c.stakeAmount)
  const leftOpen = forceExits(c)
  const pairLines = pairResultsOf(c, all, x.pairlist, sb, false, total)
  const others = pairLines.filter((l) => l.key !== 'TOTAL')
  const best = others.length > 0 ? others.reduce((a, b) => (b.profit_total_abs > a.profit_total_abs ? b : a)) : null
  const worst = others.length > 0 ? others.reduce((a, b) => (b.profit_total_abs < a.profit_total_abs ? b : a)) : null
  const days = wholeDays(x.startMs, x.endMs) || 1
  const maxOpen = Math.min(x.maxOpenTrades < 0 ? Number.POSITIVE_INFINITY : x.maxOpenTrades, x.pairlist.length)
  const s = x.settings
  const roiJson: Record<string, number> = {}
  for (const [k, v] of Object.entries(s.minimalRoi)) roiJson[k] = v
  const dd = maxDrawdownOf(c.closeMs, c.profitAbs, all, sb)
  const closeDayIndex = n > 0 ? closeDays(c) : undefined

  const result: StrategyResult = {
    trades: rows,
    locks: (x.locks ?? []).map(lockJson),
    best_pair: best,
    worst_pair: worst,
    results_per_pair: pairLines,
    results_per_enter_tag: enterTagResultsOf(c, sb, total),
    exit_reason_summary: exitReasonResultsOf(c, sb, total),
    mix_tag_stats: mixTagResultsOf(c, sb, total),
    left_open_trades: pairResultsOf(c, leftOpen, x.pairlist, sb, true),
    total_trades: n,
    trade_count_long: n,
    trade_count_short: 0,
    total_volume: volume,
    avg_stake_amount: n ? volume / n : 0,
    profit_mean: total.profit_mean,
    profit_median: n ? median(c.profitRatio) : 0,
    profit_total: totalAbs / sb,
    profit_total_long: totalAbs / sb,
    profit_total_short: 0,
    profit_total_abs: totalAbs,
    profit_total_long_abs: totalAbs,
    profit_total_short_abs: 0,
    cagr: cagr(days, sb, x.finalBalance),
    expectancy: total.expectancy,
    expectancy_ratio: total.expectancy_ratio,
    sortino: sortinoOf(c.profitAbs, x.startMs, x.endMs, sb),
    sharpe: sharpeOf(c.profitAbs, x.startMs, x.endMs, sb),
    calmar: calmarOf(n, totalAbs, x.startMs, x.endMs, sb, dd),
    sqn: sqnOf(c.profitAbs, sb),
    profit_factor: total.profit_factor,
    backtest_start: displayDate(x.startMs),
    backtest_start_ts: x.startMs,
    backtest_end: displayDate(x.endMs),
    backtest_end_ts: x.endMs,
    backtest_days: days,
    backtest_run_start_ts: x.runStartS,
    backtest_run_end_ts: x.runEndS,
    trades_per_day: Number((n / days).toFixed(2)),
    market_change: x.marketChange,
    pairlist: [...x.pairlist],
    stake_amount: x.stakeAmount,
    stake_currency: x.stakeCurrency,
    stake_currency_decimals: decimalsPerCoin(x.stakeCurrency),
    starting_balance: sb,
    dry_run_wallet: sb,
    final_balance: x.finalBalance,
    rejected_signals: x.rejectedSignals,
    timedout_entry_orders: x.orderCounters?.timedoutEntryOrders ?? 0,
    timedout_exit_orders: x.orderCounters?.timedoutExitOrders ?? 0,
    canceled_trade_entries: x.orderCounters?.canceledTradeEntries ?? 0,
    canceled_entry_orders: x.orderCounters?.canceledEntryOrders ?? 0,
    replaced_entry_orders: x.orderCounters?.replacedEntryOrders ?? 0,
    max_open_trades: Number.isFinite(maxOpen) ? maxOpen : -1,
    max_open_trades_setting: x.maxOpenTrades < 0 || !Number.isFinite(x.maxOpenTrades) ? -1 : x.maxOpenTrades,
    timeframe: s.timeframe,
    timeframe_detail: x.timeframeDetail ?? '',
    timerange: x.timerange ?? '',
    enable_protections: x.enableProtections,
    strategy_name: x.strategyName,
    stoploss: s.stoploss,
    trailing_stop: s.trailingStop,
    trailing_stop_positive: s.trailingStopPositive ?? null,
    trailing_stop_positive_offset: s.trailingStopPositiveOffset,
    trailing_only_offset_is_reached: s.trailingOnlyOffsetIsReached,
    use_custom_stoploss: s.useCustomStoploss,
    minimal_roi: roiJson,
    use_exit_signal: s.useExitSignal,
    exit_profit_only: s.exitProfitOnly,
    exit_profit_offset: x.exitProfitOffset,
    ignore_roi_if_entry_signal: s.ignoreRoiIfEntrySignal,
    trading_mode: x.tradingMode,
    margin_mode: x.marginMode,
    periodic_breakdown: allPeriodicBreakdownsOf(c, closeDayIndex),
    ...dailyStatsOf(c, closeDayIndex),
    ...tradingStatsOf(c),
  }
  Object.assign(result, drawdownFieldsOf(c, sb, dd))
  return result
}

/** The drawdown keys of a strategy result (zeros and the epoch when there is no drawdown). */
export function drawdownFields(closed: readonly ClosedTrade[], sb: number): Record<string, unknown> {
  const points = closed.map((t) => ({ closeMs: t.closeMs, value: t.profitAbs }))
  return drawdownKeys(
    maxDrawdown(points, sb),
    maxDrawdown(points, sb, true),
    csumRange(
      closed.map((t) => t.profitAbs),
      sb,
    ),
  )
}

/** `drawdownFields` over columns, with the account drawdown (`maxDrawdownOf(..., sb)`) already known. */
function drawdownFieldsOf(c: TradeColumns, sb: number, dd: Drawdown | undefined): Record<string, unknown> {
  return drawdownKeys(dd, maxDrawdownOf(c.closeMs, c.profitAbs, undefined, sb, true), csumRange(c.profitAbs, sb))
}

function drawdownKeys(
  dd: Drawdown | undefined,
  under: Drawdown | undefined,
  csum: { min: number; max: number } | undefined,
): Record<string, unknown> {
  if (dd === undefined || csum === undefined) {
    return {
      max_drawdown: 0,
      max_drawdown_account: 0,
      max_relative_drawdown: 0,
      max_drawdown_abs: 0,
      max_drawdown_low: 0,
      max_drawdown_high: 0,
      drawdown_start: displayDate(0),
      drawdown_start_ts: 0,
      drawdown_end: displayDate(0),
      drawdown_end_ts: 0,
      csum_min: 0,
      csum_max: 0,
    }
  }
  return {
    max_drawdown: dd.relativeAccountDrawdown,
    max_drawdown_account: dd.relativeAccountDrawdown,
    max_relative_drawdown: under?.relativeAccountDrawdown ?? dd.relativeAccountDrawdown,
    max_drawdown_abs: dd.drawdownAbs,
    drawdown_start: displayDate(dd.highMs),
    drawdown_start_ts: dd.highMs,
    drawdown_end: displayDate(dd.lowMs),
    drawdown_end_ts: dd.lowMs,
    max_drawdown_low: dd.lowValue,
    max_drawdown_high: dd.highValue,
    csum_min: csum.min,
    csum_max: csum.max,
  }
}

/** The `strategy_comparison` line of one strategy: its TOTAL line keyed by name, plus its drawdown. */
export function comparisonLine(name: string, r: StrategyResult): ResultLine {
  const total = r.results_per_pair[r.results_per_pair.length - 1]
  return {
    ...total,
    key: name,
    max_drawdown_account: r.max_drawdown_account as number,
    max_drawdown_abs: r.max_drawdown_abs as number,
  }
}

/** A lock in the result file: the lock object of the API (§6.3). */
export function lockJson(l: SimLock, i: number): Record<string, unknown> {
  return {
    id: i + 1,
    pair: l.pair,
    side: l.side,
    reason: l.reason,
    lock_time: displayDate(l.lockMs),
    lock_timestamp: l.lockMs,
    lock_end_time: displayDate(l.untilMs),
    lock_end_timestamp: l.untilMs,
    active: true,
  }
}
