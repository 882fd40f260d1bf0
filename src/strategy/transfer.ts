import { Frame } from '../frame/frame.ts'
import { attachTagDictionaries, tagDictionaries } from './tags.ts'

/** A frame with its tag dictionaries, ready for `postMessage(packed, packed.buffers)`. */
export interface PackedFrame {
  length: number
  names: string[]
  buffers: ArrayBuffer[]
  tags: Record<string, string[]>
}

/** Packs a frame without copying its columns; after a transfer of `buffers` the frame is unusable. */
export function packFrame(df: Frame): PackedFrame {
  const { names, buffers } = df.toTransferable()
  return { length: df.length, names, buffers, tags: tagDictionaries(df) }
}

/** The frame on the receiving side of `packFrame`, tag dictionaries included. */
export function unpackFrame(p: PackedFrame): Frame {
  const df = new Frame(p.length)
  for (let i = 0; i < p.names.length; i++) df.set(p.names[i], new Float64Array(p.buffers[i]))
  attachTagDictionaries(df, p.tags)
  return df
}
