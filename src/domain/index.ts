/** Trades and orders with their money math; pure, no I/O. */
export { Order } from './order.ts'
export {
  amountToPrecision,
  DECIMAL_PLACES,
  preciseMul,
  priceToPrecision,
  type Rounding,
  round8,
  roundHalfEven,
  roundTo,
  SIGNIFICANT_DIGITS,
  TICK_SIZE,
} from './precision.ts'
export { openValue, Trade, type TradeInit } from './trade.ts'
