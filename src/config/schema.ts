import { type Static, Type as T } from '@sinclair/typebox'

/**
 * The configuration file, in freqtrade's key names. Defaults are filled by `Value.Default`, so every
 * optional block the engine reads has a complete shape after loading. Unknown keys are allowed
 * (freqtrade configs carry many keys that Tern does not use yet) and reported as warnings.
 */

const Timeframe = T.String({ pattern: '^[1-9][0-9]*[smhdwM]$', description: 'candle length, e.g. 5m, 1h, 1d' })
const PositiveNumber = T.Number({ exclusiveMinimum: 0 })
const OrderType = T.Union([T.Literal('limit'), T.Literal('market')])
const PriceSide = T.Union([T.Literal('ask'), T.Literal('bid'), T.Literal('same'), T.Literal('other')])
const PluginBlock = T.Object({ method: T.String({ minLength: 1 }) }, { additionalProperties: true })

export const Pricing = T.Object(
  {
    price_side: T.Optional({ ...PriceSide, default: 'same' }),
    use_order_book: T.Optional(T.Boolean({ default: true })),
    order_book_top: T.Optional(T.Integer({ minimum: 1, maximum: 50, default: 1 })),
    price_last_balance: T.Optional(T.Number({ minimum: 0, maximum: 1, default: 0 })),
    check_depth_of_market: T.Optional(
      T.Object(
        {
          enabled: T.Optional(T.Boolean({ default: false })),
          bids_to_ask_delta: T.Optional(T.Number({ minimum: 0, default: 1 })),
        },
        { default: {} },
      ),
    ),
  },
  { default: {} },
)

export const SimSettings = T.Object(
  {
    seed: T.Optional(T.Integer({ default: 42, description: 'seed of the synthetic price generator' })),
    speed: T.Optional(
      T.Number({ exclusiveMinimum: 0, default: 1, description: 'clock factor: 60 = a 5m candle every 5 s' }),
    ),
    start: T.Optional(T.String({ description: 'clock start, ISO date; default: now' })),
    balances: T.Optional(T.Record(T.String(), T.Number({ minimum: 0 }))),
    port: T.Optional(T.Integer({ minimum: 0, maximum: 65535, default: 0 })),
  },
  { default: {} },
)

export const ExchangeConfig = T.Object(
  {
    name: T.String({
      minLength: 1,
      default: 'sim',
      description: "ccxt exchange id, or 'sim' for the simulated exchange",
    }),
    key: T.Optional(T.String({ default: '' })),
    secret: T.Optional(T.String({ default: '' })),
    password: T.Optional(T.String({ default: '' })),
    ccxt_config: T.Optional(T.Record(T.String(), T.Unknown(), { default: {} })),
    ccxt_async_config: T.Optional(T.Record(T.String(), T.Unknown(), { default: {} })),
    pair_whitelist: T.Optional(T.Array(T.String({ minLength: 1 }), { default: [] })),
    pair_blacklist: T.Optional(T.Array(T.String({ minLength: 1 }), { default: [] })),
    markets_refresh_interval: T.Optional(T.Integer({ minimum: 0, default: 60 })),
    sim: T.Optional(SimSettings),
  },
  { additionalProperties: true, default: {} },
)

export const ApiServerConfig = T.Object(
  {
    enabled: T.Optional(T.Boolean({ default: false })),
    listen_ip_address: T.Optional(T.String({ minLength: 1, default: '127.0.0.1' })),
    listen_port: T.Optional(T.Integer({ minimum: 0, maximum: 65535, default: 8080 })),
    username: T.Optional(T.String({ default: '' })),
    password: T.Optional(T.String({ default: '' })),
    jwt_secret_key: T.Optional(T.String({ default: 'super-secret' })),
    ws_token: T.Optional(T.Union([T.String(), T.Array(T.String())])),
    CORS_origins: T.Optional(T.Array(T.String(), { default: [] })),
    verbosity: T.Optional(T.Union([T.Literal('error'), T.Literal('info')], { default: 'error' })),
    enable_openapi: T.Optional(T.Boolean({ default: true })),
  },
  { additionalProperties: true, default: {} },
)

