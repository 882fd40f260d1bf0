import { describe, expect, test } from 'bun:test'
import {
  amountToPrecision,
  type Dec,
  preciseMul,
  priceToPrecision,
  round8,
  roundTo,
  TICK_SIZE,
  toDec,
} from '../../../src/domain/precision.ts'
import { openValue, Trade } from '../../../src/domain/trade.ts'
import { functions, Precise } from '../../../src/util/ccxtParts.ts'

// The arithmetic fast paths must give the very results of the text-based functions they replace, bit for bit. The
// text-based versions are kept here as the specification and both run over millions of values.

// ---- reference: the text-based implementations ----

function referenceToDec(x: number): Dec | undefined {
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

function referenceFromDec(d: Dec): number | undefined {
  const [m, e] = d
  if (e >= 0) return e <= 22 ? m * POW10[e] : undefined
  return -e <= 22 ? m / POW10[-e] : undefined
}

function referenceDecMul(a: Dec | undefined, b: Dec | undefined): Dec | undefined {
  if (a === undefined || b === undefined) return undefined
  const m = a[0] * b[0]
  return Number.isSafeInteger(m) ? [m, a[1] + b[1]] : undefined
}

function referenceAlign(a: Dec, b: Dec): [number, number, number] | undefined {
  const e = Math.min(a[1], b[1])
  if (a[1] - e > 22 || b[1] - e > 22) return undefined
  const x = a[0] * POW10[a[1] - e]
  const y = b[0] * POW10[b[1] - e]
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? [x, y, e] : undefined
}

function referenceDecAdd(a: Dec | undefined, b: Dec | undefined, sign = 1): Dec | undefined {
  if (a === undefined || b === undefined) return undefined
  const al = referenceAlign(a, b)
  if (al === undefined) return undefined
  const m = al[0] + sign * al[1]
  return Number.isSafeInteger(m) ? [m, al[2]] : undefined
}

function referencePreciseMul(a: number, b: number): number {
  const fast = referenceDecMul(referenceToDec(a), referenceToDec(b))
  const f = fast && referenceFromDec(fast)
  return f ?? Number(Precise.stringMul(String(a), String(b)))
}

function referenceRoundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x
  return Number(x.toFixed(digits))
}

function referenceRound8(x: number): number {
  return Number(x.toFixed(8))
}

function referenceCutDecimals(text: string, d: number): string | undefined {
  if (text.includes('e') || text.startsWith('-')) return undefined
  const dot = text.indexOf('.')
  if (dot < 0) return text
  return d === 0 ? text.slice(0, dot) : text.slice(0, dot + 1 + d)
}

function referenceDecimalsOfPowerOfTen(tick: number): number | undefined {
  const t = referenceToDec(tick)
  return t !== undefined && t[0] === 1 && t[1] <= 0 ? -t[1] : undefined
}

function referenceTruncateToTick(amount: number, tick: number): number | undefined {
  const d = referenceDecimalsOfPowerOfTen(tick)
  if (d !== undefined) {
    const cut = referenceCutDecimals(String(amount), d)
    return cut === undefined ? undefined : Number(cut)
  }
  const a = referenceToDec(amount)
  const t = referenceToDec(tick)
  if (a === undefined || t === undefined || t[0] <= 0) return undefined
  const al = referenceAlign(a, t)
  if (al === undefined) return undefined
  const [x, s, e] = al
  let n = Math.floor(x / s)
  if (n * s > x) n--
  else if ((n + 1) * s <= x) n++
  const m = n * s
  return Number.isSafeInteger(m) ? referenceFromDec([m, e]) : undefined
}

function referenceToTickDirected(price: number, tick: number, up: boolean): number | undefined {
  const d = referenceDecimalsOfPowerOfTen(tick)
  if (d !== undefined) {
    const text = String(price)
    const cut = referenceCutDecimals(text, d)
    if (cut === undefined) return undefined
    if (!/[1-9]/.test(text.slice(cut.length))) return price
    if (!up) return Number(cut)
    const sum = referenceDecAdd(referenceToDec(Number(cut)), referenceToDec(tick))
    const out = sum && referenceFromDec(sum)
    return out === undefined ? undefined : referenceRoundTo(out, 14)
  }
  const a = referenceToDec(price)
  const t = referenceToDec(tick)
  if (a === undefined || t === undefined || t[0] <= 0 || price < 0) return undefined
  const al = referenceAlign(a, t)
  if (al === undefined) return undefined
  const [x, s, e] = al
  const missing = x % s
  if (missing === 0) return price
  const m = x - missing + (up ? s : 0)
  if (!Number.isSafeInteger(m)) return undefined
  const out = referenceFromDec([m, e])
  return out === undefined ? undefined : referenceRoundTo(out, 14)
}

