/**
 * The data plugins read, as minimal shapes: the exchange layer's markets and tickers satisfy them, and tests build
 * them by hand.
 */
import type { OhlcvColumns } from '../frame/ohlcv.ts'

/** One market's rules (a subset of ccxt's market structure). */
export interface MarketInfo {
  symbol: string
  base: string
  quote: string
  active: boolean
  /** Tick/step sizes (precision mode `tick_size`, e.g. binance) or decimal places (`decimal_places`). */
  precision: { amount?: number; price?: number }
  limits: {
    amount: { min?: number; max?: number }
    cost?: { min?: number; max?: number }
    price?: { min?: number; max?: number }
  }
}

/** One 24h ticker (ccxt field names). */
export interface TickerInfo {
  symbol: string
  last?: number
  bid?: number
  ask?: number
  high?: number
  low?: number
  baseVolume?: number
  quoteVolume?: number
  /** 24h change in percent. */
  percentage?: number
}

export type PrecisionMode = 'tick_size' | 'decimal_places'

/** A closed trade as protections and the PerformanceFilter see it. */
export interface ClosedTradeInfo {
  pair: string
  openDateMs: number
  closeDateMs: number
  /** Profit of the whole trade as a ratio of the stake (freqtrade's `close_profit`). */
  profitRatio: number
  profitAbs: number
  exitReason: string
  isShort: boolean
}

/** Per-pair summary of closed trades, as freqtrade's `get_overall_performance`. */
export interface PairPerformance {
  pair: string
  /** Sum of the per-trade profit ratios. */
  profitRatio: number
  profitAbs: number
  count: number
}

export type TradeSide = 'long' | 'short'
export type LockSide = TradeSide | '*'

/** A lock a protection asks for; `pair` is `*` for a global lock. The caller stores it (pair-lock table). */
export interface ProtectionLock {
  pair: string
  untilMs: number
  reason: string
  side: LockSide
}

/** Candles per pair: closed candles with `date >= sinceMs`, oldest first. */
export type CandleSource = (pairs: string[], timeframe: string, sinceMs: number) => Promise<Map<string, OhlcvColumns>>
