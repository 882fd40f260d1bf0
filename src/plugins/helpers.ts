/** Small pieces shared by the built-in plugins. */
import type { OhlcvColumns } from '../frame/ohlcv.ts'
import type { PairlistContext } from './define.ts'
import type { MarketInfo, PrecisionMode } from './inputs.ts'

export const DAY_MS = 86_400_000

/** Midnight UTC of the day of `ms`. */
export function floorDayMs(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}

/** The smallest price step of a market: its tick size, or 10^-decimals. Undefined when unknown. */
export function onePip(market: MarketInfo | undefined, mode: PrecisionMode): number | undefined {
  const p = market?.precision.price
  if (p === undefined) return undefined
  return mode === 'tick_size' ? p : 10 ** -p
}

/** The smallest amount step of a market. */
export function amountStep(market: MarketInfo, mode: PrecisionMode): number | undefined {
  const p = market.precision.amount
  if (p === undefined) return undefined
  return mode === 'tick_size' ? p : 10 ** -p
}

/** Decimals needed to print a step such as 0.00001 exactly. */
function stepDecimals(step: number): number {
  const s = step.toExponential()
  const [mant, exp] = s.split('e') as [string, string]
  const frac = mant.split('.')[1]?.length ?? 0
  return Math.max(0, frac - Number(exp))
}

/** Rounds a price up to the market's price step (ccxt's ROUND_UP), tolerating binary noise on exact steps. */
export function priceRoundUp(price: number, step: number): number {
  const q = price / step
  const r = Math.round(q)
  const n = Math.abs(q - r) < 1e-9 ? r : Math.ceil(q)
  return Number((n * step).toFixed(Math.min(20, stepDecimals(step))))
}

/** Python's `{x:.Nf}`. */
export function fixed(x: number, digits: number): string {
  return x.toFixed(digits)
}

/** Python's `{x:.N%}`. */
export function percent(x: number, digits: number): string {
  return `${(x * 100).toFixed(digits)}%`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many
}

/** A cache of values that expire `ttlMs` after they were stored (0 = never cached). */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>()
  constructor(private readonly ttlMs: number) {}
  get(key: string, nowMs: number): V | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (nowMs - e.at >= this.ttlMs) {
      this.entries.delete(key)
      return undefined
    }
    return e.value
  }
  set(key: string, value: V, nowMs: number): void {
    if (this.ttlMs > 0) this.entries.set(key, { at: nowMs, value })
  }
}

/**
 * A value per pair computed from its last `lookbackDays` daily candles (plus the current day), cached for the
 * filter's refresh period; `compute` gets undefined when the pair has no candles. Pairs missing from the cache are
 * fetched together.
 */
export async function dailyValues<V>(
  pairs: string[],
  ctx: PairlistContext,
  cache: TtlCache<V>,
  lookbackDays: number,
  compute: (candles: OhlcvColumns | undefined) => V,
): Promise<Map<string, V>> {
  const values = new Map<string, V>()
  for (const p of pairs) {
    const v = cache.get(p, ctx.nowMs)
    if (v !== undefined) values.set(p, v)
  }
  const needed = pairs.filter((p) => !values.has(p))
  if (needed.length > 0) {
    const candles = await ctx.candles(needed, '1d', floorDayMs(ctx.nowMs) - (lookbackDays + 1) * DAY_MS)
    for (const pair of needed) {
      const c = candles.get(pair)
      const v = compute(c && c.date.length > 0 ? c : undefined)
      values.set(pair, v)
      cache.set(pair, v, ctx.nowMs)
    }
  }
  return values
}
