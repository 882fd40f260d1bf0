import Tinypool from 'tinypool'
import { NoDataError } from '../data/errors.ts'
import { frameBuffers } from '../frame/columns.ts'
import type { Frame } from '../frame/frame.ts'
import { getLogger } from '../util/logger.ts'
import { AnalysisError } from './analyze.ts'
import {
  type AnalysisResult,
  type AnalysisTask,
  type Analyzer,
  logAnalysisFailure,
  type StoredAnalysisResult,
  type StoredAnalysisTask,
} from './analyzer.ts'
import type { StrategySettings } from './settings.ts'
import type { InformativeFrames } from './strategy.ts'
import { packFrame, unpackFrame } from './transfer.ts'
import type { FrameTask, PoolWorkerData, StoredTask, StrategySpec, WorkerReply, WorkerTask } from './worker.ts'

export interface PoolAnalyzerOptions extends StrategySpec {
  /** Worker threads, fixed for the pool's life. */
  workers: number
  /** The strategy's effective settings, as loaded on the calling thread (gives the timeframe of every task). */
  settings: StrategySettings
  /** A task running longer is cut off: its worker is terminated and replaced (default 120 s). */
  taskTimeoutMs?: number
}

/** A task in flight, found by its slot when the worker running it dies. */
interface InFlight {
  pair: string
  kill(problem: string): void
}

const WORKER_FILE = new URL('./worker.ts', import.meta.url).href

/** Released buffers kept for the workers at most, and sent with one task at most. */
const MAX_SPARE_BYTES = 256 * 2 ** 20
const SPARES_PER_TASK = 16

/**
 * Analysis on a fixed set of long-lived worker threads (tinypool). Under Bun, workers that are created and ended often
 * leak and can crash the process, so the pool never shrinks or grows (minThreads = maxThreads, no idle timeout, no
 * isolation) and a worker is only replaced when it must be: it died, or ran a task past the timeout.
 *
 * At most one task per worker is in flight, so a task's timeout measures its own run time and a dead worker maps to
 * exactly one task: each task gets a slot in a shared Int32Array where the worker writes its thread id on pick-up.
 * tinypool notices a worker that throws an uncaught error, but not one that exits quietly (`process.exit` in a
 * strategy): the pool watches every worker's `exit` event and aborts the task of that slot, which makes tinypool
 * remove the dead worker and start a new one.
 */
export class PoolAnalyzer implements Analyzer {
  readonly strategyName: string
  readonly settings: StrategySettings
  readonly size: number
  /** Workers replaced after a crash, an exit or a timeout (for logs and tests). */
  replacedWorkers = 0
  /** Columns the workers made from released buffers instead of new memory (for tests and logs). */
  reusedColumns = 0

  private readonly pool: Tinypool
  private readonly spec: StrategySpec
  private readonly taskTimeoutMs: number
  private readonly slots: Int32Array
  private readonly freeSlots: number[]
  private readonly waiting: (() => void)[] = []
  private readonly inFlight = new Map<number, InFlight>()
  private readonly watched = new WeakSet<object>()
  /** Buffers of released frames, sent along with the next tasks for their workers to reuse. */
  private spares: { buffer: ArrayBuffer; bytes: number }[] = []
  private spareBytes = 0
  private destroyed = false

