import type { FillCounts, LoadedPair, LoadPairHistoryOptions } from '../data/readPair.ts'
import { loadPairCandles } from '../data/readPair.ts'
import { frameBuffers, recycleColumns } from '../frame/columns.ts'
import { Frame } from '../frame/frame.ts'
import { getLogger } from '../util/logger.ts'
import { AnalysisError, analyze } from './analyze.ts'
import { startStrategy } from './botStart.ts'
import { applyConfigOverrides, type StrategyOverrides, type StrategySettings } from './settings.ts'
import { type DateSpan, type KeptColumns, keptColumns, type NarrowColumns } from './storedColumns.ts'
import { type InformativeSource, storedInformative } from './storedInformative.ts'
import type { InformativeFrames, Strategy } from './strategy.ts'

/** One pair's candles to analyze, with the informative frames its strategy asked for (keyed by informativeKey). */
export interface AnalysisTask {
  pair: string
  /** Consumed: analysis works on it in place, and a pool moves its buffers to a worker. Use the result's frame. */
  frame: Frame
  /** A Map of frames (a pool copies its frames to the worker), or frames read on demand (in process only). */
  informative?: InformativeFrames
}

export type AnalysisResult = { pair: string; frame: Frame; error?: undefined } | { pair: string; error: AnalysisError }

/**
 * One pair to read from the data directory and analyze where the analysis runs (a pool worker reads its own file,
 * so reading spreads over the workers too). `keep` names the columns to return (default all) and `dropEmpty` those of
 * them returned only when set: the rest are dropped where they were made, their memory reused for the next pair there.
 */
export interface StoredAnalysisTask extends KeptColumns {
  load: LoadPairHistoryOptions
  /** Where informative candles the strategy asks for are read from (none without it). */
  informative?: InformativeSource
}

/**
 * A stored pair's analysis with how many candles filling gaps added (for the log line), or why its candles could not
 * be read (`NoDataError` when there is no file).
 */
export type StoredAnalysisResult =
  | (AnalysisResult & { fill?: FillCounts; narrow?: NarrowColumns; dates?: DateSpan })
  | { pair: string; loadError: Error }

/** Runs one strategy over many pairs; results come back in the order of the tasks, one per task. */
export interface Analyzer {
  readonly strategyName: string
  /** The strategy's effective settings (config overrides applied). */
  readonly settings: StrategySettings
  /** A pair whose analysis fails yields `{pair, error}` (and an error log line); the other pairs go on. */
  analyzeMany(tasks: readonly AnalysisTask[]): Promise<AnalysisResult[]>
  /** Reads each pair's candles and analyzes them, in the order of the tasks. */
  analyzeStored(tasks: readonly StoredAnalysisTask[]): Promise<StoredAnalysisResult[]>
  /**
   * Hands back frames the caller is done with (earlier results it replaced): later analyses write their new columns
   * into these frames' buffers instead of new memory. The frames, and every array taken from them, must not be read
   * afterwards (with a worker pool their buffers move to the workers).
   */
  release(frames: readonly Frame[]): void
  /** Frees workers; the analyzer is unusable afterwards. */
  destroy(): Promise<void>
}

const log = () => getLogger('tern.strategy')

/** Logs a failed pair once, in the same words for every analyzer. */
export function logAnalysisFailure(err: AnalysisError): void {
  log().error({ pair: err.pair, strategy: err.strategy }, err.message)
}

/** Analysis on the calling thread (config `analysis_workers: 0`). */
export class InProcessAnalyzer implements Analyzer {
  readonly strategyName: string
  readonly settings: StrategySettings

  constructor(
    private readonly strategy: Strategy,
    overrides: StrategyOverrides = {},
  ) {
    this.strategyName = strategy.constructor.name
    this.settings = applyConfigOverrides(strategy, overrides)
    startStrategy(strategy)
  }

  /** One pair, synchronously; throws AnalysisError. */
  analyzeOne(task: AnalysisTask): Frame {
    return analyze(this.strategy, task.frame, { pair: task.pair, timeframe: this.settings.timeframe }, task.informative)
  }

  async analyzeMany(tasks: readonly AnalysisTask[]): Promise<AnalysisResult[]> {
    return tasks.map((task) => {
      try {
        return { pair: task.pair, frame: this.analyzeOne(task) }
      } catch (err) {
        const error =
          err instanceof AnalysisError
            ? err
            : new AnalysisError(this.strategyName, task.pair, (err as Error)?.message ?? String(err), { cause: err })
        logAnalysisFailure(error)
        return { pair: task.pair, error }
      }
    })
  }

  async analyzeStored(tasks: readonly StoredAnalysisTask[]): Promise<StoredAnalysisResult[]> {
    const out: StoredAnalysisResult[] = []
    for (const task of tasks) {
      const pair = task.load.pair
      let loaded: LoadedPair
      try {
        loaded = await loadPairCandles(task.load)
      } catch (err) {
        out.push({ pair, loadError: err as Error })
        continue
      }
      const informative = task.informative ? storedInformative(task.informative) : undefined
      const [result] = await this.analyzeMany([{ pair, frame: Frame.fromOhlcv(loaded.candles), informative }])
      if (!result) continue
      if (result.error !== undefined) out.push(result)
      else {
        const fill = { before: loaded.before, added: loaded.added }
        const { frame, narrow, dates } = keptColumns(result.frame, task, informative?.buffers)
        const stored: StoredAnalysisResult = { pair, frame, fill }
        if (narrow) stored.narrow = narrow
        if (dates) stored.dates = dates
        out.push(stored)
      }
    }
    return out
  }

  release(frames: readonly Frame[]): void {
    recycleColumns(frameBuffers(frames))
  }

  async destroy(): Promise<void> {}
}
