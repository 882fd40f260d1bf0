/** Hand-built events for the notifier tests. */
import type { EntryEvent, ExitEvent } from '../../../src/plugins/index.ts'

export const OPEN = new Date(Date.UTC(2024, 4, 1, 10, 0, 0))
export const CLOSE = new Date(Date.UTC(2024, 4, 1, 12, 30, 0))

export function entryEvent(over: Partial<EntryEvent> = {}): EntryEvent {
  return {
    type: 'entry',
    trade_id: 1,
    pair: 'ETH/BTC',
    exchange: 'Binance',
    direction: 'Long',
    leverage: 1,
    enter_tag: 'ema_cross',
    buy_tag: 'ema_cross',
    order_type: 'limit',
    amount: 2.5,
    open_rate: 0.05,
    limit: 0.05,
    current_rate: 0.0501,
    open_date: OPEN,
    stake_amount: 0.125,
    stake_currency: 'BTC',
    base_currency: 'ETH',
    quote_currency: 'BTC',
    fiat_currency: 'USD',
    sub_trade: false,
    ...over,
  }
}

export function exitEvent(over: Partial<ExitEvent> = {}): ExitEvent {
  return {
    ...entryEvent(),
    type: 'exit_fill',
    gain: 'profit',
    limit: 0.052,
    order_rate: 0.052,
    close_rate: 0.052,
    profit_amount: 0.00469,
    profit_ratio: 0.03752,
    exit_reason: 'roi',
    close_date: CLOSE,
    cumulative_profit: 0.00469,
    is_final_exit: true,
    ...over,
  }
}
