/**
 * The commands and cached prices the trading engine offers the RPC layer (beyond `BotView`). The engine
 * implements these; the RPC layer never reaches into the engine's internals. Trades and orders themselves are read
 * from the database (the engine writes every change in the same step), so reads need none of this.
 */

export interface ForceEnterRequest {
  pair: string
  side: 'long' | 'short'
  /** Limit price; undefined = the entry price per `entry_pricing`. */
  price?: number
  ordertype?: 'limit' | 'market'
  /** Stake in stake currency; undefined = normal stake sizing. */
  stakeAmount?: number
  /** Stored as the trade's enter_tag; default `force_entry`. */
  entryTag?: string
}

export interface ForceExitRequest {
  ordertype?: 'limit' | 'market'
  /** Partial exit in base currency; undefined = the whole position. */
  amount?: number
}

/**
 * Commands on trades. Each throws an `EngineRefusal` carrying the contract's message when it refuses (the API
 * answers 502 with it); any other error is a failure of the engine.
 */
export interface TradeCommands {
  /** §8.8 checks 2–8 (the API checks force_entry_enable first). Resolves with the trade id once the entry order is placed. */
  forceEnter(req: ForceEnterRequest): Promise<number>
  /** §8.9: one trade by id, or every open trade. */
  forceExit(tradeId: number | 'all', req: ForceExitRequest): Promise<void>
  /** §8.4: cancels open orders (failures ignored), deletes the trade and its orders; resolves with the cancelled count. */
  deleteTrade(tradeId: number): Promise<number>
  /** §8.5: cancels the trade's open non-stoploss orders as a user cancellation. */
  cancelOpenOrders(tradeId: number): Promise<void>
  /** §8.6: re-fetches the trade's orders from the exchange and recomputes it. */
  reloadTrade(tradeId: number): Promise<void>
}

/** Prices from the engine's cached tickers/order books: no network call per request. */
export interface MarketPrices {
  /** The current exit-side rate for a long on `pair` per `exit_pricing`, undefined when unknown. */
  exitRate(pair: string): number | undefined
}

/** A refusal with the contract's message (e.g. `trader is not running`, `invalid argument`). */
export class EngineRefusal extends Error {
  override name = 'EngineRefusal'
}
