// Strategy analysis throughput: the EmaCross sample over 100 pairs x 50,000 candles, in process and on the worker
// pool, in candles/s, and the pool's speed-up. Run: bun run test/bench/analysis.bench.ts [workers]
import type { Frame } from '../../src/frame/frame.ts'
import { type AnalysisResult, type AnalysisTask, type Analyzer, createAnalyzer } from '../../src/strategy/index.ts'
import { cloneFrame, makeCandles } from '../unit/strategy/candles.ts'

const PAIRS = 100
const CANDLES = 50_000
const ROUNDS = 3
const WORKERS = Number(process.argv[2] ?? 2)

const candles: Frame[] = Array.from({ length: PAIRS }, (_, i) => makeCandles({ n: CANDLES, seed: i + 1 }))
const tasks = (): AnalysisTask[] => candles.map((c, i) => ({ pair: `P${i}/USDT`, frame: cloneFrame(c) }))

/**
 * Best of ROUNDS, after one warm-up round (JIT, worker start-up and strategy loading are not measured). With
 * `collect`, a full garbage collection runs before each timed round (not timed): every round then starts from the
 * same heap instead of possibly paying for collecting the previous rounds' ~480 MB of frames. With `release`, each
 * round's results are handed back to the analyzer (`Analyzer.release`, as the bot does with the frames it replaces),
 * so the next round's columns are written into their buffers instead of new memory.
 */
async function measure(analyzer: Analyzer, collect = false, release = false): Promise<number> {
  const framesOf = (results: AnalysisResult[]) => results.flatMap((x) => (x.error ? [] : [x.frame]))
  const first = await analyzer.analyzeMany(tasks())
  if (release) analyzer.release(framesOf(first))
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < ROUNDS; r++) {
    if (collect) Bun.gc(true)
    const batch = tasks() // copying the candles is not part of the analysis
    const t0 = Bun.nanoseconds()
    const results = await analyzer.analyzeMany(batch)
    const seconds = (Bun.nanoseconds() - t0) / 1e9
    const failed = results.find((x) => x.error)
    if (failed?.error) throw failed.error
    // as a caller replacing its frames would: the next round writes into these buffers
    if (release) analyzer.release(framesOf(results))
    best = Math.min(best, seconds)
  }
  return best
}

const total = PAIRS * CANDLES
const line = (label: string, seconds: number) =>
  `${label.padEnd(22)} ${(total / seconds / 1e6).toFixed(1).padStart(7)} M candles/s  (${PAIRS} x ${CANDLES} in ${seconds.toFixed(3)} s)`

const local = await createAnalyzer({ strategy: 'EmaCross', workers: 0 })
const localSeconds = await measure(local)
console.log(line('in-process', localSeconds))
const localCollected = await measure(local, true)
console.log(line('in-process, collected', localCollected))
const localReleased = await measure(local, false, true)
console.log(line('in-process, released', localReleased))

const pool = await createAnalyzer({ strategy: 'EmaCross', workers: WORKERS })
const poolSeconds = await measure(pool)
console.log(line(`pool (${WORKERS} workers)`, poolSeconds))
const poolCollected = await measure(pool, true)
console.log(line(`pool, collected`, poolCollected))
const poolReleased = await measure(pool, false, true)
console.log(line(`pool, released`, poolReleased))
await pool.destroy()

for (const [label, l, p] of [
  ['', localSeconds, poolSeconds],
  [' (collected before each round)', localCollected, poolCollected],
  [' (results released to the analyzer)', localReleased, poolReleased],
] as const) {
  console.log(
    `speed-up ${(l / p).toFixed(2)}x on ${WORKERS} workers${label} (target >= ${(0.8 * WORKERS).toFixed(1)}x; ` +
      `${navigator.hardwareConcurrency} CPUs)`,
  )
}

