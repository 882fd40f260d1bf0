import { Frame } from '../frame/frame.ts'
import type {
  AdjustEntryPriceContext,
  AdjustTradePositionContext,
  BotLoopStartContext,
  ConfirmTradeEntryContext,
  ConfirmTradeExitContext,
  CustomEntryPriceContext,
  CustomExitContext,
  CustomExitPriceContext,
  CustomStakeAmountContext,
  CustomStoplossContext,
  OrderFilledContext,
  OrderTimeoutContext,
  PositionAdjustmentReply,
} from './callbacks.ts'

/** The pair a populate call works on and the timeframe of its candles. */
export interface PairMeta {
  pair: string
  timeframe: string
}

/** Minutes since entry → minimum profit ratio to exit, as freqtrade's `minimal_roi` (`{0: 0.04, 30: 0.02}`). */
export type RoiTable = Record<number, number>

export interface OrderTypes {
  entry: 'limit' | 'market'
  exit: 'limit' | 'market'
  emergency_exit?: 'limit' | 'market'
  force_exit?: 'limit' | 'market'
  force_entry?: 'limit' | 'market'
  stoploss: 'limit' | 'market'
  stoploss_on_exchange: boolean
  stoploss_on_exchange_interval: number
  stoploss_on_exchange_limit_ratio?: number
}

/** One plotted series in freqtrade's `plot_config`. */
export interface PlotSeries {
  color?: string
  type?: 'line' | 'bar' | 'scatter'
  fill_to?: string
  plotly?: Record<string, unknown>
}

/** freqtrade's `plot_config`: indicators on the candle chart and in named sub-charts (FreqUI reads it as is). */
export interface PlotConfig {
  main_plot?: Record<string, PlotSeries>
  subplots?: Record<string, Record<string, PlotSeries>>
}

/**
 * What a populate method returns: nothing (it changed the frame it was given) or a frame of the same length to go on
 * with. `void`, not `undefined`, so that methods written without a return statement type-check.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a method without a return statement is inferred as void
export type PopulateResult = Frame | void

/** One protection as the config's `protections` list holds it: the plugin's `method` and its keys. */
export type ProtectionSpec = { method: string } & Record<string, unknown>

/** `[pair, timeframe]` of extra candles a strategy reads during analysis. */
export type InformativePair = [pair: string, timeframe: string]

/** Key of an informative frame in the map handed to `analyze`: `'BTC/USDT|1h'`. */
export function informativeKey(pair: string, timeframe: string): string {
  return `${pair}|${timeframe}`
}

/**
 * The informative frames an analysis can read, by `informativeKey`: a Map of frames already loaded (live), or stored
 * candles read when the strategy first asks for them (backtests, see `StoredInformative`).
 */
export interface InformativeFrames {
  get(key: string): Frame | undefined
  /** The keys available without reading anything more (for error messages). */
  keys(): Iterable<string>
}

/** The informative frames of the analysis a strategy is running right now (populate* calls are synchronous). */
const activeInformative = new WeakMap<Strategy, InformativeFrames>()

/** Runs `fn` with `informative` visible to `strategy.informative()`; used by `analyze`. */
export function withInformative<T>(strategy: Strategy, informative: InformativeFrames, fn: () => T): T {
  activeInformative.set(strategy, informative)
  try {
    return fn()
  } finally {
    activeInformative.delete(strategy)
  }
}

/**
 * A trading strategy, freqtrade's IStrategy in camelCase. Subclasses set `timeframe` and `stoploss`, usually
 * `minimalRoi`, and fill the frame in the three populate methods: indicators, then `enter_long` (1 = enter, 0 or NaN
 * = no signal) with an optional `enter_tag` (see TagColumn), then `exit_long` and `exit_tag`. A populate method may
 * return a new frame of the same length (e.g. from `mergeInformative`) to stand for the one it was given.
 * Config keys of the same name override these values (`applyConfigOverrides`).
 *
 * Optional callbacks take one camelCase argument object (see `callbacks.ts`):
 * - `customStoploss`, `customExit`, `customStakeAmount`, `confirmTradeEntry`, `confirmTradeExit`, `botLoopStart`.
 * - `botStart()`: once per instance before its first analysis, in every thread that analyses (`startStrategy`).
 * - `customEntryPrice({ pair, trade?, nowMs, proposedRate, entryTag, side, df })` → the entry order's limit price
 *   (undefined = `proposedRate`). Live it is kept within `custom_price_max_distance_ratio` (default 0.02) of the
 *   proposed rate and rounded to the market's tick. In a backtest (limit entry orders only) it is rounded to the tick
 *   and capped at the candle's high; the order fills when a candle's low reaches it, else it stays open (holding its
 *   slot and stake) until `unfilledtimeout.entry` cancels it, leaving no trade.
 * - `customExitPrice({ pair, trade, nowMs, proposedRate, currentProfit, exitTag, df })` → the exit order's limit price
 *   (undefined = `proposedRate`). Live it is asked for every exit, with the same distance limit; in a backtest (limit
 *   exit orders) only for exit signals and custom exits, raised to the candle's low, and an order above the candle's
 *   high stays open until a candle reaches it or `unfilledtimeout.exit` cancels it (the trade then exits again on a
 *   later signal).
 * - `checkEntryTimeout({ pair, trade, order, nowMs, df })` / `checkExitTimeout(...)` → true to cancel the open entry /
 *   exit order now, as `unfilledtimeout` would (asked only while that timeout has not struck; live on every iteration,
 *   where `unfilledtimeout` defaults to 10 minutes, in a backtest on every candle). `order` is an `OrderView`: side,
 *   price, amount, filled, remaining, createdMs, status. A callback that throws keeps the order. A cancelled entry
 *   that filled nothing removes its trade; after a cancelled exit the trade stays open and exits again later.
 * - `adjustEntryPrice({ pair, trade, order, nowMs, proposedRate, currentOrderRate, entryTag, side, df })`: while an
 *   entry order rests unfilled (after the timeout check), on every later candle in a backtest and, live, on every
 *   iteration once a candle closed after the order was placed: `currentOrderRate` keeps the order, another price
 *   replaces it with an order of the same stake at that price (amount = stake / price cut to the step; the trade's
 *   amount, open rate and initial stop follow), and undefined / null / 0 cancels it, dropping the trade. A callback
 *   that throws keeps the order; live, a partly filled order is not asked. Counted in a backtest result as
 *   `canceled_entry_orders`, `replaced_entry_orders` and `canceled_trade_entries`.
 * - `orderFilled({ pair, trade, order, nowMs, df })`: after every order that finished with a fill (entry, exit, stop),
 *   live and in a backtest; nothing comes back, and a callback that throws is logged (`notifyOrderFilled`).
 * - `adjustTradePosition({ trade, currentRate, currentProfit, minStake, maxStake, ... })`: with
 *   `positionAdjustmentEnable`, adds to (positive stake) or sells part of (negative stake) an open trade; see
 *   `AdjustTradePositionContext` and `engine/rules/adjustPosition.ts`.
 */
