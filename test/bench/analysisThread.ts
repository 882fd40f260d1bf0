// Worker of analysis.bench.ts's ceiling: analyses its own pairs in process, with memory reused between rounds, and
// exchanges no frames with anyone. Messages: 'prep' copies the candles for the next round (not timed); 'run' times
// the analysis of that copy and answers the milliseconds.
import { parentPort, workerData } from 'node:worker_threads'
import { type AnalysisResult, type AnalysisTask, createAnalyzer } from '../../src/strategy/index.ts'
import { cloneFrame, makeCandles } from '../unit/strategy/candles.ts'

const { pairs, candles: n, firstSeed } = workerData as { pairs: number; candles: number; firstSeed: number }
const candles = Array.from({ length: pairs }, (_, i) => makeCandles({ n, seed: firstSeed + i }))
const analyzer = await createAnalyzer({ strategy: 'EmaCross', workers: 0 })
const tasks = (): AnalysisTask[] => candles.map((c, i) => ({ pair: `P${firstSeed + i}/USDT`, frame: cloneFrame(c) }))
const framesOf = (results: AnalysisResult[]) => results.flatMap((x) => (x.error ? [] : [x.frame]))
let next: AnalysisTask[] = []

const port = parentPort as NonNullable<typeof parentPort>
port.on('message', async (message: string) => {
  if (message === 'prep') {
    next = tasks()
    port.postMessage('ready')
    return
  }
  const t0 = Bun.nanoseconds()
  const results = await analyzer.analyzeMany(next)
  const ms = (Bun.nanoseconds() - t0) / 1e6
  analyzer.release(framesOf(results))
  port.postMessage(ms)
})
port.postMessage('ready')
