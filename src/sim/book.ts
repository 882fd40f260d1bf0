import { decimalsOf, type SimMarket } from './markets.ts'
import { hashKey, unitFromHash } from './random.ts'

export type BookSide = 'bids' | 'asks'

/** Levels deep enough that no sensible market order runs out of book. */
export const MAX_BOOK_LEVELS = 5000

/**
 * A deterministic order book around a mid price: best bid/ask about 1 bp from mid (at least one tick apart), levels
 * spaced about 2 bp, and per-level size worth 40–200× the market's minimum order value, growing with depth. Sizes
 * are fixed for a given (seed, pair, minute), so two reads in the same minute see the same book.
 */
export class SyntheticBook {
  readonly bestBid: number
  readonly bestAsk: number
  private readonly gapTicks: number
  private readonly digits: number
  private readonly qtyDigits: number

  constructor(
    readonly market: SimMarket,
    readonly mid: number,
    private readonly seed: number,
    private readonly minute: number,
  ) {
    const tick = market.tickSize
    this.digits = decimalsOf(tick)
    this.qtyDigits = decimalsOf(market.stepSize)
    let bid = Math.floor((mid * (1 - 0.0001)) / tick + 1e-9)
    let ask = Math.ceil((mid * (1 + 0.0001)) / tick - 1e-9)
    if (ask <= bid) ask = bid + 1
    if (bid < 1) bid = 1
    if (ask <= bid) ask = bid + 1
    this.bestBid = this.ticks(bid)
    this.bestAsk = this.ticks(ask)
    this.gapTicks = Math.max(1, Math.round((mid * 0.0002) / tick))
  }

  private ticks(n: number): number {
    return Number((n * this.market.tickSize).toFixed(this.digits))
  }

  /** Price and quantity of level k (0 = best) on one side; undefined past the book's end. */
  level(side: BookSide, k: number): [number, number] | undefined {
    if (k < 0 || k >= MAX_BOOK_LEVELS) return undefined
    const tick = this.market.tickSize
    const best = side === 'bids' ? this.bestBid : this.bestAsk
    const bestTicks = Math.round(best / tick)
    const t = side === 'bids' ? bestTicks - k * this.gapTicks : bestTicks + k * this.gapTicks
    if (t <= 0) return undefined
    const price = this.ticks(t)
    const u = unitFromHash(hashKey(this.seed, this.market.id, 'book', this.minute, side, k))
    const value = this.market.minNotional * (40 + 160 * u) * (1 + 0.05 * k)
    const step = this.market.stepSize
    const steps = Math.max(Math.ceil(this.market.minQty / step), Math.round(value / price / step))
    return [price, Number((steps * step).toFixed(this.qtyDigits))]
  }

  /** The first `limit` levels of both sides. */
  depth(limit: number): { bids: [number, number][]; asks: [number, number][] } {
    const bids: [number, number][] = []
    const asks: [number, number][] = []
    for (let k = 0; k < limit; k++) {
      const b = this.level('bids', k)
      const a = this.level('asks', k)
      if (b) bids.push(b)
      if (a) asks.push(a)
    }
    return { bids, asks }
  }
}
