import { allocOhlcv, concatOhlcv, type OhlcvColumns } from '../frame/ohlcv.ts'
import { aggregateOhlcv, type CandleSource, candleStart, sliceByTime, timeframeOffsetMs } from './candles.ts'
import { decimalsOf, defaultMinNotional, resolveMarket, splitSymbol } from './markets.ts'
import { hashKey, Rng, unitFromHash } from './random.ts'

/** Parts end to end; a single part as it is (no copy). */
const joined = (parts: OhlcvColumns[]): OhlcvColumns => (parts.length === 1 ? parts[0]! : concatOhlcv(parts))

/** What the generator needs to know about a pair. */
export interface PairProfile {
  /** Price level the series wanders around. */
  price: number
  /** Typical daily volatility of returns (0.03 = 3 %). */
  volatility: number
  /** Prices are rounded to this. */
  tickSize: number
}

export interface SyntheticSourceOptions {
  seed: number
  /** Per-pair level, volatility and tick; pairs not answered get defaults derived from the pair name. */
  profile?: (pair: string) => PairProfile | undefined
  /** How many generated blocks to keep (each ~70 KB); older ones are made again when asked. Default 512. */
  cacheBlocks?: number
}

const MINUTE = 60_000
const DAY = 86_400_000
const MINUTES_PER_DAY = 1440
/** Aggregated timeframes are made and cached in blocks of at most this many candles and about this much time. */
const AGG_BLOCK = 1000
const AGG_BLOCK_SPAN = 8 * DAY

/** Candles per cached block of a timeframe: coarse timeframes get short blocks so one block never costs months. */
function blockCandles(timeframeMs: number): number {
  return Math.max(1, Math.min(AGG_BLOCK, Math.floor(AGG_BLOCK_SPAN / timeframeMs)))
}

/** Smooth deterministic noise in [-1, 1]: random values at integer points, smoothstep in between. */
function valueNoise(seed: number, key: string, x: number): number {
  const i = Math.floor(x)
  const f = x - i
  const a = unitFromHash(hashKey(seed, key, i)) * 2 - 1
  const b = unitFromHash(hashKey(seed, key, i + 1)) * 2 - 1
  const s = f * f * (3 - 2 * f)
  return a + (b - a) * s
}

/**
 * Deterministic synthetic 1m candles. Each UTC day is generated on its own from (seed, pair, day), so any range can
 * be made lazily without generating history first:
 * - the log price at each midnight comes from three layers of smooth noise — a slow one (weeks) that produces long
 *   trending phases and the flat turns between them (ranging), a medium and a fast one;
 * - inside the day a Brownian bridge joins one midnight to the next, with a per-day volatility regime, so 1m returns
 *   look like a random walk and every day joins its neighbours exactly;
 * - volume follows a daily cycle, rises with the size of the move and carries log-normal noise.
 * Coarser timeframes are aggregated from the 1m candles, so they always agree.
 */
export class SyntheticCandleSource implements CandleSource {
  readonly baseTimeframeMs = MINUTE
  private readonly cache = new Map<string, OhlcvColumns>()
  private readonly profiles = new Map<string, PairProfile>()
  private readonly cacheBlocks: number

  constructor(private readonly opts: SyntheticSourceOptions) {
    this.cacheBlocks = opts.cacheBlocks ?? 512
  }

  candles(pair: string, timeframeMs: number, startMs: number, endMs: number): OhlcvColumns {
    if (!(timeframeMs >= MINUTE) || timeframeMs % MINUTE !== 0) {
      throw new Error(`synthetic candles need a timeframe that is a whole number of minutes, got ${timeframeMs} ms`)
    }
    if (endMs <= startMs) return allocOhlcv(0)
    const parts: OhlcvColumns[] = []
    if (timeframeMs === MINUTE) {
      for (let day = Math.floor(startMs / DAY); day * DAY < endMs; day++) {
        parts.push(sliceByTime(this.day(pair, day), startMs, endMs))
      }
    } else {
      const off = timeframeOffsetMs(timeframeMs)
      const span = timeframeMs * blockCandles(timeframeMs)
      const first = Math.floor((candleStart(startMs, timeframeMs) - off) / span)
      for (let block = first; block * span + off < endMs; block++) {
        parts.push(sliceByTime(this.aggregatedBlock(pair, timeframeMs, block), startMs, endMs))
      }
    }
    return joined(parts)
  }

  /** The profile used for a pair (given, or derived from its name like the sim's default market rules). */
  profileOf(pair: string): PairProfile {
    let p = this.profiles.get(pair)
    if (!p) {
      p = this.opts.profile?.(pair)
      if (!p) {
        const m = resolveMarket({ symbol: pair }, this.opts.seed)
        p = { price: m.price, volatility: m.volatility, tickSize: m.tickSize }
      }
      this.profiles.set(pair, p)
    }
    return p
  }

