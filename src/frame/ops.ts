import { timeframeToMs } from '../util/dates.ts'
import { newColumn, newNaNColumn } from './columns.ts'
import { Frame } from './frame.ts'

/** `a` moved `n` rows later (n > 0: out[i] = a[i-n]) or earlier (n < 0), NaN where nothing moved in (pandas shift). */
export function shift(a: Float64Array, n = 1): Float64Array {
  if (!Number.isInteger(n)) throw new RangeError(`shift amount must be a whole number, got ${n}`)
  const len = a.length
  const out = newNaNColumn(len)
  if (n >= 0) {
    for (let i = n; i < len; i++) out[i] = a[i - n]
  } else {
    for (let i = 0; i < len + n; i++) out[i] = a[i - n]
  }
  return out
}

/** 1 where `a` crosses above `b` on this row (a[i] > b[i] and a[i-1] <= b[i-1]), else 0; as qtpylib.crossed_above. */
export function crossedAbove(a: Float64Array, b: Float64Array | number): Float64Array {
  return crossed(a, b, 1)
}

/** 1 where `a` crosses below `b` on this row (a[i] < b[i] and a[i-1] >= b[i-1]), else 0; as qtpylib.crossed_below. */
export function crossedBelow(a: Float64Array, b: Float64Array | number): Float64Array {
  return crossed(a, b, -1)
}

function crossed(a: Float64Array, b: Float64Array | number, dir: 1 | -1): Float64Array {
  const len = a.length
  if (typeof b !== 'number' && b.length !== len) {
    throw new Error(`cannot compare series of length ${len} with one of length ${b.length}`)
  }
  const out = newColumn(len)
  // One plain loop per case, so the engine compiles each for its own types (a mixed loop runs several times slower
  // in some processes). Comparisons with NaN are false, so a row next to a missing value never counts (as pandas).
  if (typeof b === 'number') {
    if (dir === 1) for (let i = 1; i < len; i++) out[i] = a[i]! > b && a[i - 1]! <= b ? 1 : 0
    else for (let i = 1; i < len; i++) out[i] = a[i]! < b && a[i - 1]! >= b ? 1 : 0
  } else if (dir === 1) {
    for (let i = 1; i < len; i++) out[i] = a[i]! > b[i]! && a[i - 1]! <= b[i - 1]! ? 1 : 0
  } else {
    for (let i = 1; i < len; i++) out[i] = a[i]! < b[i]! && a[i - 1]! >= b[i - 1]! ? 1 : 0
  }
  return out
}

export interface MergeInformativeOptions {
  /** Carry the last informative row forward over base rows without an exact match (default true). */
  ffill?: boolean
  /** Name informative columns `<col>_<timeframe>` (default true). */
  appendTimeframe?: boolean
  /** Name informative columns `<col>_<suffix>` instead; not together with appendTimeframe. */
  suffix?: string
}

/**
 * Joins a slower informative frame onto a base frame without look-ahead, as freqtrade's `merge_informative_pair`.
 *
 * An informative candle opening at D is complete at D + infTf, so it is keyed at D + infTf - baseTf: the base candle
 * that opens then is the first whose close is not earlier than the informative close. Base rows take the informative
 * row whose key equals their date; with ffill, rows without a match take the last matched row (pandas `merge_ordered`
 * with `fill_method='ffill'`: an informative row whose key is not a base date is never used). Base columns are copied
 * and the result has the base frame's rows.
 */
export function mergeInformative(
  base: Frame,
  inf: Frame,
  baseTimeframe: string,
  infTimeframe: string,
  opts: MergeInformativeOptions = {},
): Frame {
  const ffill = opts.ffill ?? true
  const appendTimeframe = opts.appendTimeframe ?? true
  if (opts.suffix !== undefined && opts.appendTimeframe === true) {
    throw new Error('mergeInformative: appendTimeframe and suffix cannot both be set')
  }
  const suffix = opts.suffix ?? (appendTimeframe ? infTimeframe : undefined)
  const baseMs = timeframeToMs(baseTimeframe)
  const infMs = timeframeToMs(infTimeframe)
  if (baseMs > infMs) {
    throw new Error(
      `cannot merge a faster timeframe (${infTimeframe}) onto a slower one (${baseTimeframe}): it would add rows`,
    )
  }

  const infDate = inf.col('date')
  const keys = new Float64Array(inf.length)
  for (let j = 0; j < inf.length; j++) keys[j] = mergeKey(infDate[j], baseMs, infMs, infTimeframe)

  // For each base row, the informative row to take (-1: none). Both sides are sorted by date.
  const baseDate = base.col('date')
  const pick = new Int32Array(base.length)
  let j = 0
  let last = -1
  for (let i = 0; i < base.length; i++) {
    const d = baseDate[i]
    while (j < keys.length && keys[j] < d) j++
    if (j < keys.length && keys[j] === d) last = j
    else if (!ffill) {
      pick[i] = -1
      continue
    }
    pick[i] = last
  }

  const out = new Frame(base.length)
  for (const name of base.columns()) out.set(name, base.col(name).slice())
  for (const name of inf.columns()) {
    const src = inf.col(name)
    const dst = newColumn(base.length)
    for (let i = 0; i < base.length; i++) dst[i] = pick[i] < 0 ? Number.NaN : src[pick[i]]
    out.set(suffix === undefined ? name : `${name}_${suffix}`, dst)
  }
  return out
}

/** The base-candle open time at which an informative candle opening at `date` becomes visible. */
function mergeKey(date: number, baseMs: number, infMs: number, infTimeframe: string): number {
  if (baseMs === infMs) return date
  if (infTimeframe === '1M') {
    // A monthly candle closes at the next calendar month start (pandas MonthBegin(1)), not after a fixed 30 days.
    const d = new Date(date)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - baseMs
  }
  return date + infMs - baseMs
}
