/** Lock queries as freqtrade's PairLocks, over a plain list of locks (the caller's store). */
import type { LockSide } from './inputs.ts'

export interface LockLike {
  pair: string
  untilMs: number
  side: LockSide
  /** False once released; absent means active. */
  active?: boolean
}

/** Active locks of `pair` (or `*`) that still hold at `atMs` and cover `side` (a `*` lock covers both sides). */
export function pairLocksAt(locks: LockLike[], pair: string, atMs: number, side: LockSide): LockLike[] {
  return locks.filter(
    (l) =>
      l.pair === pair &&
      l.active !== false &&
      l.untilMs > atMs &&
      (side === '*' ? l.side === '*' : l.side === side || l.side === '*'),
  )
}

export function isGlobalLocked(locks: LockLike[], atMs: number, side: LockSide): boolean {
  return pairLocksAt(locks, '*', atMs, side).length > 0
}

/** Whether `pair` is locked at `atMs` for `side`, by its own lock or a global one. */
export function isPairLocked(locks: LockLike[], pair: string, atMs: number, side: LockSide): boolean {
  return pairLocksAt(locks, pair, atMs, side).length > 0 || isGlobalLocked(locks, atMs, side)
}
