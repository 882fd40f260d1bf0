import { frameBuffers, recycleColumns } from '../frame/columns.ts'
import type { Frame } from '../frame/frame.ts'
import { attachTagDictionaries, tagDictionaries } from './tags.ts'

/** Which columns of a stored pair's analysis go back to the caller. */
export interface KeptColumns {
  /** Columns to return (default all). */
  keep?: readonly string[]
  /** Of the kept columns, those returned only when they hold a value (not all NaN), such as unused tag columns. */
  dropEmpty?: readonly string[]
}

const isEmpty = (c: Float64Array): boolean => {
  for (let i = 0; i < c.length; i++) if (!Number.isNaN(c[i])) return false
  return true
}

/**
 * The analysed frame cut to the kept columns. The buffers of the columns left out become this thread's spares
 * (`recycleColumns`), so the next pair analysed here decodes and computes into memory that is already mapped
 * instead of new pages. A buffer that a kept column also uses (whole or in part) is not
 * recycled.
 */
export function keptColumns(df: Frame, which: KeptColumns): Frame {
  if (which.keep === undefined && which.dropEmpty === undefined) return df
  const empty = new Set((which.dropEmpty ?? []).filter((name) => df.has(name) && isEmpty(df.col(name))))
  const kept = df.pick((which.keep ?? df.columns()).filter((name) => !empty.has(name)))
  // tag dictionaries belong to a frame object: the cut frame takes over those of its tag columns
  const dicts = Object.entries(tagDictionaries(df)).filter(([name]) => kept.has(name))
  attachTagDictionaries(kept, Object.fromEntries(dicts))
  const keptBuffers = new Set<ArrayBufferLike>(kept.columns().map((name) => kept.col(name).buffer))
  const dropped = df.pick(df.columns().filter((name) => !kept.has(name)))
  recycleColumns(frameBuffers([dropped]).filter((b) => !keptBuffers.has(b)))
  return kept
}
