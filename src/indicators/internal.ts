/** Shared pieces of the indicator implementations: argument checks, output allocation and TA-Lib's seeding loops. */

import { newNaNColumn } from '../frame/columns.ts'

/** A full-length output, NaN until written (the warm-up rows stay NaN). */
export function nanArray(n: number): Float64Array {
  return newNaNColumn(n)
}

/** Throws unless `period` is a whole number >= `min` (TA-Lib's own lower bounds). */
export function checkPeriod(indicator: string, name: string, period: number, min: number): void {
  if (!Number.isInteger(period) || period < min) {
    throw new RangeError(`${indicator}: ${name} must be a whole number >= ${min}, got ${period}`)
  }
}

/** Throws unless all series have the same length; returns it. */
export function sameLength(indicator: string, ...series: Float64Array[]): number {
  const n = series[0].length
  for (const s of series) {
    if (s.length !== n) throw new Error(`${indicator}: input series differ in length (${n} vs ${s.length})`)
  }
  return n
}

/** TA-Lib's "near zero" test (TA_IS_ZERO): |x| < 1e-8. */
export function isZero(x: number): boolean {
  return x > -0.00000001 && x < 0.00000001
}

/**
 * Simple moving average of `src` whose first valid value is at `first`, written to out[first+period-1 ..] with TA-Lib's
 * running total (add the newest, output, subtract the oldest).
 */
export function smaInto(src: Float64Array, first: number, period: number, out: Float64Array): void {
  const n = src.length
  const start = first + period - 1
  if (start >= n) return
  let total = 0
  for (let i = first; i < start; i++) total += src[i]
  let trailing = first
  for (let i = start; i < n; i++) {
    total += src[i]
    const t = total
    total -= src[trailing++]
    out[i] = t / period
  }
}

/**
 * Exponential moving average with smoothing `k`, seeded (as TA-Lib's default) with the simple average of the `period`
 * values ending at `seedAt`; writes out[seedAt ..].
 */
export function emaInto(src: Float64Array, seedAt: number, period: number, k: number, out: Float64Array): void {
  const n = src.length
  if (seedAt >= n) return
  let sum = 0
  for (let i = seedAt - period + 1; i <= seedAt; i++) sum += src[i]
  let prev = sum / period
  out[seedAt] = prev
  for (let i = seedAt + 1; i < n; i++) {
    prev = (src[i] - prev) * k + prev
    out[i] = prev
  }
}
