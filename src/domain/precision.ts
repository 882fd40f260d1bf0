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
 * rest goes through bigints.
 */
export type Dec = [m: number, e: number]

/** 10^0 … 10^22, the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`))

export function toDec(x: number): Dec | undefined {
  if (Number.isInteger(x)) {
    // the text of a safe integer is its digits ("-0" reads "0", hence + 0)
    if (x <= Number.MAX_SAFE_INTEGER && x >= -Number.MAX_SAFE_INTEGER) return [x + 0, 0]
    return decOfText(x)
  }
  if (!Number.isFinite(x)) return undefined
  // Some m × 10^-e, m not ending in 0, that reads back as x while m ± 1 do not, is the shortest text: the decimals
  // of each length that read back as x are consecutive, so a shorter one (times a power of ten) would make m ± 1 or a
  // trailing 0 read back too, and with no shorter one the fewest decimals mean the fewest digits. m / 10^e is the
  // correctly rounded m × 10^-e (both exact), i.e. what reading that text gives. The candidate: x scaled to about
  // 2^50, where it is within 1/4 of the scaled shortest text when that has no more decimals, with the zeros cut off.
  const a = x < 0 ? -x : x
  let e = Math.floor(15.05 - Math.log10(a))
  if (e > 22) e = 22
  if (e >= 1) {
    const scale = POW10[e]
    const t = x * scale
    let m = Math.round(t)
    // the candidate reads back as x (the same decimal as with its zeros cut off)
    if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER && m / scale === x) {
      // below 2^53 a whole quotient of these divisions is exact
      if (Number.isInteger(m / 1e8)) {
        m /= 1e8
        e -= 8
      }
      if (Number.isInteger(m / 1e4)) {
        m /= 1e4
        e -= 4
      }
      if (Number.isInteger(m / 100)) {
        m /= 100
        e -= 2
      }
      if (Number.isInteger(m / 10)) {
        m /= 10
        e -= 1
      }
      if (e >= 1) {
        const p = POW10[e]
        if ((m + 1) / p !== x && (m - 1) / p !== x && !Number.isInteger(m / 10)) return [m, -e]
      }
    }
  }
  return decOfText(x)
}

/** `toDec` read off `String(x)`. */
function decOfText(x: number): Dec | undefined {
  if (!Number.isFinite(x)) return undefined
  const m = Number(textDigits(x))
  return Number.isSafeInteger(m) ? [m, textExponent] : undefined
}

/** The power of ten the last `textDigits` are scaled by (kept aside: no pair to allocate on this path). */
let textExponent = 0

/** `String(x)` as its digits (sign included, point removed); their power of ten goes to `textExponent`. */
function textDigits(x: number): string {
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
  textExponent = e
  return body
}

/** A finite float's decimal text as an exact `m × 10^e` with a bigint mantissa. */
function bigDecOf(x: number): [m: bigint, e: number] {
  const d = toDec(x)
  if (d !== undefined) return [BigInt(d[0]), d[1]]
  const digits = BigInt(textDigits(x))
  return [digits, textExponent]
}

const BIG10 = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i))
const big10 = (n: number) => (n < BIG10.length ? BIG10[n] : 10n ** BigInt(n))

/** The float nearest to the exact `m × 10^e`: the correctly rounded reading of its text, as `Number` of any text of it. */
function bigDecToNumber(m: bigint, e: number): number {
  return Number(`${m}e${e}`)
}

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
  if (f !== undefined) return f
  // ccxt's Precise multiplies exactly too; it is kept for what it does with NaN and infinities
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number(Precise.stringMul(decimalText(a), decimalText(b)))
  const [am, ae] = bigDecOf(a)
  const [bm, be] = bigDecOf(b)
  return bigDecToNumber(am * bm, ae + be)
}

/**
 * a × b × (1 + sign × c) exactly on the decimal texts of the three, as a float: freqtrade's open value (sign 1) and
 * close value (sign −1) in `FtPrecise`, in bigints. ccxt's `Precise` computes the same exact decimal (its products,
 * sums and differences are exact) and reads it back the same correctly rounded way, through more text; it is kept for
 * NaN and infinities. Callers try the plain-number `Dec` path first.
 */
