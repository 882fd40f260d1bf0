import type { Config } from '../config/schema.ts'
import { AdaptiveAnalyzer } from './adaptiveAnalyzer.ts'
import { type Analyzer, InProcessAnalyzer } from './analyzer.ts'
import { loadStrategy, strategySearchOf } from './loader.ts'
import { PoolAnalyzer } from './pool.ts'
import type { StrategyOverrides } from './settings.ts'

export interface CreateAnalyzerOptions {
  /** Strategy class name. */
  strategy: string
  strategyPath?: string
  /** The user data folder, whose `strategies/` is searched too (`strategySearchOf`). */
  userDataDir?: string
  /** Config values that override the strategy's (any Config will do). */
  overrides?: StrategyOverrides
  /** Worker threads; 0 analyzes on the calling thread. Default: one per CPU. */
  workers?: number
  /** Per-task time limit in the pool (default 120 s). */
  taskTimeoutMs?: number
}

/**
 * Loads the strategy (on this thread too: a broken strategy fails here, not in every worker) and returns an
 * InProcessAnalyzer for `workers: 0`, else a PoolAnalyzer of that many workers.
 */
export async function createAnalyzer(opts: CreateAnalyzerOptions): Promise<Analyzer> {
  const overrides = opts.overrides ?? {}
  const search = { strategyPath: opts.strategyPath, userDataDir: opts.userDataDir }
  const local = new InProcessAnalyzer(await loadStrategy(opts.strategy, search), overrides)
  const workers = opts.workers ?? navigator.hardwareConcurrency
  if (workers === 0) return local
  return new PoolAnalyzer({
    strategy: opts.strategy,
    ...search,
    overrides: pickOverrides(overrides),
    workers,
    settings: local.settings,
    taskTimeoutMs: opts.taskTimeoutMs,
  })
}

/**
 * The bot's analyzer from its config (`strategy`, `strategy_path`, `analysis_workers`): in process for
 * `analysis_workers: 0`, else in process for short frames and on a pool of that many workers for long ones.
 */
export async function createAnalyzerFromConfig(
  config: Config,
  opts: { taskTimeoutMs?: number } = {},
): Promise<Analyzer> {
  if (!config.strategy) throw new Error("no strategy configured: set 'strategy' in the config or pass --strategy")
  const strategy = config.strategy
  const local = new InProcessAnalyzer(await loadStrategy(strategy, strategySearchOf(config)), config)
  const workers = config.analysis_workers ?? navigator.hardwareConcurrency
  if (workers === 0) return local
  // the bot's frames are usually too short for the pool to pay off: it starts when they are not
  return new AdaptiveAnalyzer(
    local,
    () =>
      new PoolAnalyzer({
        strategy,
        ...strategySearchOf(config),
        overrides: pickOverrides(config),
        workers,
        settings: local.settings,
        taskTimeoutMs: opts.taskTimeoutMs,
      }),
  )
}

/** Only the override keys travel to workers (a whole config may hold secrets and need not be cloned per worker). */
function pickOverrides(c: StrategyOverrides): StrategyOverrides {
  return {
    timeframe: c.timeframe,
    minimal_roi: c.minimal_roi,
    stoploss: c.stoploss,
    trailing_stop: c.trailing_stop,
    trailing_stop_positive: c.trailing_stop_positive,
    trailing_stop_positive_offset: c.trailing_stop_positive_offset,
    trailing_only_offset_is_reached: c.trailing_only_offset_is_reached,
    use_exit_signal: c.use_exit_signal,
    exit_profit_only: c.exit_profit_only,
    ignore_roi_if_entry_signal: c.ignore_roi_if_entry_signal,
    use_custom_stoploss: c.use_custom_stoploss,
    order_types: c.order_types,
  }
}
