import type { Trade } from '../../domain/trade.ts'

/** The stop and trailing settings the stop-loss rules read (a strategy's effective settings satisfy it). */
export interface StoplossSettings {
  stoploss: number
  trailingStop: boolean
  trailingStopPositive: number | undefined
  trailingStopPositiveOffset: number
  trailingOnlyOffsetIsReached: boolean
  useCustomStoploss: boolean
}

export type StopHit = 'none' | 'stop_loss' | 'trailing_stop_loss'

/**
 * freqtrade's `ft_stoploss_reached` for a long in a backtest candle: sets the initial stop, lets a custom stop and the
 * trailing stop move it up using the candle's high, then reports whether the low reached it. `customStop` returns the
 * strategy's new stop ratio (or undefined) for `(rate, profit)`; pass undefined when there is none.
 */
export function checkStoploss(
  trade: Trade,
  s: StoplossSettings,
  low: number,
  high: number,
  customStop?: (rate: number, profit: number) => number | undefined,
): StopHit {
  trade.adjustStopLoss(trade.openRate, s.stoploss, true)
  // freqtrade decides this once, before the custom stop and the trailing stop move anything
  const stopBelow = (trade.stopLoss as number) < low
  if (customStop !== undefined && s.useCustomStoploss && stopBelow) {
    const r = customStop(high, trade.profitRatio(high))
    if (r !== undefined && r !== 0 && !Number.isNaN(r)) trade.adjustStopLoss(high, r)
  }
  if (s.trailingStop && stopBelow) updateTrailingStop(trade, s, high)
  if ((trade.stopLoss as number) >= low) return trade.isStopLossTrailing ? 'trailing_stop_loss' : 'stop_loss'
  return 'none'
}

/**
 * freqtrade's `ft_stoploss_adjust(after_fill=True)`, right after an order of a trade filled and left it open (an entry,
 * a position adjustment, a partial exit), for a strategy whose custom stop asks to be told of fills
 * (`customStoplossAfterFill`, freqtrade's `after_fill` parameter): the initial stop, then the custom stop for `rate`,
 * which may move the stop down as well as up, then the trailing stop at `rate`. Both engines call it; `rate` is the
 * fill price in a backtest and the current rate live.
 */
export function adjustStopAfterFill(
  trade: Trade,
  s: StoplossSettings,
  rate: number,
  customStop: ((rate: number, profit: number) => number | undefined) | undefined,
): void {
  trade.adjustStopLoss(trade.openRate, s.stoploss, true)
  // freqtrade decides this once, before either adjustment
  if (!((trade.stopLoss as number) < rate)) return
  if (customStop !== undefined && s.useCustomStoploss) {
    const r = customStop(rate, trade.profitRatio(rate))
    if (r !== undefined && r !== 0 && Number.isFinite(r)) trade.adjustStopLoss(rate, r, false, true)
  }
  if (s.trailingStop) updateTrailingStop(trade, s, rate)
}

/**
 * The trailing stop step: with `trailing_only_offset_is_reached` nothing moves until the profit at `high` reaches the
 * offset; above the offset the stop trails at `trailing_stop_positive` (if set), else at the strategy's stoploss.
 */
export function updateTrailingStop(trade: Trade, s: StoplossSettings, high: number): void {
  const offset = s.trailingStopPositiveOffset
  if (s.trailingOnlyOffsetIsReached && trade.profitBelow(high, offset)) return
  let value = s.stoploss
  if (s.trailingStopPositive !== undefined && s.trailingStopPositive !== null && trade.profitAbove(high, offset)) {
    value = s.trailingStopPositive
  }
  trade.adjustStopLoss(high, value)
}

/**
 * freqtrade's `_get_close_rate_for_stoploss` for a long: the stop price, or the open when the whole candle is below
 * the stop. A trailing stop hit on the entry candle assumes the worst realistic path: the price rises just enough to
 * arm the trail and falls back to it (bounded by the candle's low).
 */
export function stoplossExitPrice(
  stop: number,
  open: number,
  high: number,
  low: number,
  hit: StopHit,
  durationMinutes: number,
  s: StoplossSettings,
): number {
  if (stop > high) return open
  if (hit === 'trailing_stop_loss' && durationMinutes === 0) {
    let rate: number
    if (
      !s.useCustomStoploss &&
      s.trailingStop &&
      s.trailingOnlyOffsetIsReached &&
      s.trailingStopPositiveOffset !== undefined &&
      s.trailingStopPositive
    ) {
      rate = open * (1 - Math.abs(s.trailingStopPositiveOffset) + Math.abs(s.trailingStopPositive))
    } else {
      rate = open * (1 - Math.abs(s.stoploss))
    }
    return Math.max(low, rate)
  }
  return stop
}