export function preciseMulAdd(a: number, b: number, c: number, sign: 1 | -1): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    const ab = Precise.stringMul(decimalText(a), decimalText(b))
    const abc = Precise.stringMul(ab, decimalText(c))
    return Number(sign === 1 ? Precise.stringAdd(ab, abc) : Precise.stringSub(ab, abc))
  }
  const [am, ae] = bigDecOf(a)
  const [bm, be] = bigDecOf(b)
  const [cm, ce] = bigDecOf(c)
  const pm = am * bm
  const pe = ae + be
  const qm = pm * cm
  const qe = pe + ce
  if (qe <= pe) {
    const x = pm * big10(pe - qe)
    return bigDecToNumber(sign === 1 ? x + qm : x - qm, qe)
  }
  const y = qm * big10(qe - pe)
  return bigDecToNumber(sign === 1 ? pm + y : pm - y, pe)
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
  return roundDecimals(x, digits)
}

/**
 * `Number(x.toFixed(digits))`: the exact value of x × 10^digits rounded half away from zero to a whole N, read back as
 * N × 10^-digits. Below 2^52, n + 0.5 is a double and rounding is monotone, so the float product t lies on the same
 * side of every n + 0.5 as the exact product, or on it: only then is the text needed. N / 10^digits is the correctly
 * rounded reading of N × 10^-digits (both operands exact).
 */
function roundDecimals(x: number, digits: number): number {
  const p = POW10[digits]
  if (p !== undefined) {
    const t = Math.abs(x) * p
    if (t < 2 ** 52) {
      const n = Math.floor(t)
      // exact when t - n ≥ 0.25; below that it is negative all the same
      const f = t - n - 0.5
      if (f !== 0) {
        const r = (f > 0 ? n + 1 : n) / p
        return x < 0 ? -r : r
      }
    }
  }
  return Number(x.toFixed(digits))
}

/** Python's `round(x)` for a whole number: ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r
}

/** `float(f"{x:.8f}")`: what freqtrade stores as an absolute profit. */
export function round8(x: number): number {
  return roundDecimals(x, 8)
}

/** `amount` cut down to a multiple of `tick`, exactly on the decimal texts; undefined when that needs big numbers. */
function truncateToTick(amount: number, tick: number): number | undefined {
  const d = decimalsOfPowerOfTen(tick)
  if (d !== undefined) {
    if (d <= 22 && amount >= 1e-6 && amount * POW10[d] < 2 ** 52) return floorTicks(amount, POW10[d]) / POW10[d]
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
    if (d <= 22 && price >= 1e-6 && price * POW10[d] < 2 ** 52) {
      const p = POW10[d]
      const down = floorTicks(price, p) / p
      // reads back as the price: its text has at most d decimals and is already on the tick
      if (down === price) return price
      if (!up) return down
      // toDec(tick) is [1, -d]
      const sum = decAdd(toDec(down), [1, -d])
      const out = sum && fromDec(sum)
      return out === undefined ? undefined : roundTo(out, 14)
    }
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

/**
 * For 1e-6 ≤ x < 2^52 / p, p = 10^d (x prints without exponent or sign): the q with q / p ≤ x < (q + 1) / p, which is
 * the shortest text of x cut after d decimals. Reading decimals is monotone, so (q + 1) × 10^-d lies above that text
 * and, unless q / p === x, q × 10^-d below it; q / p === x means a d-decimal text reads back as x, and then the shortest
 * text has at most d decimals.
 */
function floorTicks(x: number, p: number): number {
  let q = Math.floor(x * p)
  while (q / p > x) q--
  while ((q + 1) / p <= x) q++
  return q
}

/** Ticks seen so far and their `decimalsOfPowerOfTen` (a market has one tick per precision: few distinct values). */
const tickDecimals = new Map<number, number | undefined>()

/** d for a tick of 10^-d (d ≥ 0), else undefined. */
function decimalsOfPowerOfTen(tick: number): number | undefined {
  const known = tickDecimals.get(tick)
  if (known !== undefined || tickDecimals.has(tick)) return known
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
