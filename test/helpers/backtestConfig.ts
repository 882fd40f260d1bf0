import { Value } from '@sinclair/typebox/value'
import { type Config, ConfigSchema } from '../../src/config/schema.ts'

/**
 * A backtest config over a test's own data folder: 1000 USDT, a stake of 100, the simulator's markets; `extra`
 * overrides or adds keys.
 */
export function backtestConfig(datadir: string, pairs: string[], extra: Record<string, unknown>): Config {
  return Value.Default(ConfigSchema, {
    stake_currency: 'USDT',
    stake_amount: 100,
    dry_run_wallet: 1000,
    max_open_trades: 2,
    datadir,
    user_data_dir: datadir,
    exchange: { name: 'sim', pair_whitelist: pairs },
    ...extra,
  }) as Config
}
