import { ccxtErrors as ccxt } from '../util/ccxtParts.ts'

/** Base of every error the exchange layer raises; `cause` keeps the ccxt error. */
export class ExchangeLayerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** The exchange could not be reached or asked us to slow down, and retries did not help (or were not allowed). */
export class TemporaryError extends ExchangeLayerError {}

/** The account cannot pay for the order. */
export class InsufficientFundsError extends ExchangeLayerError {}

/** The exchange refused the order (precision, limits, market closed, ...). */
export class InvalidOrderError extends ExchangeLayerError {}

/** No such order. */
export class OrderNotFoundError extends ExchangeLayerError {}

/** The pair does not exist on the exchange or is not tradable. */
export class BadPairError extends ExchangeLayerError {}

/** The API key, secret or permissions were refused. */
export class ExchangeAuthError extends ExchangeLayerError {}

/** The configuration asks for something the exchange does not have (unknown exchange id, timeframe, currency). */
export class ExchangeConfigError extends ExchangeLayerError {}

/** Anything else the exchange answered that retrying will not fix. */
export class ExchangeOperationError extends ExchangeLayerError {}

/**
 * Whether a ccxt error may go away by itself: network failures, timeouts, rate limits (DDoSProtection,
 * RateLimitExceeded), the exchange being unavailable or in maintenance — all under ccxt's `OperationFailed` branch
 * (which also holds server-side "internal error" answers such as Binance's -1001).
 */
export function isRetryable(e: unknown): boolean {
  return e instanceof ccxt.OperationFailed
}

/**
 * Whether a failed request may still have been carried out by the exchange (so a POST may have taken effect):
 * every retryable failure except refusals that happen before any work (rate limits, maintenance).
 */
export function isAmbiguous(e: unknown): boolean {
  return (
    e instanceof ccxt.OperationFailed &&
    !(e instanceof ccxt.DDoSProtection) &&
    !(e instanceof ccxt.RateLimitExceeded) &&
    !(e instanceof ccxt.OnMaintenance)
  )
}

/**
 * Turns a ccxt error into one of ours. `context` names the call (e.g. `createOrder BTC/USDT`) and leads the
 * message; in an order context, requests the exchange rejected as malformed count as invalid orders.
 */
export function translateError(e: unknown, context: string, orderContext = false): Error {
  if (e instanceof ExchangeLayerError) return e
  const detail = e instanceof Error ? e.message : String(e)
  const msg = `${context}: ${detail}`
  if (e instanceof ccxt.InsufficientFunds) return new InsufficientFundsError(msg, { cause: e })
  if (e instanceof ccxt.OrderNotFound) return new OrderNotFoundError(msg, { cause: e })
  if (e instanceof ccxt.InvalidOrder) return new InvalidOrderError(msg, { cause: e })
  if (e instanceof ccxt.BadSymbol) return new BadPairError(msg, { cause: e })
  if (e instanceof ccxt.AuthenticationError) return new ExchangeAuthError(msg, { cause: e })
  if (e instanceof ccxt.OperationFailed) return new TemporaryError(msg, { cause: e })
  if (orderContext && (e instanceof ccxt.BadRequest || e instanceof ccxt.OperationRejected)) {
    return new InvalidOrderError(msg, { cause: e })
  }
  if (e instanceof ccxt.BaseError) return new ExchangeOperationError(msg, { cause: e })
  return e instanceof Error ? e : new ExchangeLayerError(msg)
}
