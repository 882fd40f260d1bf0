/**
 * The database schema. SQL table and column names follow freqtrade's database so that the two stay
 * recognisable side by side; TypeScript properties are camelCase. Every date is an integer of
 * milliseconds since the epoch (UTC); booleans are 0/1 integers.
 *
 * Change this file, then run `bun run db:generate` to write the next migration into `./migrations`.
 */
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const trades = sqliteTable(
  'trades',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    exchange: text('exchange').notNull(),
    pair: text('pair').notNull(),
    baseCurrency: text('base_currency'),
    stakeCurrency: text('stake_currency'),
    isOpen: integer('is_open', { mode: 'boolean' }).notNull().default(true),
    feeOpen: real('fee_open').notNull().default(0),
    feeOpenCost: real('fee_open_cost'),
    feeOpenCurrency: text('fee_open_currency'),
    feeClose: real('fee_close').notNull().default(0),
    feeCloseCost: real('fee_close_cost'),
    feeCloseCurrency: text('fee_close_currency'),
    openRate: real('open_rate').notNull(),
    openRateRequested: real('open_rate_requested'),
    openTradeValue: real('open_trade_value'),
    closeRate: real('close_rate'),
    closeRateRequested: real('close_rate_requested'),
    realizedProfit: real('realized_profit').notNull().default(0),
    closeProfit: real('close_profit'),
    closeProfitAbs: real('close_profit_abs'),
    stakeAmount: real('stake_amount').notNull(),
    maxStakeAmount: real('max_stake_amount'),
    amount: real('amount').notNull(),
    amountRequested: real('amount_requested'),
    openDate: integer('open_date').notNull(),
    closeDate: integer('close_date'),
    stopLoss: real('stop_loss').notNull().default(0),
    stopLossPct: real('stop_loss_pct'),
    initialStopLoss: real('initial_stop_loss').notNull().default(0),
    initialStopLossPct: real('initial_stop_loss_pct'),
    isStopLossTrailing: integer('is_stop_loss_trailing', { mode: 'boolean' }).notNull().default(false),
    stoplossLastUpdate: integer('stoploss_last_update'),
    maxRate: real('max_rate'),
    minRate: real('min_rate'),
    exitReason: text('exit_reason'),
    exitOrderStatus: text('exit_order_status'),
    strategy: text('strategy'),
    enterTag: text('enter_tag'),
    /** Candle length in minutes, as freqtrade stores it. */
    timeframe: integer('timeframe'),
    tradingMode: text('trading_mode'),
    amountPrecision: real('amount_precision'),
    pricePrecision: real('price_precision'),
    precisionMode: integer('precision_mode'),
    precisionModePrice: integer('precision_mode_price'),
    contractSize: real('contract_size'),
    leverage: real('leverage').notNull().default(1),
    isShort: integer('is_short', { mode: 'boolean' }).notNull().default(false),
    liquidationPrice: real('liquidation_price'),
    interestRate: real('interest_rate').notNull().default(0),
    fundingFees: real('funding_fees'),
    /** Bumped on every write; lets a reader tell whether a row changed under it. */
    recordVersion: integer('record_version').notNull().default(0),
  },
  (t) => [index('ix_trades_pair').on(t.pair), index('ix_trades_is_open').on(t.isOpen)],
)

export const orders = sqliteTable(
  'orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ftTradeId: integer('ft_trade_id')
      .notNull()
      .references(() => trades.id, { onDelete: 'cascade' }),
    ftOrderSide: text('ft_order_side', { enum: ['buy', 'sell', 'stoploss'] }).notNull(),
    ftPair: text('ft_pair').notNull(),
    ftIsOpen: integer('ft_is_open', { mode: 'boolean' }).notNull().default(true),
    ftAmount: real('ft_amount').notNull(),
    ftPrice: real('ft_price').notNull(),
    ftCancelReason: text('ft_cancel_reason'),
    ftOrderTag: text('ft_order_tag'),
    orderId: text('order_id').notNull(),
    status: text('status'),
    symbol: text('symbol'),
    orderType: text('order_type'),
    side: text('side'),
    price: real('price'),
    average: real('average'),
    amount: real('amount'),
    filled: real('filled'),
    remaining: real('remaining'),
    cost: real('cost'),
    stopPrice: real('stop_price'),
    orderDate: integer('order_date'),
    orderFilledDate: integer('order_filled_date'),
    orderUpdateDate: integer('order_update_date'),
    fundingFee: real('funding_fee'),
    ftFeeBase: real('ft_fee_base'),
  },
  (t) => [uniqueIndex('_order_pair_order_id').on(t.ftPair, t.orderId), index('ix_orders_ft_trade_id').on(t.ftTradeId)],
)

export const pairlocks = sqliteTable(
  'pairlocks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** A pair, or '*' for a lock on every pair. */
    pair: text('pair').notNull(),
    side: text('side', { enum: ['long', 'short', '*'] })
      .notNull()
      .default('*'),
    reason: text('reason'),
    lockTime: integer('lock_time').notNull(),
    lockEndTime: integer('lock_end_time').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('ix_pairlocks_pair').on(t.pair), index('ix_pairlocks_lock_end_time').on(t.lockEndTime)],
)

/** freqtrade's KeyValueStore: one typed value per key; only the column named by `value_type` is set. */
export const kv = sqliteTable('kv', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  valueType: text('value_type', { enum: ['str', 'datetime', 'float', 'int'] }).notNull(),
  stringValue: text('string_value'),
  datetimeValue: integer('datetime_value'),
  floatValue: real('float_value'),
  intValue: integer('int_value'),
})

/**
 * One row counting every committed change to `trades` and `orders` (triggers in the migration bump it, so writes
 * from any connection or process count). Readers compare it to serve unchanged trade lists from memory.
 */
export const tradeChanges = sqliteTable('trade_changes', {
  id: integer('id').primaryKey(),
  changes: integer('changes').notNull().default(0),
})

export type TradeRow = typeof trades.$inferSelect
export type NewTradeRow = typeof trades.$inferInsert
export type OrderRow = typeof orders.$inferSelect
export type NewOrderRow = typeof orders.$inferInsert
export type PairLockRow = typeof pairlocks.$inferSelect
export type NewPairLockRow = typeof pairlocks.$inferInsert
export type KvRow = typeof kv.$inferSelect
export type NewKvRow = typeof kv.$inferInsert
export type KvValueType = KvRow['valueType']
