import { newNaNColumn } from '../frame/columns.ts'
import type { Frame } from '../frame/frame.ts'

/**
 * String tags (`enter_tag`, `exit_tag`) on a frame that holds only Float64Array columns: the column stores a code per
 * row (NaN = no tag, k = the k-th string of the column's dictionary) and the dictionary lives beside the frame.
 * Dictionaries are kept in a WeakMap keyed by frame, so Frame itself stays plain numbers; `tagDictionaries` and
 * `attachTagDictionaries` carry them across a worker boundary together with the frame's buffers.
 */
class TagDictionary {
  readonly strings: string[]
  private readonly codes = new Map<string, number>()

  constructor(strings: readonly string[] = []) {
    this.strings = [...strings]
    for (let i = 0; i < this.strings.length; i++) this.codes.set(this.strings[i], i)
  }

  code(tag: string): number {
    let c = this.codes.get(tag)
    if (c === undefined) {
      c = this.strings.length
      this.strings.push(tag)
      this.codes.set(tag, c)
    }
    return c
  }
}

const registry = new WeakMap<Frame, Map<string, TagDictionary>>()

function dictionaryOf(df: Frame, name: string): TagDictionary {
  let byName = registry.get(df)
  if (byName === undefined) {
    byName = new Map()
    registry.set(df, byName)
  }
  let dict = byName.get(name)
  if (dict === undefined) {
    dict = new TagDictionary()
    byName.set(name, dict)
  }
  return dict
}

/** A tag column of a frame: `TagColumn.of(df, 'enter_tag').fill(signal, 'ema_cross')`. */
export class TagColumn {
  private constructor(
    private readonly df: Frame,
    readonly name: string,
    private readonly dict: TagDictionary,
  ) {}

  /** The tag column `name` of `df`, created (all rows untagged) when the frame does not have it yet. */
  static of(df: Frame, name: string): TagColumn {
    if (!df.has(name)) df.set(name, newNaNColumn(df.length))
    return new TagColumn(df, name, dictionaryOf(df, name))
  }

  /** Tags row `index` (undefined or '' clears it). */
  set(index: number, tag: string | undefined): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.df.length) {
      throw new RangeError(`tag row ${index} is outside the frame (length ${this.df.length})`)
    }
    this.df.col(this.name)[index] = tag ? this.dict.code(tag) : Number.NaN
  }

  /** Tags every row where `mask` is non-zero (and not NaN) with `tag`; other rows keep their tag. */
  fill(mask: Float64Array, tag: string): void {
    const codes = this.df.col(this.name)
    if (mask.length !== codes.length) {
      throw new Error(`tag mask for '${this.name}' has length ${mask.length}, the frame has length ${codes.length}`)
    }
    const code = this.dict.code(tag)
    for (let i = 0; i < mask.length; i++) if (mask[i]) codes[i] = code
  }

  /** The tag of row `index`, or undefined when the row has none. */
  get(index: number): string | undefined {
    const code = this.df.col(this.name)[index]
    return Number.isNaN(code) ? undefined : this.dict.strings[code]
  }
}

/** The tag of row `index` in column `name`, or undefined (also when the frame has no such column). */
export function tagAt(df: Frame, name: string, index: number): string | undefined {
  if (!df.has(name)) return undefined
  const code = df.col(name)[index]
  if (Number.isNaN(code)) return undefined
  return registry.get(df)?.get(name)?.strings[code]
}

/** The dictionaries of every tag column, by column name, for sending beside `df.toTransferable()`. */
export function tagDictionaries(df: Frame): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, dict] of registry.get(df) ?? []) out[name] = [...dict.strings]
  return out
}

/** Gives `df` the dictionaries received with its buffers (the other side of `tagDictionaries`). */
export function attachTagDictionaries(df: Frame, dicts: Record<string, readonly string[]>): void {
  const byName = new Map<string, TagDictionary>()
  for (const [name, strings] of Object.entries(dicts)) byName.set(name, new TagDictionary(strings))
  registry.set(df, byName)
}
