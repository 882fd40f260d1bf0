import { enoughWork } from '../data/work.ts'
import type { Frame } from '../frame/frame.ts'
import type {
  AnalysisResult,
  AnalysisTask,
  Analyzer,
  InProcessAnalyzer,
  StoredAnalysisResult,
  StoredAnalysisTask,
} from './analyzer.ts'
import type { PoolAnalyzer } from './pool.ts'
import type { StrategySettings } from './settings.ts'

/**
 * Candles per pair from which the worker pool beats analysis in process. Moving a frame to a worker and back costs
 * about 0.3 ms per pair (two cross-thread wake-ups) while EmaCross analyses some 30 M candles/s on one core. On the
 * 2-core machine (`bun run bench analysis`, 100 pairs): 1,000 candles took 3.5–7 ms in process and 12–21 ms on 2
 * workers; at 20,000 candles either could win (34 vs 50 ms, 63 vs 43 ms); at 50,000 the pool was 1.4–2.3× faster.
 */
export const POOL_MIN_CANDLES_PER_PAIR = 20_000

/**
 * The bot's analyzer when `analysis_workers` > 0: pairs are analysed on this thread while their frames are short (a
 * live bot's usual few hundred to few thousand candles), and on the worker pool, started on first need, once a call's
 * frames average `minCandlesPerPair` or more. Results are the same either way (the pool's are bit for bit those of
 * in-process analysis).
 */
export class AdaptiveAnalyzer implements Analyzer {
  readonly strategyName: string
  readonly settings: StrategySettings
  private pool: PoolAnalyzer | undefined

  constructor(
    private readonly local: InProcessAnalyzer,
    private readonly startPool: () => PoolAnalyzer,
    private readonly minCandlesPerPair = POOL_MIN_CANDLES_PER_PAIR,
  ) {
    this.strategyName = local.strategyName
    this.settings = local.settings
  }

  /** The pool, once a call was big enough to start it. */
  get startedPool(): PoolAnalyzer | undefined {
    return this.pool
  }

  analyzeMany(tasks: readonly AnalysisTask[]): Promise<AnalysisResult[]> {
    let candles = 0
    for (const t of tasks) candles += t.frame.length
    const big = tasks.length > 1 && candles >= this.minCandlesPerPair * tasks.length
    return big ? this.workers().analyzeMany(tasks) : this.local.analyzeMany(tasks)
  }

  /** Stored pairs go to the pool when their files are worth starting workers for (the backtester's rule). */
  analyzeStored(tasks: readonly StoredAnalysisTask[]): Promise<StoredAnalysisResult[]> {
    const big =
      tasks.length > 1 &&
      enoughWork(
        tasks[0].load,
        tasks.map((t) => t.load.pair),
      )
    return big ? this.workers().analyzeStored(tasks) : this.local.analyzeStored(tasks)
  }

  /** Released buffers serve the analyses on this thread, where most of them run. */
  release(frames: readonly Frame[]): void {
    this.local.release(frames)
  }

  async destroy(): Promise<void> {
    await this.pool?.destroy()
  }

  private workers(): PoolAnalyzer {
    this.pool ??= this.startPool()
    return this.pool
  }
}