function referenceAmountToPrecision(amount: number, precision: number): number {
  if (amount >= 0) {
    const fast = referenceTruncateToTick(amount, precision)
    if (fast !== undefined) return fast
  }
  return Number(functions.decimalToPrecision(amount, functions.TRUNCATE, precision, functions.TICK_SIZE))
}

function referencePriceDirected(price: number, precision: number, up: boolean): number {
  const fast = referenceToTickDirected(price, precision, up)
  if (fast !== undefined) return fast
  const p = String(precision)
  const x = String(price)
  const missing = Precise.stringMod(x, p)
  if (Precise.stringEq(missing, '0')) return price
  const base = Precise.stringSub(x, missing)
  const out = up ? Precise.stringAdd(base, p) : base
  return referenceRoundTo(Number(out), 14)
}

function referenceOpenValue(amount: number, rate: number, fee: number): number {
  const otd = referenceDecMul(referenceToDec(amount), referenceToDec(rate))
  const fast = referenceDecAdd(otd, referenceDecMul(otd, referenceToDec(fee)))
  const f = fast && referenceFromDec(fast)
  if (f !== undefined) return f
  const ot = Precise.stringMul(String(amount), String(rate))
  return Number(Precise.stringAdd(ot, Precise.stringMul(ot, String(fee))))
}

function referenceCloseValue(amount: number, rate: number, fee: number): number {
  const ctd = referenceDecMul(referenceToDec(amount), referenceToDec(rate))
  const fast = referenceDecAdd(ctd, referenceDecMul(ctd, referenceToDec(fee)), -1)
  const f = fast && referenceFromDec(fast)
  if (f !== undefined) return f
  const ct = Precise.stringMul(String(amount), String(rate))
  return Number(Precise.stringSub(ct, Precise.stringMul(ct, String(fee))))
}

// ---- inputs ----

let seed = 0x9e3779b9
const rand32 = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed
}
/** Uniform in [0, 1) with all 53 bits random. */
const rand = () => ((rand32() >>> 5) * 2 ** 26 + (rand32() >>> 6)) / 2 ** 53
const randInt = (n: number) => Math.floor(rand() * n)

const f64 = new Float64Array(1)
const i64 = new BigInt64Array(f64.buffer)
/** x moved by `k` ulps (along the bit pattern; for negative x that is away from zero). */
function nudge(x: number, k: number): number {
  f64[0] = x
  i64[0] += BigInt(k)
  return f64[0]
}

const EDGES = [
  0,
  -0,
  1,
  -1,
  1e21,
  -1e21,
  1e22,
  1e-7,
  1e-6,
  1.0000000000000002e-6,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53,
  2 ** 52 + 0.5,
  2 ** 52 - 0.5,
  0.1 + 0.2,
  1.005,
  2.675,
  1.0049999999999999,
  0.000000015,
  0.00000001,
  0.000000005,
  0.000000025,
  0.123456785,
  -0.000000005,
  -1.005,
  -2.675,
  -0.1,
  0.1,
  0.5,
  -0.5,
  1.5,
  2.5,
  0.045,
  1234.5678,
  99999.99999,
  123456789012345680000,
  4.35,
  1.15,
  8.345,
  0.3,
  NaN,
  Infinity,
  -Infinity,
]

/** One value of a mix of kinds: tick prices, random doubles, near-decimal nudges, money math, ties, negatives. */
function value(): number {
  const kind = randInt(13)
  switch (kind) {
    case 0:
      return randInt(1e8) / 1000
    case 1:
      return randInt(1e10) / 1e8
    case 2:
      return rand() * 10 ** (randInt(25) - 12)
    case 3: {
      const x = randInt(1e7) / 10 ** randInt(14)
      return nudge(x, randInt(7) - 3)
    }
    case 4: {
      const amount = randInt(1e6) / 1000
      const rate = randInt(1e7) / 10 ** randInt(9)
      return amount * rate * (1 - 0.001)
    }
    case 5:
      return (randInt(1e6) + 1) / (randInt(1e7) / 10 ** randInt(8) + 1e-9)
    case 6: {
      // around the half-way points of 8 / 2 / 14 decimals
      const d = [8, 2, 14, 3, 0][randInt(5)]
      const x = (randInt(1e7) + 0.5) / 10 ** d
      return nudge(x, randInt(9) - 4)
    }
    case 7:
      return randInt(2 ** 30) * 2 ** randInt(40)
    case 8:
      return -value()
    case 9:
      return rand() * 10 ** (randInt(600) - 300)
    case 10:
      return randInt(1e9) / 10 ** randInt(23)
    case 11:
      // 16-digit mantissas past 2^52, where several decimals of that length can read back as the same float
      return Math.floor(2 ** 52 + rand() * 2 ** 52) / 10 ** (1 + randInt(15))
    default:
      return (randInt(1e6) / 1000) * (randInt(1e5) / 100)
  }
}