export const ConfigSchema = T.Object(
  {
    max_open_trades: T.Optional(T.Integer({ minimum: -1, default: 3, description: '-1 for unlimited' })),
    stake_currency: T.Optional(T.String({ minLength: 1, default: 'USDT' })),
    stake_amount: T.Optional(T.Union([PositiveNumber, T.Literal('unlimited')], { default: 'unlimited' })),
    tradable_balance_ratio: T.Optional(T.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.99 })),
    available_capital: T.Optional(PositiveNumber),
    fiat_display_currency: T.Optional(T.String()),
    dry_run: T.Optional(T.Boolean({ default: true })),
    dry_run_wallet: T.Optional(T.Number({ minimum: 0, default: 1000 })),
    trading_mode: T.Optional(
      T.Union([T.Literal('spot'), T.Literal('margin'), T.Literal('futures')], { default: 'spot' }),
    ),
    margin_mode: T.Optional(T.String()),
    timeframe: T.Optional(Timeframe),
    minimal_roi: T.Optional(T.Record(T.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), T.Number())),
    stoploss: T.Optional(T.Number({ minimum: -1, maximum: 0 })),
    trailing_stop: T.Optional(T.Boolean()),
    trailing_stop_positive: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    trailing_stop_positive_offset: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    trailing_only_offset_is_reached: T.Optional(T.Boolean()),
    use_exit_signal: T.Optional(T.Boolean()),
    exit_profit_only: T.Optional(T.Boolean()),
    ignore_roi_if_entry_signal: T.Optional(T.Boolean()),
    use_custom_stoploss: T.Optional(T.Boolean()),
    /** How far (ratio) a strategy's custom entry or exit price may be from the pricing rate (freqtrade's 0.02). */
    custom_price_max_distance_ratio: T.Optional(T.Number({ minimum: 0, default: 0.02 })),
    /** Left out: the strategy's `positionAdjustmentEnable` / `maxEntryPositionAdjustment` stand. */
    position_adjustment_enable: T.Optional(T.Boolean()),
    max_entry_position_adjustment: T.Optional(T.Integer({ minimum: -1 })),
    unfilledtimeout: T.Optional(
      T.Object(
        {
          entry: T.Optional(T.Integer({ minimum: 1, default: 10 })),
          exit: T.Optional(T.Integer({ minimum: 1, default: 10 })),
          unit: T.Optional(T.Union([T.Literal('minutes'), T.Literal('seconds')], { default: 'minutes' })),
          exit_timeout_count: T.Optional(T.Integer({ minimum: 0, default: 0 })),
        },
        { default: {} },
      ),
    ),
    entry_pricing: T.Optional(Pricing),
    exit_pricing: T.Optional(Pricing),
    order_types: T.Optional(
      T.Object(
        {
          entry: T.Optional({ ...OrderType, default: 'limit' }),
          exit: T.Optional({ ...OrderType, default: 'limit' }),
          emergency_exit: T.Optional({ ...OrderType, default: 'market' }),
          force_exit: T.Optional(OrderType),
          force_entry: T.Optional(OrderType),
          stoploss: T.Optional({ ...OrderType, default: 'market' }),
          stoploss_on_exchange: T.Optional(T.Boolean({ default: false })),
          stoploss_on_exchange_interval: T.Optional(T.Integer({ minimum: 1, default: 60 })),
          /** Limit price of the stop-limit order as a fraction of its stop price (freqtrade's default 0.99). */
          stoploss_on_exchange_limit_ratio: T.Optional(T.Number({ exclusiveMinimum: 0, maximum: 1 })),
        },
        { default: {} },
      ),
    ),
    exchange: T.Optional(ExchangeConfig),
    pairlists: T.Optional(T.Array(PluginBlock, { default: [{ method: 'StaticPairList' }] })),
    protections: T.Optional(T.Array(PluginBlock, { default: [] })),
    enable_protections: T.Optional(T.Boolean({ default: false })),
    /** freqtrade's `backtest_cache`: how old a stored identical backtest may be to be reused (default `day`). */
    backtest_cache: T.Optional(
      T.Union([T.Literal('none'), T.Literal('day'), T.Literal('week'), T.Literal('month')], { default: 'day' }),
    ),
    notifiers: T.Optional(T.Array(T.Object({}, { additionalProperties: true }), { default: [] })),
    plugin_paths: T.Optional(T.Array(T.String(), { default: [] })),
    api_server: T.Optional(ApiServerConfig),
    bot_name: T.Optional(T.String({ default: 'tern' })),
    initial_state: T.Optional(
      T.Union([T.Literal('running'), T.Literal('paused'), T.Literal('stopped')], { default: 'stopped' }),
    ),
    force_entry_enable: T.Optional(T.Boolean({ default: false })),
    internals: T.Optional(
      T.Object(
        {
          process_throttle_secs: T.Optional(T.Number({ exclusiveMinimum: 0, default: 5 })),
          heartbeat_interval: T.Optional(T.Number({ minimum: 0, default: 60 })),
        },
        { additionalProperties: true, default: {} },
      ),
    ),
    strategy: T.Optional(T.String({ minLength: 1 })),
    strategy_path: T.Optional(T.String()),
    analysis_workers: T.Optional(T.Integer({ minimum: 0, description: 'worker threads for analysis; 0 = in-process' })),
    candle_cache: T.Optional(
      T.Boolean({
        default: true,
        description:
          'backtests and /pair_history keep decoded candles in <user_data_dir>/cache/candles and map them later',
      }),
    ),
    db_url: T.Optional(T.String()),
    user_data_dir: T.Optional(T.String({ minLength: 1, default: 'user_data' })),
    datadir: T.Optional(T.String()),
    dataformat_ohlcv: T.Optional(T.Union([T.Literal('feather'), T.Literal('json'), T.Literal('jsongz')])),
  },
  { additionalProperties: true },
)

