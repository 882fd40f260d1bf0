import { functions, Precise } from '../util/ccxtParts.ts'

/** ccxt's counting modes: how a market's precision numbers are meant. */
export const DECIMAL_PLACES = functions.DECIMAL_PLACES
export const SIGNIFICANT_DIGITS = functions.SIGNIFICANT_DIGITS
export const TICK_SIZE = functions.TICK_SIZE

export type Rounding = 'round' | 'up' | 'down' | 'truncate'

/** A number as the decimal text Python's `str(float)` gives (the shortest text that reads back as the same float). */
export function decimalText(x: number): string {
  return String(x)
}

/**
 * A float's decimal text as an exact `m × 10^e` with a safe-integer mantissa, or undefined when the text has more
 * digits than a double holds exactly. Small decimals like these let the money math run exactly in plain numbers; the
 * rest goes through ccxt's `Precise`.
 */
export type Dec = [m: number, e: number]

export function toDec(x: number): Dec | undefined {
  if (!Number.isFinite(x)) return undefined
  const s = String(x)
  let e = 0
  let body = s
  const ei = s.indexOf('e')
  if (ei >= 0) {
    e = Number(s.slice(ei + 1))
    body = s.slice(0, ei)
  }
  const dot = body.indexOf('.')
  if (dot >= 0) {
    e -= body.length - dot - 1
    body = body.slice(0, dot) + body.slice(dot + 1)
  }
  const m = Number(body)
  return Number.isSafeInteger(m) ? [m, e] : undefined
}

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`))

/** The double nearest to `m × 10^e` (what `Number(decimal text)` gives), when that is one correctly rounded step. */
export function fromDec(d: Dec): number | undefined {
  const [m, e] = d
  if (e >= 0) return e <= 22 ? m * POW10[e] : undefined
  return -e <= 22 ? m / POW10[-e] : undefined
}

/** Exact product, or undefined when the mantissa leaves the safe range. */
export function decMul(a: Dec | undefined, b: Dec | undefined): Dec | undefined {
  if (a === undefined || b === undefined) return undefined
  const m = a[0] * b[0]
  return Number.isSafeInteger(m) ? [m, a[1] + b[1]] : undefined
}

/** Both on the smaller exponent, or undefined when a mantissa leaves the safe range. */
function align(a: Dec, b: Dec): [number, number, number] | undefined {
  const e = Math.min(a[1], b[1])
  if (a[1] - e > 22 || b[1] - e > 22) return undefined
  const x = a[0] * POW10[a[1] - e]
  const y = b[0] * POW10[b[1] - e]
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? [x, y, e] : undefined
}

/** Exact sum (sign −1: difference), or undefined. */
export function decAdd(a: Dec | undefined, b: Dec | undefined, sign = 1): Dec | undefined {
  if (a === undefined || b === undefined) return undefined
  const al = align(a, b)
  if (al === undefined) return undefined
  const m = al[0] + sign * al[1]
  return Number.isSafeInteger(m) ? [m, al[2]] : undefined
}

/** a × b on the decimal texts of both, as a float (freqtrade's `FtPrecise(a) * FtPrecise(b)`). */
export function preciseMul(a: number, b: number): number {
  const fast = decMul(toDec(a), toDec(b))
  const f = fast && fromDec(fast)
  return f ?? Number(Precise.stringMul(decimalText(a), decimalText(b)))
}

/**
 * Amount cut to the market's step, never rounded up (freqtrade's `amount_to_precision`, ccxt TRUNCATE). Without a
 * precision the amount is returned as is.
 */
export function amountToPrecision(amount: number, precision: number | undefined, mode: number = TICK_SIZE): number {
  if (precision === undefined || precision === null) return amount
  if (mode === TICK_SIZE && amount >= 0) {
    const fast = truncateToTick(amount, precision)
    if (fast !== undefined) return fast
  }
  const p = mode === TICK_SIZE ? precision : Math.trunc(precision)
  return Number(functions.decimalToPrecision(amount, functions.TRUNCATE, p, mode))
}

/**
 * Price to the market's tick (freqtrade's `price_to_precision`): `round` and `truncate` through ccxt's
 * decimalToPrecision; `up` / `down` to the next tick in that direction, computed on decimal texts so that a price
 * already on the tick stays where it is.
 */
export function priceToPrecision(
  price: number,
  precision: number | undefined,
  mode: number = TICK_SIZE,
  rounding: Rounding = 'round',
): number {
  if (precision === undefined || precision === null) return price
  if (rounding === 'round' || rounding === 'truncate') {
    const r = rounding === 'round' ? functions.ROUND : functions.TRUNCATE
    return Number(functions.decimalToPrecision(price, r, mode === TICK_SIZE ? precision : Math.trunc(precision), mode))
  }
  if (mode === TICK_SIZE) {
    const fast = toTickDirected(price, precision, rounding === 'up')
    if (fast !== undefined) return fast
    const p = decimalText(precision)
    const x = decimalText(price)
    const missing = Precise.stringMod(x, p)
    if (Precise.stringEq(missing, '0')) return price
    const base = Precise.stringSub(x, missing)
    // freqtrade: round(float(str(price - missing + precision)), 14) for up; price - missing for down
    const out = rounding === 'up' ? Precise.stringAdd(base, p) : base
    return roundTo(Number(out), 14)
  }
  const nd = Math.round(precision)
  const ticks = price * 10 ** nd
  return (rounding === 'up' ? Math.ceil(ticks) : Math.floor(ticks)) / 10 ** nd
}

/** Python's `round(x, n)` / `f"{x:.nf}"`: rounds the float's exact value to n decimals (exact ties are vanishingly rare). */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x
  return Number(x.toFixed(digits))
}

/** Python's `round(x)` for a whole number: ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r
}

/** `float(f"{x:.8f}")`: what freqtrade stores as an absolute profit. */
export function round8(x: number): number {
  return Number(x.toFixed(8))
}

/** `amount` cut down to a multiple of `tick`, exactly on the decimal texts; undefined when that needs big numbers. */
function truncateToTick(amount: number, tick: number): number | undefined {
  const d = decimalsOfPowerOfTen(tick)
  if (d !== undefined) {
    const cut = cutDecimals(String(amount), d)
    return cut === undefined ? undefined : Number(cut)
  }
  const a = toDec(amount)
  const t = toDec(tick)
  if (a === undefined || t === undefined || t[0] <= 0) return undefined
  const al = align(a, t)
  if (al === undefined) return undefined
  const [x, s, e] = al
  let n = Math.floor(x / s)
  if (n * s > x) n--
  else if ((n + 1) * s <= x) n++
  const m = n * s
  return Number.isSafeInteger(m) ? fromDec([m, e]) : undefined
}

/** freqtrade's up/down rounding to a tick on decimal texts, without big numbers where they are not needed. */
function toTickDirected(price: number, tick: number, up: boolean): number | undefined {
  const d = decimalsOfPowerOfTen(tick)
  if (d !== undefined) {
    const text = String(price)
    const cut = cutDecimals(text, d)
    if (cut === undefined) return undefined
    if (!/[1-9]/.test(text.slice(cut.length))) return price
    if (!up) return Number(cut)
    const sum = decAdd(toDec(Number(cut)), toDec(tick))
    const out = sum && fromDec(sum)
    return out === undefined ? undefined : roundTo(out, 14)
  }
  const a = toDec(price)
  const t = toDec(tick)
  if (a === undefined || t === undefined || t[0] <= 0 || price < 0) return undefined
  const al = align(a, t)
  if (al === undefined) return undefined
  const [x, s, e] = al
  const missing = x % s
  if (missing === 0) return price
  const m = x - missing + (up ? s : 0)
  if (!Number.isSafeInteger(m)) return undefined
  const out = fromDec([m, e])
  return out === undefined ? undefined : roundTo(out, 14)
}

/** Ticks seen so far and their `decimalsOfPowerOfTen` (a market has one tick per precision: few distinct values). */
const tickDecimals = new Map<number, number | undefined>()

/** d for a tick of 10^-d (d ≥ 0), else undefined. */
function decimalsOfPowerOfTen(tick: number): number | undefined {
  if (tickDecimals.has(tick)) return tickDecimals.get(tick)
  const t = toDec(tick)
  const d = t !== undefined && t[0] === 1 && t[1] <= 0 ? -t[1] : undefined
  if (tickDecimals.size < 1024) tickDecimals.set(tick, d)
  return d
}

/** A plain decimal text cut after `d` decimals (no rounding); undefined for exponent notation or a sign. */
function cutDecimals(text: string, d: number): string | undefined {
  if (text.includes('e') || text.startsWith('-')) return undefined
  const dot = text.indexOf('.')
  if (dot < 0) return text
  return d === 0 ? text.slice(0, dot) : text.slice(0, dot + 1 + d)
}
