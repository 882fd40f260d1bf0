/**
 * Events the bot sends to notifiers, with freqtrade's message field names (webhook templates written for freqtrade
 * use the same `{placeholders}`). Dates are Date objects so templates can format them (`{open_date:%Y-%m-%d}`).
 */

interface TradeEventBase {
  trade_id: number
  pair: string
  exchange: string
  /** `Long` or `Short`. */
  direction: 'Long' | 'Short'
  leverage: number | null
  enter_tag: string | null
  /** Old name of `enter_tag`, kept for freqtrade templates. */
  buy_tag: string | null
  order_type: string
  amount: number
  open_rate: number
  current_rate: number | null
  open_date: Date
  stake_amount: number
  stake_currency: string
  base_currency: string
  quote_currency: string
  fiat_currency: string | null
  sub_trade: boolean
}

export interface EntryEvent extends TradeEventBase {
  type: 'entry' | 'entry_fill'
  limit: number
}

export interface EntryCancelEvent extends TradeEventBase {
  type: 'entry_cancel'
  limit: number
  reason: string
}

export interface ExitEvent extends TradeEventBase {
  type: 'exit' | 'exit_fill'
  /** `profit` or `loss`. */
  gain: 'profit' | 'loss'
  limit: number
  order_rate: number
  close_rate: number
  profit_amount: number
  profit_ratio: number
  exit_reason: string
  close_date: Date
  cumulative_profit: number
  final_profit_ratio?: number
  is_final_exit: boolean
}

export interface ExitCancelEvent extends Omit<ExitEvent, 'type'> {
  type: 'exit_cancel'
  reason: string
}

/** A lock set by a protection (the lock object of the API contract, §6.3). */
export interface ProtectionTriggerEvent {
  type: 'protection_trigger' | 'protection_trigger_global'
  id: number | null
  pair: string
  base_currency: string | null
  side: 'long' | 'short' | '*'
  reason: string
  lock_time: string
  lock_timestamp: number
  lock_end_time: string
  lock_end_timestamp: number
  active: boolean
}

export interface StatusEvent {
  type: 'status' | 'warning' | 'startup'
  status: string
}

export type BotEvent =
  | EntryEvent
  | EntryCancelEvent
  | ExitEvent
  | ExitCancelEvent
  | ProtectionTriggerEvent
  | StatusEvent

export type BotEventType = BotEvent['type']

export const BOT_EVENT_TYPES: readonly BotEventType[] = [
  'entry',
  'entry_fill',
  'entry_cancel',
  'exit',
  'exit_fill',
  'exit_cancel',
  'protection_trigger',
  'protection_trigger_global',
  'status',
  'warning',
  'startup',
]

/** A short label for log lines about an event (never its full payload). */
export function describeEvent(e: BotEvent): string {
  if ('trade_id' in e) return `${e.type} of trade ${e.trade_id} (${e.pair})`
  if ('pair' in e) return `${e.type} (${e.pair})`
  return `${e.type}: ${e.status.slice(0, 60)}`
}
