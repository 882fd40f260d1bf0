import type { DateSpan } from '../strategy/index.ts'

/**
 * Candle dates of many pairs as views of one array: a backtest's pairs mostly cover the same span on the same
 * timeframe, so their date columns are the same numbers. A span outside the array makes a wider one (views given out
 * earlier keep the old array). Views of one array serve many pairs: never write them, nor hand frames holding them to
 * `Analyzer.release` (their buffer would be reused under the other pairs).
 */
export class DateGrid {
  private dates = new Float64Array(0)
  private startMs = 0
  private stepMs = 0

  /** The `count` dates from `startMs`, `stepMs` apart (a view: not to be written). */
  view(span: DateSpan): Float64Array {
    const { startMs, count, stepMs } = span
    const end = startMs + count * stepMs
    const have = this.dates.length > 0 && stepMs === this.stepMs
    const covered = have && startMs >= this.startMs && end <= this.startMs + this.dates.length * stepMs
    if (!covered) {
      const from = have ? Math.min(startMs, this.startMs) : startMs
      const to = have ? Math.max(end, this.startMs + this.dates.length * stepMs) : end
      const n = Math.round((to - from) / stepMs)
      const dates = new Float64Array(n)
      for (let i = 0; i < n; i++) dates[i] = from + i * stepMs
      this.dates = dates
      this.startMs = from
      this.stepMs = stepMs
    }
    const first = Math.round((startMs - this.startMs) / stepMs)
    return this.dates.subarray(first, first + count)
  }
}
