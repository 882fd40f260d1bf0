/** What the statistics read of a closed trade (backtest result rows and database trades both map to it). */
export interface ClosedTrade {
  pair: string
  /** Realised profit ratio (close_profit). */
  profitRatio: number
  /** Realised absolute profit in stake currency (close_profit_abs). */
  profitAbs: number
  openMs: number
  closeMs: number
  /** Whole minutes open. */
  durationMinutes: number
  stakeAmount: number
  enterTag?: string | null
  exitReason?: string | null
  isShort?: boolean
}