const sameNum = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? a === b : Object.is(a, b)
const sameDec = (a: Dec | undefined, b: Dec | undefined) =>
  a === undefined || b === undefined ? a === b : Object.is(a[0], b[0]) && Object.is(a[1], b[1])
/** The result, or 'throws' (ccxt throws on some inputs both versions send it). */
const outcome = (f: () => number): number | string => {
  try {
    return f()
  } catch {
    return 'throws'
  }
}

/** Runs `check` over the edge cases and `n` generated values; returns the first mismatches (none expected). */
function sweep(n: number, check: (x: number) => string | undefined): string[] {
  const bad: string[] = []
  const run = (x: number) => {
    const why = check(x)
    if (why !== undefined && bad.length < 5) bad.push(why)
  }
  for (const x of EDGES) {
    run(x)
    for (let k = -3; k <= 3; k++) if (Number.isFinite(x)) run(nudge(x, k))
  }
  for (let i = 0; i < n; i++) run(value())
  return bad
}

// large sweeps: generous time on a busy 2-core machine
const SWEEP_MS = 30_000

describe('fast decimal paths equal the text-based ones', () => {
  test(
    'toDec over 2,000,000 values',
    () => {
      const bad = sweep(2_000_000, (x) => {
        const got = toDec(x)
        const want = referenceToDec(x)
        return sameDec(got, want) ? undefined : `${x}: ${got} vs ${want}`
      })
      expect(bad).toEqual([])
      expect(toDec(-0)).toEqual([0, 0])
      expect(Object.is(toDec(-0)?.[0], 0)).toBe(true)
      expect(toDec(100)).toEqual([100, 0])
      expect(toDec(0.123)).toEqual([123, -3])
      expect(toDec(1.5e-7)).toEqual([15, -8])
      expect(toDec(-2.675)).toEqual([-2675, -3])
      expect(toDec(1e21)).toEqual([1, 21])
      expect(toDec(0.1 + 0.2)).toBeUndefined()
      expect(toDec(Number.NaN)).toBeUndefined()
    },
    SWEEP_MS,
  )

  test(
    'round8 over 2,000,000 values and roundTo(·, 0/2/3/14) over 400,000 each',
    () => {
      const bad = sweep(2_000_000, (x) => {
        const got = round8(x)
        const want = referenceRound8(x)
        return sameNum(got, want) ? undefined : `${x}: ${got} vs ${want}`
      })
      for (const d of [0, 2, 3, 14]) {
        bad.push(
          ...sweep(400_000, (x) => {
            const got = roundTo(x, d)
            const want = referenceRoundTo(x, d)
            return sameNum(got, want) ? undefined : `${x}/${d}: ${got} vs ${want}`
          }),
        )
      }
      expect(bad).toEqual([])
      // exact ties of the binary value round away from zero; a tie in decimal text only is no tie
      expect(round8(0.000000005)).toBe(1e-8)
      expect(round8(-0.000000005)).toBe(-1e-8)
      expect(roundTo(2.675, 2)).toBe(2.67)
      expect(roundTo(0.5, 0)).toBe(1)
      expect(Object.is(round8(-1e-10), -0)).toBe(true)
      expect(Object.is(round8(-0), 0)).toBe(true)
      expect(roundTo(2.5, 0.5)).toBe(referenceRoundTo(2.5, 0.5))
    },
    SWEEP_MS,
  )

  test(
    'amountToPrecision over 1,200,000 values and ticks',
    () => {
      const ticks = [1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-8, 1e-10, 1e-15, 1e-22, 1e-23, 0.5, 0.25, 0.05, 5, 10, 0.0005]
      let i = 0
      const bad = sweep(1_200_000, (x) => {
        const tick = ticks[i++ % ticks.length]
        // the ccxt fallback is slow: exponent-notation and negative amounts only on every 64th value
        if ((x < 1e-6 || x >= 1e21 || !(x >= 0)) && i % 64 !== 0) return undefined
        const got = outcome(() => amountToPrecision(x, tick))
        const want = outcome(() => referenceAmountToPrecision(x, tick))
        return Object.is(got, want) ? undefined : `${x}@${tick}: ${got} vs ${want}`
      })
      expect(bad).toEqual([])
      expect(amountToPrecision(1.23456, 0.001)).toBe(1.234)
      expect(amountToPrecision(2.675, 0.01)).toBe(2.67)
      expect(amountToPrecision(0.3, 0.1)).toBe(0.3)
    },
    SWEEP_MS,
  )

  test(
    'priceToPrecision up / down over 1,200,000 values and ticks',
    () => {
      const ticks = [1, 0.1, 0.01, 0.001, 1e-5, 1e-8, 1e-12, 1e-23, 0.5, 0.25, 0.05, 5]
      let i = 0
      const bad = sweep(1_200_000, (x) => {
        const tick = ticks[i % ticks.length]
        const up = (i++ >> 4) % 2 === 0
        if ((x < 1e-6 || x >= 1e21 || !(x >= 0)) && i % 64 !== 0) return undefined
        const got = outcome(() => priceToPrecision(x, tick, TICK_SIZE, up ? 'up' : 'down'))
        const want = outcome(() => referencePriceDirected(x, tick, up))
        return Object.is(got, want) ? undefined : `${x}@${tick} ${up ? 'up' : 'down'}: ${got} vs ${want}`
      })
      expect(bad).toEqual([])
      expect(priceToPrecision(1.2341, 0.001, TICK_SIZE, 'up')).toBe(1.235)
      expect(priceToPrecision(1.2341, 0.001, TICK_SIZE, 'down')).toBe(1.234)
      expect(priceToPrecision(1.234, 0.001, TICK_SIZE, 'up')).toBe(1.234)
    },
    SWEEP_MS,
  )

  test(
    'trade money math (stake, open value, close value, profit) over 60,000 trades',
    () => {
      const fees = [0.001, 0.00075, 0.0025, 0, 0.1 + 0.2, 0.000123456789]
      const bad: string[] = []
      for (let i = 0; i < 60_000; i++) {
        const amount = i % 5 === 0 ? Math.abs(value()) : randInt(1e7) / 1000
        const rate = i % 7 === 0 ? Math.abs(value()) : randInt(1e8) / 10 ** randInt(9)
        const exitRate = i % 3 === 0 ? rate * (1 + (rand() - 0.5) / 10) : randInt(1e8) / 10 ** randInt(9)
        if (!(amount > 1e-6 && amount < 1e12 && rate > 1e-6 && rate < 1e12 && exitRate > 1e-6)) continue
        const fee = fees[i % fees.length]
        const t = new Trade({ id: 1, pair: 'A/B', openDateMs: 0, openRate: rate, amount, feeOpen: fee, feeClose: fee })
        const ov = referenceOpenValue(amount, rate, fee)
        const cv = referenceCloseValue(amount, exitRate, fee)
        const checks: [string, number, number][] = [
          ['stake', t.stakeAmount, referencePreciseMul(amount, rate)],
          ['open', t.openTradeValue, ov],
          ['openValue', openValue(amount, rate, fee), ov],
          ['preciseMul', preciseMul(rate, exitRate), referencePreciseMul(rate, exitRate)],
          ['close', t.closeValue(exitRate), cv],
          ['profitAbs', t.profitAbs(exitRate), referenceRound8(cv - ov)],
        ]
        for (const [what, got, want] of checks)
          if (!Object.is(got, want) && bad.length < 5) bad.push(`${what} ${amount} ${rate} ${exitRate} ${fee}`)
      }
      expect(bad).toEqual([])
      // NaN and infinities still go through ccxt (which refuses them) in both versions
      for (const x of [Number.NaN, Infinity, -Infinity]) {
        expect(outcome(() => openValue(x, 2, 0.001))).toBe(outcome(() => referenceOpenValue(x, 2, 0.001)))
        expect(outcome(() => openValue(0.1 + 0.2, x, 0.001))).toBe(
          outcome(() => referenceOpenValue(0.1 + 0.2, x, 0.001)),
        )
        expect(outcome(() => preciseMul(x, 0.1 + 0.2))).toBe(outcome(() => referencePreciseMul(x, 0.1 + 0.2)))
      }
      // 17-digit texts: exact products past the safe range, read back once
      expect(openValue(3, 0.1 + 0.2, 0.001)).toBe(Number('0.90090000000000012012'))
      expect(preciseMul(0.1 + 0.2, 3)).toBe(Number('0.90000000000000012'))
    },
    SWEEP_MS,
  )
})
