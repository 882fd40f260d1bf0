/**
 * Deterministic randomness for the simulator: the same seed and the same key always give the same numbers,
 * whatever order things are asked for in. Every stream is keyed (pair, day, purpose), so candles can be made lazily.
 */

/** 32-bit FNV-1a hash of a string, mixed with a seed. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return mix32(h)
}

/** A 32-bit integer finaliser (murmur3's fmix32): spreads close keys far apart. */
export function mix32(x: number): number {
  let h = x >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/** Hash of several integer/string parts, for keyed streams. */
export function hashKey(seed: number, ...parts: (number | string)[]): number {
  let h = mix32(seed ^ 0x9e3779b9)
  for (const part of parts) {
    const v = typeof part === 'number' ? mix32(Math.floor(part) ^ Math.floor(part / 4294967296)) : hashString(part)
    h = mix32((h ^ v) + 0x9e3779b9 + (h << 6) + (h >>> 2))
  }
  return h
}

/** A uniform number in [0, 1) from a 32-bit hash. */
export function unitFromHash(h: number): number {
  return (h >>> 0) / 4294967296
}

/** mulberry32: a small, fast, seedable generator. */
export class Rng {
  private state: number
  private spare: number | undefined
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** Standard normal (Box-Muller, using both values). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare
      this.spare = undefined
      return s
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
}