export abstract class Strategy {
  abstract timeframe: string
  /** Stop distance below the entry price as a negative ratio, e.g. -0.10 for 10%. */
  abstract stoploss: number
  minimalRoi: RoiTable = {}
  trailingStop = false
  trailingStopPositive: number | undefined = undefined
  trailingStopPositiveOffset = 0
  trailingOnlyOffsetIsReached = false
  useExitSignal = true
  exitProfitOnly = false
  ignoreRoiIfEntrySignal = false
  /** Candles the indicators need before their first valid value; data loaders fetch this many extra. */
  startupCandleCount = 0
  /** Analyse a pair only when a new candle has arrived (live). */
  processOnlyNewCandles = true
  useCustomStoploss = false
  /**
   * Ask `customStoploss` (with `afterFill: true`) right after every fill that leaves a trade open, where it may also
   * lower the stop: freqtrade does so for a `custom_stoploss` whose signature has `after_fill`.
   */
  customStoplossAfterFill = false
  /** Whether `adjustTradePosition` is asked (freqtrade's `position_adjustment_enable`). */
  positionAdjustmentEnable = false
  /** Additions a trade may get after its first entry (−1: no limit). */
  maxEntryPositionAdjustment = -1
  orderTypes: OrderTypes = {
    entry: 'limit',
    exit: 'limit',
    stoploss: 'limit',
    stoploss_on_exchange: false,
    stoploss_on_exchange_interval: 60,
  }
  plotConfig: PlotConfig | undefined = undefined
  /**
   * freqtrade's strategy-level protections, in the config's shape (`[{ method: 'CooldownPeriod',
   * stop_duration_candles: 2 }]`): in force when the config's `protections` lists none (see `protectionsOf`).
   */
  declare protections?: readonly ProtectionSpec[]

  version?(): string

  /** Extra candles to fetch and hand to `analyze`; `whitelist` is the current pair list. */
  informativePairs(_whitelist: readonly string[] = []): InformativePair[] {
    return []
  }

  abstract populateIndicators(df: Frame, meta: PairMeta): PopulateResult
  abstract populateEntryTrend(df: Frame, meta: PairMeta): PopulateResult
  abstract populateExitTrend(df: Frame, meta: PairMeta): PopulateResult

  customStoploss?(ctx: CustomStoplossContext): number | undefined
  customExit?(ctx: CustomExitContext): string | boolean | undefined
  customStakeAmount?(ctx: CustomStakeAmountContext): number
  confirmTradeEntry?(ctx: ConfirmTradeEntryContext): boolean
  confirmTradeExit?(ctx: ConfirmTradeExitContext): boolean
  /** Once per strategy instance, before its first analysis (freqtrade's `bot_start`; see `startStrategy`). */
  botStart?(): void
  botLoopStart?(ctx: BotLoopStartContext): void
  customEntryPrice?(ctx: CustomEntryPriceContext): number | undefined
  customExitPrice?(ctx: CustomExitPriceContext): number | undefined
  checkEntryTimeout?(ctx: OrderTimeoutContext): boolean
  checkExitTimeout?(ctx: OrderTimeoutContext): boolean
  adjustEntryPrice?(ctx: AdjustEntryPriceContext): number | null | undefined
  orderFilled?(ctx: OrderFilledContext): void
  adjustTradePosition?(ctx: AdjustTradePositionContext): PositionAdjustmentReply

  /**
   * The candles of an informative pair (one listed by `informativePairs()`), during a populate call. The frame is a
   * fresh view: columns set on it stay with it, the caller's frame is not changed.
   */
  protected informative(pair: string, timeframe: string): Frame {
    const frames = activeInformative.get(this)
    if (frames === undefined) {
      throw new Error(`${this.constructor.name}: informative(${pair}, ${timeframe}) is only available during analysis`)
    }
    const key = informativeKey(pair, timeframe)
    const src = frames.get(key)
    if (src === undefined) {
      const have = [...frames.keys()].join(', ') || 'none'
      throw new Error(
        `${this.constructor.name}: no informative candles for ${key} (given: ${have}); list it in informativePairs()`,
      )
    }
    const view = new Frame(src.length)
    for (const name of src.columns()) view.set(name, src.col(name))
    return view
  }
}
