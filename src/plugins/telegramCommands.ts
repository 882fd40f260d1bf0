/**
 * What the telegram notifier asks the bot. The RPC layer implements it; the shapes are the REST API's responses
 * (api-contract §8–§10), reduced to the keys the messages show.
 */

export interface OpenTradeView {
  trade_id: number
  pair: string
  is_short: boolean
  amount: number
  stake_amount: number
  open_rate: number
  current_rate: number | null
  open_date: string
  enter_tag: string | null
  profit_ratio: number | null
  profit_abs: number | null
  stop_loss_abs?: number | null
  has_open_orders?: boolean
  /** Profit realised by partial exits so far. */
  realized_profit?: number
  /** The trade's orders (only side and fill are read). */
  orders?: readonly { ft_order_side: string; filled: number | null }[]
}

export interface ProfitView {
  profit_closed_coin: number
  profit_closed_ratio_mean: number
  profit_closed_ratio: number
  profit_all_coin: number
  profit_all_ratio_mean: number
  profit_all_ratio: number
  trade_count: number
  closed_trade_count: number
  first_trade_date: string
  latest_trade_date: string
  avg_duration: string
  best_pair: string
  best_pair_profit_ratio: number
  winning_trades: number
  losing_trades: number
  winrate: number
  expectancy: number
  max_drawdown: number
  max_drawdown_abs: number
}

export interface BalanceView {
  currencies: { currency: string; free: number; balance: number; used: number; est_stake: number }[]
  total: number
  total_bot: number
  stake: string
  note: string
  starting_capital: number
}

export interface DailyView {
  data: { date: string; abs_profit: number; rel_profit: number; starting_balance: number; trade_count: number }[]
  stake_currency: string
}

export interface PerformanceRow {
  pair: string
  profit_ratio: number
  profit_abs: number
  count: number
}

export interface CountView {
  current: number
  max: number
  total_stake: number
}

export interface LockView {
  id: number
  pair: string
  side: string
  reason: string | null
  lock_end_time: string
}

/** Commands answer with a status sentence, or throw an Error whose message is shown to the user. */
export interface TelegramCommands {
  status(): Promise<OpenTradeView[]>
  profit(): Promise<ProfitView>
  balance(): Promise<BalanceView>
  daily(days: number): Promise<DailyView>
  performance(): Promise<PerformanceRow[]>
  count(): Promise<CountView>
  locks(): Promise<LockView[]>
  start(): Promise<string>
  stop(): Promise<string>
  stopEntry(): Promise<string>
  /** `tradeId` is a trade id or `all`. */
  forceExit(tradeId: string): Promise<string>
  forceEnter(pair: string, side: 'long' | 'short', price?: number): Promise<string>
  reloadConfig(): Promise<string>
}
