import type { Exchange } from '../../exchange/exchange.ts'
import { Frame } from '../../frame/frame.ts'
import { mapOhlcv, type OhlcvColumns } from '../../frame/ohlcv.ts'
import type { AnalyzedFrame, AnalyzedFrameSource } from '../../rpc/candles.ts'
import type { AnalysisTask, Analyzer } from '../../strategy/analyzer.ts'
import type { Strategy } from '../../strategy/strategy.ts'
import { informativeKey } from '../../strategy/strategy.ts'
import type { Clock } from '../../util/clock.ts'
import type { Bot, IterationStep } from '../bot.ts'
import type { Trader } from '../trader.ts'
import type { RefreshCandlesStep } from './refreshCandles.ts'

/** A copy of cached candles: analysis works in place and a worker pool takes the buffers. */
function frameOf(c: OhlcvColumns): Frame {
  return Frame.fromOhlcv(mapOhlcv(c, (a) => a.slice()))
}

/**
 * Runs the strategy over the pairs whose newest closed candle changed since their last analysis (every pair when the
 * strategy sets `processOnlyNewCandles = false`), and hands the frames to the trader and to `/pair_candles`.
 */
export class AnalyzeStep implements IterationStep, AnalyzedFrameSource {
  readonly name = 'analyse candles'
  readonly critical = true
  private readonly results = new Map<string, AnalyzedFrame>()

  constructor(
    private readonly refresh: RefreshCandlesStep,
    private readonly analyzer: Analyzer,
    private readonly strategy: Strategy,
    private readonly exchange: Exchange,
    private readonly trader: Trader,
    private readonly clock: Clock,
  ) {}

  analyzed(pair: string, timeframe: string): AnalyzedFrame | undefined {
    return timeframe === this.refresh.timeframe ? this.results.get(pair) : undefined
  }

  async run(bot: Bot): Promise<void> {
    const onlyNew = this.analyzer.settings.processOnlyNewCandles
    const tasks: AnalysisTask[] = []
    let informative: Map<string, Frame> | undefined
    const wanted = this.strategy.informativePairs(bot.whitelist)
    if (wanted.length > 0) {
      informative = new Map()
      for (const [pair, tf] of wanted) {
        const got = await this.exchange.refreshOhlcv([pair], tf)
        const c = got.get(pair)
        if (c) informative.set(informativeKey(pair, tf), frameOf(c))
      }
    }
    for (const [pair, candles] of this.refresh.latest) {
      const n = candles.date.length
      if (n === 0) continue
      const prev = this.results.get(pair)
      if (onlyNew && prev && prev.frame.col('date')[prev.frame.length - 1] === candles.date[n - 1]) continue
      tasks.push({ pair, frame: frameOf(candles), informative })
    }
    if (tasks.length > 0) {
      const now = this.clock.now()
      for (const r of await this.analyzer.analyzeMany(tasks)) {
        if (r.error) continue
        this.results.set(r.pair, { frame: r.frame, lastAnalyzedMs: now })
      }
    }
    for (const [pair, a] of this.results) this.trader.frames.set(pair, a.frame)
  }
}
