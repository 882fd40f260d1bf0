import { allocOhlcv, type OhlcvColumns } from '../frame/ohlcv.ts'
import { aggregateOhlcv, type CandleSource, candleStart, sliceByTime } from './candles.ts'

/**
 * Replays given candles (e.g. loaded from stored candle files) per pair. Timeframes that are whole multiples of the
 * data's timeframe are aggregated from it; finer ones cannot be made up and are refused.
 */
export class ReplayCandleSource implements CandleSource {
  readonly baseTimeframeMs: number

  /**
   * @param data candles per unified pair (`ETH/BTC`), sorted by date, all of the same timeframe
   * @param baseTimeframeMs that timeframe; found from the data's smallest date step when omitted
   */
  constructor(
    private readonly data: Record<string, OhlcvColumns>,
    baseTimeframeMs?: number,
  ) {
    this.baseTimeframeMs = baseTimeframeMs ?? inferTimeframe(data)
  }

  pairs(): string[] {
    return Object.keys(this.data)
  }

  candles(pair: string, timeframeMs: number, startMs: number, endMs: number): OhlcvColumns {
    const rows = this.data[pair]
    if (!rows || endMs <= startMs) return allocOhlcv(0)
    if (timeframeMs === this.baseTimeframeMs) return sliceByTime(rows, startMs, endMs)
    if (timeframeMs < this.baseTimeframeMs || timeframeMs % this.baseTimeframeMs !== 0) {
      throw new Error(
        `replayed candles of ${this.baseTimeframeMs / 60_000}m cannot make ${timeframeMs / 60_000}m candles: ` +
          'the timeframe must be a whole multiple of the data timeframe',
      )
    }
    const from = candleStart(startMs, timeframeMs)
    return sliceByTime(aggregateOhlcv(sliceByTime(rows, from, endMs + timeframeMs), timeframeMs), startMs, endMs)
  }
}

function inferTimeframe(data: Record<string, OhlcvColumns>): number {
  let best = Number.POSITIVE_INFINITY
  for (const rows of Object.values(data)) {
    for (let i = 1; i < rows.date.length; i++) {
      const d = rows.date[i]! - rows.date[i - 1]!
      if (d > 0 && d < best) best = d
    }
  }
  if (!Number.isFinite(best))
    throw new Error('replay data needs at least two candles of one pair to tell its timeframe')
  return best
}
