import { checkPeriod, emaInto, isZero, nanArray, sameLength } from './internal.ts'

/**
 * MACD (TA-Lib MACD, defaults 12/26/9). macd = EMA(fast) − EMA(slow), signal = EMA(macd, signal), hist = macd − signal.
 * TA-Lib aligns everything on the slow EMA: the slow EMA is seeded at row slow-1 as usual, but the fast EMA is seeded
 * at that same row (with the average of the `fast` values ending there), not at row fast-1; the signal EMA is seeded
 * with the average of the first `signal` macd values. All three outputs start at the lookback slow+signal-2 (33).
 */
export function macd(
  src: Float64Array,
  fastPeriod = 12,
  slowPeriod = 26,
  signalPeriod = 9,
): { macd: Float64Array; signal: Float64Array; hist: Float64Array } {
  checkPeriod('macd', 'fastPeriod', fastPeriod, 2)
  checkPeriod('macd', 'slowPeriod', slowPeriod, 2)
  checkPeriod('macd', 'signalPeriod', signalPeriod, 1)
  // TA-Lib swaps the periods when given in the wrong order.
  if (slowPeriod < fastPeriod) [fastPeriod, slowPeriod] = [slowPeriod, fastPeriod]
  const n = src.length
  const line = nanArray(n)
  const signal = nanArray(n)
  const hist = nanArray(n)
  const first = slowPeriod - 1
  const lookback = first + signalPeriod - 1
  if (lookback >= n) return { macd: line, signal, hist }
  const fast = nanArray(n)
  emaInto(src, first, fastPeriod, 2 / (fastPeriod + 1), fast)
  emaInto(src, first, slowPeriod, 2 / (slowPeriod + 1), line)
  for (let i = first; i < n; i++) line[i] = fast[i] - line[i]
  emaInto(line, lookback, signalPeriod, 2 / (signalPeriod + 1), signal)
  line.fill(Number.NaN, 0, lookback)
  for (let i = lookback; i < n; i++) hist[i] = line[i] - signal[i]
  return { macd: line, signal, hist }
}

/**
 * Average directional index (TA-Lib ADX, default period 14). +DM/−DM (only the larger move counts, and only if
 * positive) and true range are summed over the first period-1 changes, then smoothed as s = s − s/period + x; DI± =
 * 100·DM±/TR, DX = 100·|DI− − DI+|/(DI− + DI+); ADX starts as the mean of the first `period` DX values and continues
 * with Wilder smoothing. Lookback 2·period − 1.
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('adx', 'period', period, 2)
  const n = sameLength('adx', high, low, close)
  const out = nanArray(n)
  const lookback = 2 * period - 1
  if (lookback >= n) return out
  let plusDM = 0
  let minusDM = 0
  let tr = 0
  // Adds row i's directional movement and true range to the running (smoothed) sums.
  const step = (i: number, smooth: boolean): void => {
    const diffP = high[i] - high[i - 1]
    const diffM = low[i - 1] - low[i]
    if (smooth) {
      minusDM -= minusDM / period
      plusDM -= plusDM / period
    }
    if (diffM > 0 && diffP < diffM) minusDM += diffM
    else if (diffP > 0 && diffP > diffM) plusDM += diffP
    const range = trueRangeAt(high, low, close, i)
    tr = smooth ? tr - tr / period + range : tr + range
  }
  for (let i = 1; i < period; i++) step(i, false)
  let sumDX = 0
  for (let i = period; i <= lookback; i++) {
    step(i, true)
    const dx = directionalIndex(plusDM, minusDM, tr)
    if (!Number.isNaN(dx)) sumDX += dx
  }
  let value = sumDX / period
  out[lookback] = value
  for (let i = lookback + 1; i < n; i++) {
    step(i, true)
    const dx = directionalIndex(plusDM, minusDM, tr)
    if (!Number.isNaN(dx)) value = (value * (period - 1) + dx) / period
    out[i] = value
  }
  return out
}

/**
 * Plus directional indicator (TA-Lib PLUS_DI, default period 14): 100·(smoothed +DM)/(smoothed TR), with +DM and TR
 * summed and smoothed as in `adx` (the sums over the first period-1 changes, then s = s − s/period + x); 0 where the
 * smoothed true range is (near) zero. Lookback `period`.
 */
export function plusDi(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  return directionalIndicator('plusDi', high, low, close, period, true)
}