// Frames of the sizes a live bot analyses: where the pool stops paying off (POOL_MIN_CANDLES_PER_PAIR).
for (const n of [1_000, 20_000]) {
  const short = Array.from({ length: PAIRS }, (_, i) => makeCandles({ n, seed: i + 1 }))
  const shortTasks = () => short.map((c, i) => ({ pair: `P${i}/USDT`, frame: cloneFrame(c) }))
  const ms: string[] = []
  for (const workers of [0, WORKERS]) {
    const a = await createAnalyzer({ strategy: 'EmaCross', workers })
    await a.analyzeMany(shortTasks())
    let best = Number.POSITIVE_INFINITY
    for (let r = 0; r < 5; r++) {
      const batch = shortTasks()
      const t0 = Bun.nanoseconds()
      await a.analyzeMany(batch)
      best = Math.min(best, (Bun.nanoseconds() - t0) / 1e6)
    }
    await a.destroy()
    ms.push(`${workers === 0 ? 'in process' : `pool of ${workers}`} ${best.toFixed(1)} ms`)
  }
  console.log(`${PAIRS} pairs x ${n} candles: ${ms.join(', ')}`)
}

// What the machine allows for this work: the in-process analysis with memory reused (as `released` above) on one
// thread with all the pairs, then on WORKERS threads at once with a share each, exchanging no frames. A pool cannot
// beat this ratio: it is the same work without any messaging, so it is the ceiling of the released speed-up.
async function threadsMs(threads: number): Promise<number> {
  const per = Math.ceil(PAIRS / threads)
  const workers = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const w = new Worker(new URL('./analysisThread.ts', import.meta.url).href, {
        workerData: { pairs: Math.min(per, PAIRS - t * per), candles: CANDLES, firstSeed: t * per + 1 },
      } as WorkerOptions)
      return new Promise<Worker>((resolve) => {
        w.onmessage = () => resolve(w)
      })
    }),
  )
  const ask = (w: Worker, message: string) =>
    new Promise<number>((resolve) => {
      w.onmessage = (e) => resolve(e.data)
      w.postMessage(message)
    })
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < ROUNDS + 2; r++) {
    await Promise.all(workers.map((w) => ask(w, 'prep'))) // copying the candles is not timed
    const t0 = Bun.nanoseconds()
    await Promise.all(workers.map((w) => ask(w, 'run')))
    if (r >= 2) best = Math.min(best, (Bun.nanoseconds() - t0) / 1e6) // two warm-up rounds: JIT, first writes
  }
  for (const w of workers) w.terminate()
  return best
}
const oneThreadMs = await threadsMs(1)
const manyThreadsMs = await threadsMs(WORKERS)
console.log(
  `ceiling: released analysis on 1 thread ${oneThreadMs.toFixed(1)} ms, on ${WORKERS} threads at once with ` +
    `${PAIRS / WORKERS} pairs each ${manyThreadsMs.toFixed(1)} ms: ${(oneThreadMs / manyThreadsMs).toFixed(2)}x ` +
    `(the released speed-up with no messaging at all)`,
)

// What the machine allows: the same scalar loop on 1 and on WORKERS threads at once. Ideal scaling is WORKERS x.
const LOOP = `self.onmessage = () => { const t0 = performance.now(); let x = 0
  for (let i = 0; i < 1e8; i++) x = (x * 1.0000001 + 1) % 1e9
  self.postMessage(performance.now() - t0 + (x < 0 ? 1 : 0)) }`
async function loopMs(threads: number): Promise<number> {
  const url = URL.createObjectURL(new Blob([LOOP]))
  const workers = Array.from({ length: threads }, () => new Worker(url))
  const ms = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve) => {
          w.onmessage = (e) => resolve(e.data)
          w.postMessage(0)
        }),
    ),
  )
  for (const w of workers) w.terminate()
  return Math.max(...ms)
}
const one = await loopMs(1)
const many = await loopMs(WORKERS)
console.log(
  `thread scaling of this machine: ${((WORKERS * one) / many).toFixed(2)}x on ${WORKERS} threads (pure compute)`,
)

// What new memory costs here: an analysis writes new columns (six per pair for EmaCross), and the first write to
// newly allocated pages is far slower than rewriting memory already touched.
const COLUMNS = 600
const columnsFilled = (arrays: Float64Array[]) => {
  const t0 = Bun.nanoseconds()
  for (const a of arrays) a.fill(1)
  return (Bun.nanoseconds() - t0) / 1e6
}
const fresh = Array.from({ length: COLUMNS }, () => new Float64Array(CANDLES))
const freshMs = columnsFilled(fresh)
const reusedMs = columnsFilled(fresh)
console.log(
  `memory: first fill of ${COLUMNS} new ${CANDLES}-value columns ${freshMs.toFixed(0)} ms, ` +
    `refilling the same ${reusedMs.toFixed(0)} ms (${(freshMs / reusedMs).toFixed(1)}x)`,
)
