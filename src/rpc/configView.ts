import type { ShowConfig } from '../api/schemas/info.ts'
import type { Config } from '../config/schema.ts'
import { timeframeToMs } from '../util/dates.ts'
import type { BotView } from './rpc.ts'

export type Runmode = 'live' | 'dry_run' | 'webserver'

/** Display decimals for a stake currency, as freqtrade picks them. */
export function stakeCurrencyDecimals(currency: string): number {
  if (currency === 'BTC') return 8
  if (currency === 'ETH') return 5
  return 3
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v)

/** `/show_config`: the public part of the configuration, in the contract's shape. Holds no secret by construction. */
export function configView(config: Config, runmode: Runmode, version: string, bot: BotView | undefined): ShowConfig {
  const timeframe = bot?.timeframe ?? config.timeframe
  const timeframeMs = timeframe ? timeframeToMs(timeframe) : 0
  const ot = config.order_types
  const ut = config.unfilledtimeout
  return {
    version,
    strategy_version: orNull(bot?.strategyVersion),
    api_version: 2.4,
    dry_run: config.dry_run,
    trading_mode: config.trading_mode,
    short_allowed: config.trading_mode !== 'spot',
    stake_currency: config.stake_currency,
    stake_amount: String(config.stake_amount),
    available_capital: orNull(config.available_capital),
    stake_currency_decimals: stakeCurrencyDecimals(config.stake_currency),
    max_open_trades: bot ? bot.maxOpenTrades : config.max_open_trades,
    minimal_roi: config.minimal_roi ?? {},
    stoploss: orNull(config.stoploss),
    stoploss_on_exchange: ot.stoploss_on_exchange ?? false,
    trailing_stop: orNull(config.trailing_stop),
    trailing_stop_positive: orNull(config.trailing_stop_positive),
    trailing_stop_positive_offset: orNull(config.trailing_stop_positive_offset),
    trailing_only_offset_is_reached: orNull(config.trailing_only_offset_is_reached),
    unfilledtimeout: {
      entry: orNull(ut.entry),
      exit: orNull(ut.exit),
      unit: orNull(ut.unit),
      exit_timeout_count: orNull(ut.exit_timeout_count),
    },
    order_types: {
      entry: ot.entry ?? 'limit',
      exit: ot.exit ?? 'limit',
      emergency_exit: orNull(ot.emergency_exit),
      force_exit: orNull(ot.force_exit),
      force_entry: orNull(ot.force_entry),
      stoploss: ot.stoploss ?? 'market',
      stoploss_on_exchange: ot.stoploss_on_exchange ?? false,
      stoploss_on_exchange_interval: orNull(ot.stoploss_on_exchange_interval),
    },
    use_custom_stoploss: orNull(config.use_custom_stoploss),
    timeframe: orNull(timeframe),
    timeframe_ms: timeframeMs,
    timeframe_min: Math.floor(timeframeMs / 60_000),
    exchange: config.exchange.name,
    strategy: runmode === 'webserver' ? null : orNull(bot?.strategyName ?? config.strategy),
    force_entry_enable: config.force_entry_enable,
    exit_pricing: config.exit_pricing,
    entry_pricing: config.entry_pricing,
    bot_name: config.bot_name,
    state: runmode === 'webserver' ? '' : (bot?.state ?? 'stopped'),
    runmode,
    position_adjustment_enable: bot?.positionAdjustment?.enabled ?? config.position_adjustment_enable ?? false,
    max_entry_position_adjustment: bot?.positionAdjustment?.maxEntries ?? config.max_entry_position_adjustment ?? -1,
  }
}
