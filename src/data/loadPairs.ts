import { availableParallelism } from 'node:os'
import type { OhlcvColumns } from '../frame/ohlcv.ts'
import { timeframeToMs } from '../util/dates.ts'
import { logFillup } from './history.ts'
import { columnsToOhlcv, type LoadJob, type LoadReply, messageToError, ownedColumns } from './loadProtocol.ts'
import { type LoadedPair, type LoadPairHistoryOptions, loadPairCandles } from './readPair.ts'
import { parseTimerange } from './timerange.ts'
import { enoughWork } from './work.ts'

export interface LoadPairsHistoryOptions extends Omit<LoadPairHistoryOptions, 'pair'> {
  pairs: readonly string[]
  /**
   * Worker threads besides the calling thread, which loads pairs too. Default: one less than the available
   * cores, at most 3; none for fewer than 4 pairs or less than ~64 MB of feather files (~4 MB of json), where
   * starting a worker costs more than it saves. 0 loads every pair in this thread.
   */
  workers?: number
  /**
   * Whether the calling thread loads pairs too (default true). false hands every pair to the workers (at
   * least one), which keeps this thread's event loop free, e.g. in a server.
   */
  loadHere?: boolean
}

/** One pair's candles, or the error its load threw (`NoDataError` when it has no file). */
export type PairHistory =
  | { pair: string; candles: OhlcvColumns; error?: undefined }
  | { pair: string; error: Error; candles?: undefined }

/** Jobs a worker holds at once, so that it does not wait for this thread between pairs. */
const IN_FLIGHT = 2
const MIN_PAIRS_FOR_WORKERS = 4

/** One less than the cores (this thread is the other), at most 3. */
const spareCores = (): number => Math.max(0, Math.min(3, availableParallelism() - 1))

/** Workers by default: `spareCores`, and none for little work. */
function defaultWorkers(opts: Omit<LoadPairHistoryOptions, 'pair'>, pairs: readonly string[]): number {
  const cores = spareCores()
  if (cores === 0 || pairs.length < MIN_PAIRS_FOR_WORKERS || !enoughWork(opts, pairs)) return 0
  return cores
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Candles of many pairs, as `loadPairHistory` gives each (the same arrays, bit for bit), in the order of
 * `pairs`. The calling thread and a few worker threads take pairs from one queue; workers send columns back
 * by transfer. Every column owns its whole ArrayBuffer (ready to hand to a Frame or to transfer on). Workers
 * live for this call only and are terminated before it returns. A pair whose load fails gets its error in
 * the result; a bad timeframe or timerange string, or a worker that dies, rejects the whole call.
 */
export async function loadPairsHistory(opts: LoadPairsHistoryOptions): Promise<PairHistory[]> {
  const { pairs, workers: asked, loadHere = true, ...common } = opts
  timeframeToMs(common.timeframe) // a bad timeframe fails once, before any work
  const timerange = typeof common.timerange === 'string' ? parseTimerange(common.timerange) : common.timerange
  const jobOpts = (i: number): LoadPairHistoryOptions => ({ ...common, timerange, pair: pairs[i] })
  const n = pairs.length
  if (n === 0) return []
  const loaded = new Array<LoadedPair | Error | undefined>(n)
  let next = 0
  let done = 0
  let settle: (() => void) | undefined
  let fail: ((err: Error) => void) | undefined
  const allDone = new Promise<void>((resolve, reject) => {
    settle = resolve
    fail = reject
  })
  allDone.catch(() => {}) // awaited below; this only keeps an early failure from counting as unhandled
  const finish = (i: number, result: LoadedPair | Error) => {
    loaded[i] = result
    if (++done === n) settle?.()
  }

  const threads = loadHere
    ? Math.max(0, Math.min(asked ?? defaultWorkers(common, pairs), n - 1))
    : Math.max(1, Math.min(asked ?? spareCores(), n))
  const workers: Worker[] = []
  try {
    for (let w = 0; w < threads; w++) {
      const worker = new Worker(new URL('./loadWorker.ts', import.meta.url))
      workers.push(worker)
      const give = () => {
        if (next >= n) return
        const job = next++
        worker.postMessage({ job, opts: jobOpts(job) } satisfies LoadJob)
      }
      worker.onmessage = (event: MessageEvent<LoadReply | 'ready'>) => {
        const reply = event.data
        // Work starts once the worker is up; until then this thread takes the pairs.
        if (reply === 'ready') for (let k = 0; k < IN_FLIGHT; k++) give()
        else {
          if (reply.error) finish(reply.job, messageToError(reply.error))
          else finish(reply.job, { candles: columnsToOhlcv(reply.columns), before: reply.before, added: reply.added })
          give()
        }
      }
      worker.onerror = (event: ErrorEvent) => fail?.(new Error(`candle loader worker failed: ${event.message}`))
    }
    while (loadHere && next < n) {
      const i = next++
      try {
        const { candles, before, added } = await loadPairCandles(jobOpts(i))
        finish(i, { candles: columnsToOhlcv(ownedColumns(candles)), before, added })
      } catch (err) {
        finish(i, err instanceof Error ? err : new Error(String(err)))
      }
      if (threads > 0) await nextTurn() // let worker replies in, and hand out their next jobs
    }
    await allDone
  } finally {
    for (const worker of workers) worker.terminate()
  }
  return pairs.map((pair, i) => {
    const result = loaded[i] as LoadedPair | Error
    if (result instanceof Error) return { pair, error: result }
    logFillup(pair, common.timeframe, result)
    return { pair, candles: result.candles }
  })
}