export type ConfigInput = Static<typeof ConfigSchema>

/** Marks the keys that defaults always fill, so the rest of the code does not re-check them. */
type Filled<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> }

type Exchange = Filled<
  Static<typeof ExchangeConfig>,
  'key' | 'secret' | 'password' | 'ccxt_config' | 'pair_whitelist' | 'pair_blacklist' | 'markets_refresh_interval'
>
type ApiServer = Filled<
  Static<typeof ApiServerConfig>,
  | 'enabled'
  | 'listen_ip_address'
  | 'listen_port'
  | 'username'
  | 'password'
  | 'jwt_secret_key'
  | 'CORS_origins'
  | 'verbosity'
  | 'enable_openapi'
>

/** The configuration after defaults: what the rest of the program reads. */
export type Config = Omit<
  Filled<
    ConfigInput,
    | 'max_open_trades'
    | 'stake_currency'
    | 'stake_amount'
    | 'tradable_balance_ratio'
    | 'dry_run'
    | 'dry_run_wallet'
    | 'trading_mode'
    | 'position_adjustment_enable'
    | 'max_entry_position_adjustment'
    | 'unfilledtimeout'
    | 'entry_pricing'
    | 'exit_pricing'
    | 'order_types'
    | 'pairlists'
    | 'protections'
    | 'enable_protections'
    | 'notifiers'
    | 'plugin_paths'
    | 'bot_name'
    | 'initial_state'
    | 'force_entry_enable'
    | 'internals'
    | 'user_data_dir'
  >,
  'exchange' | 'api_server'
> & { exchange: Exchange; api_server: ApiServer }
