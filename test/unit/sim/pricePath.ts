import { allocOhlcv, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'
import type { SimMarketSpec } from '../../../src/sim/markets.ts'
import { ReplayCandleSource } from '../../../src/sim/replaySource.ts'

const MINUTE = 60_000

/** A 100-USDT test market with a 0.01 tick and a 0.001 step: prices and amounts that are easy to work by hand. */
export const TST: SimMarketSpec = { symbol: 'TST/USDT', price: 100, tickSize: 0.01, stepSize: 0.001 }

/**
 * 1m candles that follow straight lines between `points` ([time, price], minute-aligned, ascending), flat before
 * the first and after the last, from `fromMs` to `toMs`. Each bar opens at the path's price at its start and closes
 * at the price a minute later (high/low the larger/smaller), so the simulator's price inside a bar is the path too.
 */
export function linearPath(points: [number, number][], fromMs: number, toMs: number): OhlcvColumns {
  const at = (t: number): number => {
    if (t <= points[0]![0]) return points[0]![1]
    for (let i = 1; i < points.length; i++) {
      const [t1, p1] = points[i]!
      const [t0, p0] = points[i - 1]!
      if (t <= t1) return Number((p0 + ((p1 - p0) * (t - t0)) / (t1 - t0)).toFixed(2))
    }
    return points[points.length - 1]![1]
  }
  const n = Math.round((toMs - fromMs) / MINUTE)
  const c = allocOhlcv(n)
  for (let i = 0; i < n; i++) {
    const t = fromMs + i * MINUTE
    const o = at(t)
    const cl = at(t + MINUTE)
    c.date[i] = t
    c.open[i] = o
    c.close[i] = cl
    c.high[i] = Math.max(o, cl)
    c.low[i] = Math.min(o, cl)
    c.volume[i] = 50
  }
  return c
}

/** A replay source of one pair, `TST/USDT`, along the path (two days of history before `base`, one day after). */
export function pathSource(base: number, points: [number, number][]): ReplayCandleSource {
  return new ReplayCandleSource({ 'TST/USDT': linearPath(points, base - 2 * 86_400_000, base + 86_400_000) }, MINUTE)
}
