import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'
import { Nullable } from './common.ts'

const NullNum = (description?: string) => Nullable(t.Number(description ? { description } : {}))
const NullInt = (description?: string) => Nullable(Type.Integer(description ? { description } : {}))
const NullStr = (description?: string) => Nullable(t.String(description ? { description } : {}))

/** One order of a trade (§6.2). */
export const TradeOrder = t.Object({
  pair: t.String(),
  order_id: t.String(),
  status: t.String({ description: 'ccxt status: open, closed, canceled, expired, ...' }),
  order_type: t.String(),
  ft_order_side: t.String({ description: "'buy' | 'sell' | 'stoploss'" }),
  ft_is_entry: t.Boolean(),
  amount: t.Number(),
  safe_price: t.Number({ description: 'average fill price, else limit price, else stop price, else requested' }),
  average: t.Number({ description: 'average fill price, 8 decimals; 0 when unknown' }),
  price: NullNum(),
  cost: t.Number(),
  filled: NullNum(),
  remaining: NullNum(),
  is_open: t.Boolean(),
  order_date: NullStr('display date, UTC'),
  order_timestamp: NullInt('ms'),
  order_filled_date: NullStr(),
  order_filled_timestamp: NullInt('ms'),
  ft_fee_base: NullNum(),
  ft_order_tag: NullStr(),
  funding_fee: NullNum(),
})
export type TradeOrder = Static<typeof TradeOrder>

/**
 * The trade object (§6.1): the base keys are always present; the live keys (§6.1.2) are added by the open-trade views
 * (`/status`, `/trade/{id}`, cancel open order, reload) and absent from `/trades` and `/forceenter`.
 */
export const TradeObject = t.Object({
  trade_id: Type.Integer(),
  pair: t.String(),
  base_currency: t.String(),
  quote_currency: t.String(),
  exchange: t.String(),
  is_open: t.Boolean(),
  is_short: t.Boolean(),
  trading_mode: NullStr("'spot' | 'margin' | 'futures'"),
  leverage: NullNum(),
  strategy: t.String(),
  enter_tag: NullStr(),
  timeframe: NullInt('minutes'),
  amount: t.Number(),
  amount_requested: NullNum(),
  stake_amount: t.Number(),
  max_stake_amount: NullNum(),
  open_trade_value: t.Number(),
  fee_open: NullNum(),
  fee_open_cost: NullNum(),
  fee_open_currency: NullStr(),
  fee_close: NullNum(),
  fee_close_cost: NullNum(),
  fee_close_currency: NullStr(),
  open_date: t.String({ description: 'display date, UTC' }),
  open_timestamp: Type.Integer({ description: 'ms' }),
  open_fill_date: NullStr(),
  open_fill_timestamp: NullInt(),
  open_rate: t.Number(),
  open_rate_requested: NullNum(),
  close_date: NullStr(),
  close_timestamp: NullInt(),
  close_rate: NullNum(),
  close_rate_requested: NullNum(),
  close_profit: NullNum('realised profit ratio; null while open in the live view'),
  close_profit_pct: NullNum(),
  close_profit_abs: NullNum(),
  realized_profit: t.Number(),
  realized_profit_ratio: NullNum(),
  profit_ratio: NullNum(),
  profit_pct: NullNum(),
  profit_abs: NullNum(),
  exit_reason: NullStr(),
  exit_order_status: NullStr(),
  trade_duration_s: NullInt('seconds, closed trades'),
  trade_duration: NullInt('minutes, closed trades'),
  stop_loss_abs: NullNum(),
  stop_loss_ratio: NullNum(),
  stop_loss_pct: NullNum(),
  stoploss_last_update: NullStr(),
  stoploss_last_update_timestamp: NullInt(),
  initial_stop_loss_abs: NullNum(),
  initial_stop_loss_ratio: NullNum(),
  initial_stop_loss_pct: NullNum(),
  min_rate: NullNum(),
  max_rate: NullNum(),
  interest_rate: NullNum(),
  liquidation_price: NullNum(),
  funding_fees: NullNum(),
  amount_precision: NullNum(),
  price_precision: NullNum(),
  precision_mode: NullInt(),
  precision_mode_price: NullInt(),
  contract_size: NullNum(),
  has_open_orders: t.Boolean(),
  orders: t.Array(TradeOrder),
  // live keys (§6.1.2)
  current_rate: t.Optional(NullNum('exit-side price; close_rate for closed trades')),
  profit_fiat: t.Optional(NullNum()),
  total_profit_abs: t.Optional(NullNum('unrealised + realised; 0 for closed trades; null without a price')),
  total_profit_ratio: t.Optional(NullNum()),
  total_profit_fiat: t.Optional(NullNum()),
  stoploss_current_dist: t.Optional(NullNum()),
  stoploss_current_dist_ratio: t.Optional(NullNum()),
  stoploss_current_dist_pct: t.Optional(NullNum()),
  stoploss_entry_dist: t.Optional(NullNum()),
  stoploss_entry_dist_ratio: t.Optional(NullNum()),
})
export type TradeObject = Static<typeof TradeObject>

export const TradeList = t.Object({
  trades: t.Array(TradeObject),
  trades_count: Type.Integer({ description: 'trades in this page' }),
  offset: Type.Integer(),
  total_trades: Type.Integer({ description: 'closed trades in the database' }),
})
export type TradeList = Static<typeof TradeList>

export const DeleteTradeResult = t.Object({
  result: t.String(),
  result_msg: t.String(),
  trade_id: Type.Integer(),
  cancel_order_count: Type.Integer(),
})
export type DeleteTradeResult = Static<typeof DeleteTradeResult>

export const TradeCount = t.Object({
  current: Type.Integer(),
  max: Type.Integer({ description: '-1 when unlimited; 0 after /stopentry' }),
  total_stake: t.Number(),
})
export type TradeCount = Static<typeof TradeCount>

const OrderType = Nullable(t.Union([t.Literal('limit'), t.Literal('market')]))

export const ForceEnterRequest = t.Object({
  pair: t.String(),
  side: t.Optional(t.Union([t.Literal('long'), t.Literal('short')], { default: 'long' })),
  price: t.Optional(NullNum('limit price; null = per entry_pricing')),
  ordertype: t.Optional(OrderType),
  stakeamount: t.Optional(NullNum()),
  entry_tag: t.Optional(NullStr()),
  leverage: t.Optional(NullNum()),
})
export type ForceEnterRequest = Static<typeof ForceEnterRequest>

export const ForceEnterResponse = t.Union([TradeObject, t.Object({ status: t.String() })])
export type ForceEnterResponse = Static<typeof ForceEnterResponse>

export const ForceExitRequest = t.Object({
  tradeid: t.Union([t.String(), Type.Integer()], { description: "a trade id, or 'all'" }),
  ordertype: t.Optional(OrderType),
  amount: t.Optional(NullNum('partial exit in base currency')),
})
export type ForceExitRequest = Static<typeof ForceExitRequest>

export const ResultMessage = t.Object({ result: t.String() })
export type ResultMessage = Static<typeof ResultMessage>
