/** Deterministic pseudo-random numbers in [0, 1) (xorshift32): the same seed gives the same sequence everywhere. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4_294_967_296
  }
}