/** Minus directional indicator (TA-Lib MINUS_DI, default period 14): as `plusDi` with −DM. Lookback `period`. */
export function minusDi(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  return directionalIndicator('minusDi', high, low, close, period, false)
}

function directionalIndicator(
  name: string,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  plus: boolean,
): Float64Array {
  checkPeriod(name, 'period', period, 2)
  const n = sameLength(name, high, low, close)
  const out = nanArray(n)
  if (period >= n) return out
  let dm = 0
  let tr = 0
  for (let i = 1; i < n; i++) {
    const diffP = high[i] - high[i - 1]
    const diffM = low[i - 1] - low[i]
    // only the larger move counts, and only when it is positive (TA-Lib's +DM / −DM)
    const move = plus ? (diffP > 0 && diffP > diffM ? diffP : 0) : diffM > 0 && diffP < diffM ? diffM : 0
    const range = trueRangeAt(high, low, close, i)
    if (i < period) {
      dm += move
      tr += range
      continue
    }
    dm = dm - dm / period + move
    tr = tr - tr / period + range
    out[i] = isZero(tr) ? 0 : 100 * (dm / tr)
  }
  return out
}

/** DX from the smoothed sums, NaN where TA-Lib skips the row (TR or DI+ + DI− near zero). */
function directionalIndex(plusDM: number, minusDM: number, tr: number): number {
  if (isZero(tr)) return Number.NaN
  const minusDI = 100 * (minusDM / tr)
  const plusDI = 100 * (plusDM / tr)
  const sum = minusDI + plusDI
  return isZero(sum) ? Number.NaN : 100 * (Math.abs(minusDI - plusDI) / sum)
}

/** True range of row i >= 1: the largest of high−low, |prevClose−high| and |prevClose−low|. */
export function trueRangeAt(high: Float64Array, low: Float64Array, close: Float64Array, i: number): number {
  const h = high[i]
  const l = low[i]
  const pc = close[i - 1]
  let greatest = h - l
  const a = Math.abs(pc - h)
  if (a > greatest) greatest = a
  const b = Math.abs(pc - l)
  if (b > greatest) greatest = b
  return greatest
}

/**
 * Parabolic SAR (TA-Lib SAR, acceleration 0.02, maximum 0.2). The first position is short when row 1 has a positive
 * −DM (low fell more than high rose), long otherwise; the first SAR is row 0's low (long) or high (short). On a
 * reversal the SAR jumps to the extreme point; the SAR never enters the current or previous row's range. Lookback 1.
 */
export function sar(high: Float64Array, low: Float64Array, acceleration = 0.02, maximum = 0.2): Float64Array {
  const n = sameLength('sar', high, low)
  const out = nanArray(n)
  if (n < 2) return out
  if (acceleration > maximum) acceleration = maximum
  const diffP = high[1] - high[0]
  const diffM = low[0] - low[1]
  let isLong = !(diffM > 0 && diffP < diffM)
  let af = acceleration
  let ep = isLong ? high[1] : low[1]
  let value = isLong ? low[0] : high[0]
  // The first step compares against row 1 itself (TA-Lib's "cheat" on the previous high/low).
  let newLow = low[1]
  let newHigh = high[1]
  for (let i = 1; i < n; i++) {
    const prevLow = newLow
    const prevHigh = newHigh
    newLow = low[i]
    newHigh = high[i]
    if (isLong) {
      if (newLow <= value) {
        isLong = false
        value = Math.max(ep, prevHigh, newHigh)
        out[i] = value
        af = acceleration
        ep = newLow
        value = Math.max(value + af * (ep - value), prevHigh, newHigh)
      } else {
        out[i] = value
        if (newHigh > ep) {
          ep = newHigh
          af = Math.min(af + acceleration, maximum)
        }
        value = Math.min(value + af * (ep - value), prevLow, newLow)
      }
    } else if (newHigh >= value) {
      isLong = true
      value = Math.min(ep, prevLow, newLow)
      out[i] = value
      af = acceleration
      ep = newHigh
      value = Math.min(value + af * (ep - value), prevLow, newLow)
    } else {
      out[i] = value
      if (newLow < ep) {
        ep = newLow
        af = Math.min(af + acceleration, maximum)
      }
      value = Math.max(value + af * (ep - value), prevHigh, newHigh)
    }
  }
  return out
}