  private remember(key: string, value: OhlcvColumns): OhlcvColumns {
    this.cache.set(key, value)
    if (this.cache.size > this.cacheBlocks) {
      // Map keeps insertion order: the first key is the least recently used one
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    return value
  }

  private cached(key: string): OhlcvColumns | undefined {
    const v = this.cache.get(key)
    if (v) {
      this.cache.delete(key)
      this.cache.set(key, v)
    }
    return v
  }

  private aggregatedBlock(pair: string, timeframeMs: number, block: number): OhlcvColumns {
    const key = `${pair}|${timeframeMs}|${block}`
    const hit = this.cached(key)
    if (hit) return hit
    const off = timeframeOffsetMs(timeframeMs)
    const span = timeframeMs * blockCandles(timeframeMs)
    const start = block * span + off
    const end = start + span
    const days: OhlcvColumns[] = []
    for (let day = Math.floor(start / DAY); day * DAY < end; day++)
      days.push(sliceByTime(this.day(pair, day), start, end))
    return this.remember(key, aggregateOhlcv(joined(days), timeframeMs))
  }

  /** Log price at midnight of `day`. */
  private anchor(pair: string, day: number, p: PairProfile): number {
    const seed = this.opts.seed
    const v = p.volatility
    return (
      Math.log(p.price) +
      v * 9 * valueNoise(seed, `${pair}|slow`, day / 30) +
      v * 3.5 * valueNoise(seed, `${pair}|mid`, day / 8) +
      v * 1.2 * valueNoise(seed, `${pair}|fast`, day / 2.5)
    )
  }

  /** The 1440 1m candles of one UTC day. */
  private day(pair: string, day: number): OhlcvColumns {
    const key = `${pair}|${MINUTE}|d${day}`
    const hit = this.cached(key)
    if (hit) return hit
    const p = this.profileOf(pair)
    const seed = this.opts.seed
    const rng = new Rng(hashKey(seed, pair, 'day', day))
    const a0 = this.anchor(pair, day, p)
    const a1 = this.anchor(pair, day + 1, p)
    // volatility regime of the day: calm to wild
    const regime = 0.55 + 0.9 * unitFromHash(hashKey(seed, pair, 'regime', day))
    const sigma = (p.volatility * regime) / Math.sqrt(MINUTES_PER_DAY)
    // random walk, then pinned to both anchors (Brownian bridge)
    const walk = new Float64Array(MINUTES_PER_DAY + 1)
    for (let i = 1; i <= MINUTES_PER_DAY; i++) walk[i] = walk[i - 1]! + sigma * rng.normal()
    const endGap = walk[MINUTES_PER_DAY]!
    const drift = a1 - a0
    const out = allocOhlcv(MINUTES_PER_DAY)
    const [, quote] = splitSymbol(pair)
    // typical traded value per minute, in quote units, stable per pair
    const quotePerMinute = defaultMinNotional(quote) * 10 ** (2.5 + 1.5 * unitFromHash(hashKey(seed, pair, 'liq')))
    const tick = p.tickSize
    // integer arithmetic in units of 10^-digits gives the double nearest the decimal (like toFixed, much faster)
    const scale = 10 ** decimalsOf(tick)
    const tickUnits = Math.max(1, Math.round(tick * scale))
    const round = (x: number) => Math.max(tick, (Math.round((x * scale) / tickUnits) * tickUnits) / scale)
    const t0 = day * DAY
    let prevClose = round(Math.exp(a0))
    for (let i = 0; i < MINUTES_PER_DAY; i++) {
      const x = (i + 1) / MINUTES_PER_DAY
      const logClose = a0 + walk[i + 1]! - x * endGap + x * drift
      const open = prevClose
      const close = round(Math.exp(logClose))
      const wickUp = Math.abs(rng.normal()) * sigma * 0.6
      const wickDown = Math.abs(rng.normal()) * sigma * 0.6
      const high = Math.max(open, close, round(Math.max(open, close) * Math.exp(wickUp)))
      const low = Math.min(open, close, round(Math.min(open, close) * Math.exp(-wickDown)))
      const move = Math.abs(Math.log(close / open)) / (sigma || 1)
      const season = 1 + 0.35 * Math.sin(2 * Math.PI * (i / MINUTES_PER_DAY - 0.3))
      const noise = Math.exp(0.35 * rng.normal())
      const value = quotePerMinute * season * regime * (0.5 + Math.min(3, move) * 0.6) * noise
      out.date[i] = t0 + i * MINUTE
      out.open[i] = open
      out.high[i] = high
      out.low[i] = low
      out.close[i] = close
      out.volume[i] = Math.round((value / close) * 1e8) / 1e8
      prevClose = close
    }
    return this.remember(key, out)
  }
}