  constructor(opts: PoolAnalyzerOptions) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) {
      throw new RangeError(`the analysis pool needs at least 1 worker, got ${opts.workers}`)
    }
    this.strategyName = opts.strategy
    this.settings = opts.settings
    this.size = opts.workers
    this.taskTimeoutMs = opts.taskTimeoutMs ?? 120_000
    this.spec = {
      strategy: opts.strategy,
      strategyPath: opts.strategyPath,
      userDataDir: opts.userDataDir,
      overrides: opts.overrides,
    }
    const shared = new SharedArrayBuffer(opts.workers * Int32Array.BYTES_PER_ELEMENT)
    this.slots = new Int32Array(shared)
    this.freeSlots = Array.from({ length: opts.workers }, (_, i) => i)
    const workerData: PoolWorkerData = { ...this.spec, slots: shared }
    this.pool = new Tinypool({
      filename: WORKER_FILE,
      minThreads: opts.workers,
      maxThreads: opts.workers,
      isolateWorkers: false,
      workerData,
    })
    // tinypool re-emits the crash of an idle worker on the pool; unheard, that event would end the process.
    this.pool.on('error', (err: Error) => {
      if (this.destroyed) return
      this.replacedWorkers++
      getLogger('tern.strategy').warn(`an idle analysis worker crashed and was replaced: ${err?.message ?? err}`)
    })
    this.watchWorkers()
  }

  /** Live workers right now (the pool keeps `size` of them). */
  get workerCount(): number {
    return this.pool.threads.length
  }

  async analyzeMany(tasks: readonly AnalysisTask[]): Promise<AnalysisResult[]> {
    if (this.destroyed) throw new Error('the analysis pool has been destroyed')
    return Promise.all(
      tasks.map(
        (task) =>
          this.runOne(task.pair, (slot) => {
            const frame = packFrame(task.frame)
            const message: FrameTask = {
              ...this.taskBase(slot, task.pair),
              frame,
              // Informative frames are often shared by many pairs, so they are copied, not moved.
              informative: informativeEntries(task.informative).map(([key, f]) => [key, packFrame(f)]),
            }
            return { message, transfer: [...frame.buffers, ...message.spares] }
          }) as Promise<AnalysisResult>,
      ),
    )
  }

  async analyzeStored(tasks: readonly StoredAnalysisTask[]): Promise<StoredAnalysisResult[]> {
    if (this.destroyed) throw new Error('the analysis pool has been destroyed')
    return Promise.all(
      tasks.map((task) => {
        const pair = task.load.pair
        return this.runOne(
          pair,
          (slot) => {
            // the stored task as it is: what to read, what to return, where informative candles come from
            const message = { ...this.taskBase(slot, pair), ...task } satisfies StoredTask
            return { message, transfer: message.spares }
          },
          (reply) =>
            reply.load === 'missing'
              ? new NoDataError(pair, task.load.timeframe, task.load.datadir)
              : new Error(reply.problem),
        )
      }),
    )
  }

  private taskBase(slot: number, pair: string) {
    return { ...this.spec, slot, pair, timeframe: this.settings.timeframe, spares: this.takeSpares() }
  }

  release(frames: readonly Frame[]): void {
    for (const buffer of frameBuffers(frames)) {
      if (this.spareBytes + buffer.byteLength > MAX_SPARE_BYTES) break
      this.spares.push({ buffer, bytes: buffer.byteLength })
      this.spareBytes += buffer.byteLength
    }
  }

  /** Spare buffers for one task: about what one pair's analysis makes. */
  private takeSpares(): ArrayBuffer[] {
    const taken = this.spares.length <= SPARES_PER_TASK ? this.spares : this.spares.splice(-SPARES_PER_TASK)
    if (taken === this.spares) this.spares = []
    for (const s of taken) this.spareBytes -= s.bytes
    // a buffer moved away since it was released could not be sent (and would fail the task)
    return taken.filter((s) => !s.buffer.detached).map((s) => s.buffer)
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    for (const wake of this.waiting.splice(0)) wake()
    // Tasks still running are rejected by tinypool as it terminates their workers; aborting them here instead would
    // make tinypool start replacement workers only to end them again.
    await this.pool.destroy()
  }

  /**
   * Runs the task `build` makes for a free slot. A reply that could not read a stored pair's candles becomes
   * `loadError` (only stored tasks give one).
   */
  private async runOne(
    pair: string,
    build: (slot: number) => { message: WorkerTask; transfer: ArrayBuffer[] },
    loadError?: (reply: { problem: string; load?: 'missing' | 'unreadable' }) => Error,
  ): Promise<StoredAnalysisResult> {
    const slot = await this.acquireSlot()
    const fail = (problem: string, cause?: unknown): AnalysisResult => {
      const error = new AnalysisError(this.strategyName, pair, problem, { cause })
      logAnalysisFailure(error)
      return { pair, error }
    }
    if (slot === undefined) return fail('the analysis pool was shut down')

    const controller = new AbortController()
    let killedFor: string | undefined
    const kill = (problem: string) => {
      if (killedFor !== undefined) return
      killedFor = problem
      controller.abort()
    }
    const timer = setTimeout(
      () => kill(`analysis took longer than ${this.taskTimeoutMs} ms; its worker was terminated and replaced`),
      this.taskTimeoutMs,
    )
    this.inFlight.set(slot, { pair, kill })
    this.watchWorkers()
    let dispatched = false
    try {
      const { message, transfer } = build(slot)
      dispatched = true
      const reply = (await this.pool.run(message, {
        transferList: transfer as never,
        signal: controller.signal,
      })) as WorkerReply
      this.reusedColumns += reply.reusedColumns ?? 0
      if (!reply.ok) {
        if (reply.load && loadError) return { pair, loadError: loadError(reply) }
        return fail(reply.problem)
      }
      const result: StoredAnalysisResult = { pair, frame: unpackFrame(reply.frame) }
      if (reply.fill) result.fill = reply.fill
      if (reply.narrow) result.narrow = reply.narrow
      if (reply.dates) result.dates = reply.dates
      return result
    } catch (err) {
      if (this.destroyed) return fail('the analysis pool was shut down', err)
      if (!dispatched) return fail(`cannot send the task to a worker: ${(err as Error)?.message ?? err}`, err)
      this.replacedWorkers++
      if (killedFor !== undefined) return fail(killedFor, err)
      // tinypool rejects the task of a worker that threw an uncaught error, then replaces that worker.
      return fail(`its worker crashed: ${(err as Error)?.message ?? err}; the worker was replaced`, err)
    } finally {
      clearTimeout(timer)
      this.inFlight.delete(slot)
      this.releaseSlot(slot)
      this.watchWorkers()
    }
  }

  private acquireSlot(): Promise<number | undefined> {
    const free = this.freeSlots.pop()
    if (free !== undefined) {
      Atomics.store(this.slots, free, 0)
      return Promise.resolve(free)
    }
    return new Promise((resolve) => {
      this.waiting.push(() => {
        if (this.destroyed) return resolve(undefined)
        const slot = this.freeSlots.pop() as number
        Atomics.store(this.slots, slot, 0)
        resolve(slot)
      })
    })
  }

  private releaseSlot(slot: number): void {
    this.freeSlots.push(slot)
    this.waiting.shift()?.()
  }

  /** Subscribes to the exit of every worker not yet watched (new ones appear after a replacement). */
  private watchWorkers(): void {
    for (const worker of this.pool.threads) {
      if (this.watched.has(worker)) continue
      this.watched.add(worker)
      const threadId = worker.threadId
      worker.on('exit', (code: number) => this.onWorkerExit(threadId, code))
    }
  }

  private onWorkerExit(threadId: number, code: number): void {
    if (this.destroyed) return
    for (const [slot, task] of this.inFlight) {
      if (Atomics.load(this.slots, slot) !== threadId) continue
      getLogger('tern.strategy').warn(`analysis worker ${threadId} exited (code ${code}) while analyzing ${task.pair}`)
      task.kill(`its worker exited (code ${code}) during the analysis; the worker was replaced`)
    }
  }
}

/** The frames of an informative source that are there already, as [key, frame] pairs. */
function informativeEntries(frames: InformativeFrames | undefined): [string, Frame][] {
  const out: [string, Frame][] = []
  for (const key of frames?.keys() ?? []) {
    const f = frames?.get(key)
    if (f !== undefined) out.push([key, f])
  }
  return out
}
