// Worker-thread entry of the analysis pool (tinypool loads this file in every worker and calls the default export).
import { threadId } from 'node:worker_threads'
import Tinypool from 'tinypool'
import { NoDataError } from '../data/errors.ts'
import { type FillCounts, type LoadedPair, type LoadPairHistoryOptions, loadPairCandles } from '../data/readPair.ts'
import { columnSpares, recycleColumns } from '../frame/columns.ts'
import { Frame } from '../frame/frame.ts'
import { AnalysisError, analyze } from './analyze.ts'
import { loadReadyStrategy } from './readyStrategy.ts'
import type { StrategyOverrides } from './settings.ts'
import { type DateSpan, type KeptColumns, keptColumns, type NarrowColumns, narrowBuffers } from './storedColumns.ts'
import { type InformativeSource, storedInformative } from './storedInformative.ts'
import type { Strategy } from './strategy.ts'
import { type PackedFrame, packFrame, unpackFrame } from './transfer.ts'

/** Which strategy a pool runs; given to every worker as workerData and repeated in each task. */
export interface StrategySpec {
  strategy: string
  strategyPath?: string
  userDataDir?: string
  overrides: StrategyOverrides
}

export interface PoolWorkerData extends StrategySpec {
  /** One Int32 per in-flight task: the id of the thread that picked the task up (0 until then). */
  slots: SharedArrayBuffer
}

interface TaskBase extends StrategySpec {
  slot: number
  pair: string
  timeframe: string
  /** Buffers of frames the caller released, moved here for new columns to reuse. */
  spares: ArrayBuffer[]
}

/** Candles sent along (moved) with the informative frames. */
export interface FrameTask extends TaskBase {
  frame: PackedFrame
  informative: [key: string, frame: PackedFrame][]
}

/** Candles the worker reads itself; only the `keep` columns (default all) go back. */
export interface StoredTask extends TaskBase, KeptColumns {
  load: LoadPairHistoryOptions
  informative?: InformativeSource
}

export type WorkerTask = FrameTask | StoredTask

/** `load` says why a stored pair's candles could not be read: no file, or a file that cannot be read. */
export type WorkerReply = (
  | { ok: true; frame: PackedFrame; fill?: FillCounts; narrow?: NarrowColumns; dates?: DateSpan }
  | { ok: false; problem: string; load?: 'missing' | 'unreadable' }
) & {
  /** Columns of this task made from spare buffers. */
  reusedColumns?: number
}

// A strategy is loaded once per worker and reused for every pair (as in-process).
const strategies = new Map<string, Promise<Strategy>>()

function strategyFor(spec: StrategySpec): Promise<Strategy> {
  const key = JSON.stringify([spec.strategy, spec.strategyPath ?? '', spec.userDataDir ?? '', spec.overrides])
  let s = strategies.get(key)
  if (s === undefined) {
    const search = { strategyPath: spec.strategyPath, userDataDir: spec.userDataDir }
    s = loadReadyStrategy(spec.strategy, search, spec.overrides).then((ready) => ready.strategy)
    strategies.set(key, s)
  }
  return s
}

const data = Tinypool.workerData as PoolWorkerData | undefined
const slots = data ? new Int32Array(data.slots) : undefined
// Load the pool's strategy while the worker starts, so the first task does not pay for it. Failures surface per task.
if (data) strategyFor(data).catch(() => {})

export default async function analyzeInWorker(task: WorkerTask): Promise<unknown> {
  if (slots) Atomics.store(slots, task.slot, threadId)
  recycleColumns(task.spares)
  const reusedBefore = columnSpares().reused
  let reply: WorkerReply
  try {
    const strategy = await strategyFor(task)
    const meta = { pair: task.pair, timeframe: task.timeframe }
    if ('load' in task) {
      let loaded: LoadedPair
      try {
        loaded = await loadPairCandles(task.load)
      } catch (err) {
        return {
          ok: false,
          problem: (err as Error).message,
          load: err instanceof NoDataError ? 'missing' : 'unreadable',
        }
      }
      const informative = task.informative ? storedInformative(task.informative) : undefined
      const df = analyze(strategy, Frame.fromOhlcv(loaded.candles), meta, informative)
      const fill = { before: loaded.before, added: loaded.added }
      const kept = keptColumns(df, task, informative?.buffers)
      reply = { ok: true, frame: packFrame(kept.frame), fill, narrow: kept.narrow, dates: kept.dates }
    } else {
      const informative = new Map(task.informative.map(([key, p]) => [key, unpackFrame(p)]))
      reply = { ok: true, frame: packFrame(analyze(strategy, unpackFrame(task.frame), meta, informative)) }
    }
  } catch (err) {
    const problem =
      err instanceof AnalysisError ? err.problem : `cannot run strategy: ${(err as Error)?.message ?? err}`
    reply = { ok: false, problem }
  }
  reply.reusedColumns = columnSpares().reused - reusedBefore
  if (!reply.ok) return reply
  // Columns go back by transfer, not by copy.
  const moved = [...reply.frame.buffers, ...narrowBuffers(reply.narrow)]
  return Tinypool.move({ [Tinypool.transferableSymbol]: moved, [Tinypool.valueSymbol]: reply } as never)
}
