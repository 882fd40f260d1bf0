import { frameBuffers, recycleColumns } from '../frame/columns.ts'
import type { Frame } from '../frame/frame.ts'
import { attachTagDictionaries, tagDictionaries } from './tags.ts'

/** Which columns of a stored pair's analysis go back to the caller, and how. */
export interface KeptColumns {
  /** Columns to return (default all). */
  keep?: readonly string[]
  /** Of the kept columns, those returned only when they hold a value (not all NaN), such as unused tag columns. */
  dropEmpty?: readonly string[]
  /** Of the kept columns, signal columns returned as one byte per row (`asFlags`) instead of eight. */
  asFlags?: readonly string[]
  /** Of the kept columns, tag columns returned as integer codes (`asCodes`) instead of Float64. */
  asCodes?: readonly string[]
  /**
   * A timeframe in ms: a kept `date` column that is that grid (each row one timeframe after the one before, the first
   * on a multiple of it, as candles are once gaps are filled) is not returned, only where it starts (`dates`); the
   * caller rebuilds it, and many pairs can share one array of dates.
   */
  gridDates?: number
}

/** A `date` column left out because it is a regular grid: `count` dates from `startMs`, `stepMs` apart. */
export interface DateSpan {
  startMs: number
  count: number
  stepMs: number
}

/** A tag column's codes (−1 where untagged), in the narrowest type that holds its largest code. */
export type TagCodes = Int8Array | Int16Array | Int32Array

/** Kept columns returned narrower than Float64, by name (see `KeptColumns`). */
export interface NarrowColumns {
  flags: Record<string, Uint8Array>
  codes: Record<string, TagCodes>
}

/** A stored analysis as it goes back: the frame of its kept Float64 columns, its narrowed columns, its date grid. */
export interface KeptFrame {
  frame: Frame
  narrow?: NarrowColumns
  /** Set when the `date` column was left out (see `KeptColumns.gridDates`). */
  dates?: DateSpan
}

/** The span of a date column that is a grid of `stepMs` on multiples of it, else undefined. */
export function gridSpan(date: Float64Array, stepMs: number): DateSpan | undefined {
  const n = date.length
  if (n === 0 || !(stepMs > 0) || date[0] % stepMs !== 0) return undefined
  const start = date[0]
  for (let i = 1; i < n; i++) if (date[i] !== start + i * stepMs) return undefined
  return { startMs: start, count: n, stepMs }
}

/** A signal column as one byte per row: 1 where the value is 1 (a signal), else 0, as every signal rule reads it. */
export function asFlags(c: Float64Array): Uint8Array {
  const out = new Uint8Array(c.length)
  for (let i = 0; i < c.length; i++) if (c[i] === 1) out[i] = 1
  return out
}

/**
 * A tag column's codes (−1 where untagged, NaN in the frame), one byte per row while a strategy uses fewer than 128
 * tags: new memory is what a stored analysis pays for most (a page fault per 4 kB), and Int32 would take four. One
 * pass in bytes; a column with a code past 127 is done again in a wider type.
 */
export function asCodes(c: Float64Array): TagCodes {
  const out = new Int8Array(c.length)
  for (let i = 0; i < c.length; i++) {
    const v = c[i]
    if (Number.isNaN(v)) out[i] = -1
    else if (v < 128) out[i] = v
    else return widerCodes(c)
  }
  return out
}

function widerCodes(c: Float64Array): TagCodes {
  let most = -1
  for (let i = 0; i < c.length; i++) if (c[i] > most) most = c[i]
  const out = most < 32_768 ? new Int16Array(c.length) : new Int32Array(c.length)
  for (let i = 0; i < c.length; i++) out[i] = Number.isNaN(c[i]) ? -1 : c[i]
  return out
}

const isEmpty = (c: Float64Array): boolean => {
  for (let i = 0; i < c.length; i++) if (!Number.isNaN(c[i])) return false
  return true
}

/**
 * The analysed frame cut to the kept columns, the narrowed ones apart. What crosses back to the caller is all the
 * memory a stored analysis keeps (new memory costs a page fault per 4 kB, and moving it between threads a garbage
 * collection), so signals go as bytes, tags as small integer codes, and regular dates as where they start. The buffers
 * of every column not returned as it is become this thread's spares (`recycleColumns`): the next pair analysed here
 * decodes and computes into memory already mapped. A buffer that a returned column also uses (whole or in part), or one
 * in `protect` (frames that outlive this analysis, such as informative candles a strategy set as a column), is not
 * recycled.
 */
export function keptColumns(df: Frame, which: KeptColumns, protect?: ReadonlySet<ArrayBufferLike>): KeptFrame {
  if (
    which.keep === undefined &&
    which.dropEmpty === undefined &&
    !which.asFlags &&
    !which.asCodes &&
    which.gridDates === undefined
  )
    return { frame: df }
  const empty = new Set((which.dropEmpty ?? []).filter((name) => df.has(name) && isEmpty(df.col(name))))
  const wanted = which.keep ?? df.columns()
  const dates =
    which.gridDates !== undefined && df.has('date') && wanted.includes('date')
      ? gridSpan(df.col('date'), which.gridDates)
      : undefined
  const names = wanted.filter((name) => df.has(name) && !empty.has(name) && !(dates && name === 'date'))
  const flagNames = names.filter((name) => which.asFlags?.includes(name))
  const codeNames = names.filter((name) => which.asCodes?.includes(name))
  const kept = df.pick(names.filter((name) => !flagNames.includes(name) && !codeNames.includes(name)))
  // tag dictionaries belong to a frame object: the cut frame takes over those of its tag columns, coded or not
  const dicts = Object.entries(tagDictionaries(df)).filter(([name]) => kept.has(name) || codeNames.includes(name))
  attachTagDictionaries(kept, Object.fromEntries(dicts))
  const narrow: NarrowColumns | undefined =
    flagNames.length + codeNames.length === 0
      ? undefined
      : {
          flags: Object.fromEntries(flagNames.map((name) => [name, asFlags(df.col(name))])),
          codes: Object.fromEntries(codeNames.map((name) => [name, asCodes(df.col(name))])),
        }
  const keptBuffers = new Set<ArrayBufferLike>(kept.columns().map((name) => kept.col(name).buffer))
  const dropped = df.pick(df.columns().filter((name) => !kept.has(name)))
  recycleColumns(frameBuffers([dropped]).filter((b) => !keptBuffers.has(b) && !protect?.has(b)))
  const out: KeptFrame = { frame: kept }
  if (narrow) out.narrow = narrow
  if (dates) out.dates = dates
  return out
}

/** The buffers of narrowed columns, to move with the frame's. */
export function narrowBuffers(narrow: NarrowColumns | undefined): ArrayBuffer[] {
  if (!narrow) return []
  return [...Object.values(narrow.flags), ...Object.values(narrow.codes)].map((a) => a.buffer as ArrayBuffer)
}
