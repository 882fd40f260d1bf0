/** Hand-built markets, tickers and candles for the plugin tests. */
import { allocOhlcv, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'
import type { CandleSource, MarketInfo, TickerInfo } from '../../../src/plugins/index.ts'

export function market(
  symbol: string,
  opts: Partial<MarketInfo> & { tick?: number; step?: number; minAmount?: number } = {},
): MarketInfo {
  const [base, quote] = symbol.split('/') as [string, string]
  return {
    symbol,
    base,
    quote,
    active: opts.active ?? true,
    precision: { price: opts.tick ?? 1e-8, amount: opts.step ?? 1e-8 },
    limits: { amount: { min: opts.minAmount }, cost: {}, price: {} },
  }
}

export function markets(...list: MarketInfo[]): Record<string, MarketInfo> {
  return Object.fromEntries(list.map((m) => [m.symbol, m]))
}

export function tickers(...list: TickerInfo[]): Record<string, TickerInfo> {
  return Object.fromEntries(list.map((t) => [t.symbol, t]))
}

export const DAY = 86_400_000

/** Daily candles ending the day before `endDayMs`, one per row of [open, high, low, close]. */
export function daily(endDayMs: number, rows: [number, number, number, number][]): OhlcvColumns {
  const c = allocOhlcv(rows.length)
  rows.forEach(([o, h, l, cl], i) => {
    c.date[i] = endDayMs - (rows.length - i) * DAY
    c.open[i] = o
    c.high[i] = h
    c.low[i] = l
    c.close[i] = cl
    c.volume[i] = 1
  })
  return c
}

/** A candle source over fixed data that records what was asked. */
export function candleSource(data: Record<string, OhlcvColumns>): CandleSource & {
  calls: { pairs: string[]; timeframe: string; sinceMs: number }[]
} {
  const calls: { pairs: string[]; timeframe: string; sinceMs: number }[] = []
  const fn = async (pairs: string[], timeframe: string, sinceMs: number) => {
    calls.push({ pairs: [...pairs], timeframe, sinceMs })
    const out = new Map<string, OhlcvColumns>()
    for (const p of pairs) {
      const c = data[p]
      if (!c) continue
      const keep: number[] = []
      for (let i = 0; i < c.date.length; i++) if ((c.date[i] as number) >= sinceMs) keep.push(i)
      const sub = allocOhlcv(keep.length)
      keep.forEach((k, j) => {
        for (const f of ['date', 'open', 'high', 'low', 'close', 'volume'] as const) sub[f][j] = c[f][k] as number
      })
      out.set(p, sub)
    }
    return out
  }
  return Object.assign(fn, { calls })
}
