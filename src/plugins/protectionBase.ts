/**
 * What every protection shares, as freqtrade's IProtection: `stop_duration[_candles]` (default 60 minutes) and
 * `lookback_period[_candles]` (default 60 minutes), and a lock that ends the stop duration after the latest close.
 */
import { Type } from '@sinclair/typebox'
import { timeframeToMs } from '../util/dates.ts'
import type { ProtectionEnv } from './define.ts'
import { plural } from './helpers.ts'
import type { ClosedTradeInfo } from './inputs.ts'

export const STOP_DURATION_KEYS = {
  stop_duration: Type.Optional(
    Type.Number({ minimum: 0, description: 'Stop duration', help: 'Lock duration in minutes (default 60).' }),
  ),
  stop_duration_candles: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Stop duration in candles', help: 'Lock duration in candles.' }),
  ),
}

export const LOOKBACK_KEYS = {
  lookback_period: Type.Optional(
    Type.Number({ minimum: 0, description: 'Lookback period', help: 'Trades closed within this many minutes count.' }),
  ),
  lookback_period_candles: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Lookback period in candles', help: 'Lookback period in candles.' }),
  ),
}

interface TimingConfig {
  stop_duration?: number
  stop_duration_candles?: number
  lookback_period?: number
  lookback_period_candles?: number
}

/** Rejects a block that gives a duration both in minutes and in candles. */
export function checkTiming(cfg: TimingConfig): string | undefined {
  if (cfg.stop_duration !== undefined && cfg.stop_duration_candles !== undefined) {
    return "give either 'stop_duration' or 'stop_duration_candles', not both"
  }
  if (cfg.lookback_period !== undefined && cfg.lookback_period_candles !== undefined) {
    return "give either 'lookback_period' or 'lookback_period_candles', not both"
  }
  return undefined
}

export interface Timing {
  stopMs: number
  lookbackMs: number
  /** `5 candles` or `60 minutes`. */
  stopDurationStr: string
  lookbackStr: string
  /** Latest close date of the trades plus the stop duration. */
  lockEnd(trades: ClosedTradeInfo[]): number
}

export function protectionTiming(cfg: TimingConfig, env: ProtectionEnv, name: string): Timing {
  const usesCandles = cfg.stop_duration_candles !== undefined || cfg.lookback_period_candles !== undefined
  if (usesCandles && !env.timeframe) throw new Error(`${name}: the *_candles keys need the strategy's timeframe`)
  const candleMinutes = env.timeframe ? timeframeToMs(env.timeframe) / 60_000 : 0
  const stopMinutes =
    cfg.stop_duration_candles !== undefined ? cfg.stop_duration_candles * candleMinutes : (cfg.stop_duration ?? 60)
  const lookbackMinutes =
    cfg.lookback_period_candles !== undefined
      ? cfg.lookback_period_candles * candleMinutes
      : (cfg.lookback_period ?? 60)
  const stopMs = stopMinutes * 60_000
  const str = (candles: number | undefined, minutes: number) =>
    candles !== undefined ? `${candles} ${plural(candles, 'candle')}` : `${minutes} ${plural(minutes, 'minute')}`
  return {
    stopMs,
    lookbackMs: lookbackMinutes * 60_000,
    stopDurationStr: str(cfg.stop_duration_candles, stopMinutes),
    lookbackStr: str(cfg.lookback_period_candles, lookbackMinutes),
    lockEnd: (trades) => trades.reduce((m, t) => Math.max(m, t.closeDateMs), Number.NEGATIVE_INFINITY) + stopMs,
  }
}

/** freqtrade's exit reasons that count as a stoploss. */
export const STOPLOSS_EXIT_REASONS = new Set(['stop_loss', 'trailing_stop_loss', 'stoploss_on_exchange', 'liquidation'])
