/** An entry signal counts when enter_long is 1 and exit_long is not (freqtrade's `check_for_trade_entry`). */
export function isEntrySignal(enterLong: number, exitLong: number): boolean {
  return enterLong === 1 && exitLong !== 1
}

/**
 * The exit-signal rule: exit_long set and no entry signal on the same candle; with `exitProfitOnly` only when the
 * profit at the exit price is above `exitProfitOffset` (`profitAbove` decides that comparison).
 */
export function exitSignalAllowed(
  enterLong: number,
  exitLong: number,
  exitProfitOnly: boolean,
  profitAbove: () => boolean,
): boolean {
  if (!(exitLong === 1 && enterLong !== 1)) return false
  return !exitProfitOnly || profitAbove()
}

/** Whether ROI is checked at all on this candle (`ignore_roi_if_entry_signal` skips it while an entry signal is up). */
export function roiApplies(enterLong: number, ignoreRoiIfEntrySignal: boolean): boolean {
  return !(enterLong === 1 && ignoreRoiIfEntrySignal)
}
