import { nativeLz4 } from './lz4native.ts'

/**
 * LZ4 frame decoder (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md). Loading candles is
 * dominated by decompressing feather columns, and lz4-napi's frame decoder runs at a few hundred MB/s on
 * these buffers (its block decoder is no faster on candle data: the cost is the sequence count). This one
 * walks the frame and decodes straight into one output array, which also serves linked blocks (back
 * references into earlier blocks, as Arrow C++ may write them). Blocks go to the system's liblz4 where it
 * is found (`lz4native.ts`), else to the JavaScript block decoder below.
 */

/** Which block decoder: liblz4 where the system has it (`auto`), or always the JavaScript one (`js`). */
export type Lz4Engine = 'auto' | 'js'

const FRAME_MAGIC = 0x184d2204
const BLOCK_MAX: Record<number, number> = { 4: 65_536, 5: 262_144, 6: 1_048_576, 7: 4_194_304 }

const u32 = (b: Uint8Array, at: number): number =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0

const isSkippable = (magic: number): boolean => (magic & 0xfffffff0) === 0x184d2a50

/** What a frame header at `at` says, or where a skippable frame there ends. */
type FrameHeader =
  | { skipTo: number }
  | {
      skipTo?: undefined
      blockMax: number
      blockChecksum: boolean
      contentChecksum: boolean
      /** Decoded size, when the header gives it. */
      contentSize?: number
      /** Where the first block's size word is. */
      blocksAt: number
    }

/** Reads the frame header at `at`; throws when it is truncated or not a frame this decoder reads. */
function frameHeader(src: Uint8Array, at: number): FrameHeader {
  if (at + 8 > src.length) throw new Error('lz4: truncated frame header')
  const magic = u32(src, at)
  if (isSkippable(magic)) return { skipTo: at + 8 + u32(src, at + 4) }
  if (magic !== FRAME_MAGIC) throw new Error('lz4: bad frame magic')
  const flg = src[at + 4]
  const bd = src[at + 5]
  if (flg >> 6 !== 1) throw new Error('lz4: unsupported frame version')
  const blockMax = BLOCK_MAX[(bd >> 4) & 7]
  if (!blockMax) throw new Error('lz4: bad block size')
  let p = at + 6
  let contentSize: number | undefined
  if (flg & 0x08) {
    contentSize = u32(src, p) + u32(src, p + 4) * 4_294_967_296
    p += 8
  }
  if (flg & 0x01) p += 4 // dictionary id
  p += 1 // header checksum
  return { blockMax, blockChecksum: (flg & 0x10) !== 0, contentChecksum: (flg & 0x04) !== 0, contentSize, blocksAt: p }
}

interface FrameLayout {
  /** Total decoded size when the header says so, else an upper bound from the block count. */
  size: number
  exact: boolean
}

/** Walk a buffer of one or more frames to size the output before decoding. */
function measure(src: Uint8Array): FrameLayout {
  let at = 0
  let size = 0
  let exact = true
  while (at < src.length) {
    const h = frameHeader(src, at)
    if (h.skipTo !== undefined) {
      at = h.skipTo
      continue
    }
    if (h.contentSize !== undefined) size += h.contentSize
    let p = h.blocksAt
    for (;;) {
      if (p + 4 > src.length) throw new Error('lz4: truncated frame')
      const word = u32(src, p)
      p += 4
      if (word === 0) break
      const len = word & 0x7fffffff
      if (h.contentSize === undefined) {
        if (word & 0x80000000) size += len
        else {
          size += h.blockMax
          exact = false
        }
      }
      p += len + (h.blockChecksum ? 4 : 0)
    }
    at = p + (h.contentChecksum ? 4 : 0)
  }
  return { size, exact }
}

/** Margins that let the short-sequence path copy whole 4-byte words without reaching past either end. */
const SRC_MARGIN = 32
const DST_MARGIN = 40

/**
 * Decode one LZ4 block from src[sp, end) into dst at dp; returns the new dp. Candle columns decode into
 * millions of short sequences (0–6 literals, 4–10 byte matches), so the cost is per sequence: away from
 * both ends, a sequence with short literal and match lengths is copied in 4-byte words, writing a little
 * past its end (the next sequence overwrites that), with one offset check. Everything else takes the
 * careful path: byte copies for short runs, `set`/`copyWithin` for long ones.
 */
function decodeBlock(src: Uint8Array, sp: number, end: number, dst: Uint8Array, dp: number): number {
  const dstEnd = dst.length
  const sv = new DataView(src.buffer, src.byteOffset, src.byteLength)
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength)
  const safeSrc = end - SRC_MARGIN
  const safeDst = dstEnd - DST_MARGIN
  while (sp < end) {
    const token = src[sp++]
    let lit = token >>> 4
    if (lit < 15 && (token & 15) < 15 && sp <= safeSrc && dp <= safeDst) {
      if (lit !== 0) {
        dv.setUint32(dp, sv.getUint32(sp, true), true)
        if (lit > 4) {
          dv.setUint32(dp + 4, sv.getUint32(sp + 4, true), true)
          if (lit > 8) {
            dv.setUint32(dp + 8, sv.getUint32(sp + 8, true), true)
            dv.setUint32(dp + 12, sv.getUint32(sp + 12, true), true)
          }
        }
        dp += lit
        sp += lit
      }
      const offset = src[sp] | (src[sp + 1] << 8)
      sp += 2
      const len = (token & 15) + 4
      let from = dp - offset
      if (offset >= 4 && from >= 0) {
        // Each word read lies before the word written (offset >= 4), so overlapping matches come out right.
        dv.setUint32(dp, dv.getUint32(from, true), true)
        if (len > 4) {
          dv.setUint32(dp + 4, dv.getUint32(from + 4, true), true)
          if (len > 8) {
            dv.setUint32(dp + 8, dv.getUint32(from + 8, true), true)
            if (len > 12) {
              dv.setUint32(dp + 12, dv.getUint32(from + 12, true), true)
              dv.setUint32(dp + 16, dv.getUint32(from + 16, true), true)
            }
          }
        }
        dp += len
        continue
      }
      if (offset === 0 || from < 0) throw new Error('lz4: corrupt block (bad match offset)')
      const stop = dp + len
      while (dp < stop) dst[dp++] = dst[from++]
      continue
    }
    if (lit !== 0) {
      if (lit === 15) {
        let b: number
        do {
          b = src[sp++]
          lit += b
        } while (b === 255)
      }
      const litEnd = sp + lit
      // Negated so that NaN (a length byte read past the end) fails too.
      if (!(litEnd <= end && dp + lit <= dstEnd)) throw new Error('lz4: corrupt block (literals overrun)')
      if (lit < 256 && litEnd + 4 <= end && dp + lit + 4 <= dstEnd) {
        // Whole words; the up to 3 bytes written past the run are overwritten by the match that follows.
        for (let k = 0; k < lit; k += 4) dv.setUint32(dp + k, sv.getUint32(sp + k, true), true)
        dp += lit
        sp = litEnd
      } else if (lit < 32) while (sp < litEnd) dst[dp++] = src[sp++]
      else {
        dst.set(src.subarray(sp, litEnd), dp)
        dp += lit
        sp = litEnd
      }
    }
    if (sp >= end) break // the last sequence is literals only
    const offset = src[sp] | (src[sp + 1] << 8)
    sp += 2
    let len = (token & 15) + 4
    if (len === 19) {
      let b: number
      do {
        b = src[sp++]
        len += b
      } while (b === 255)
    }
    let from = dp - offset
    const stop = dp + len
    if (!(offset > 0 && from >= 0 && stop <= dstEnd && sp <= end)) throw new Error('lz4: corrupt block (bad match)')
    if (offset >= 4 && len <= 64 && stop + 4 <= dstEnd) {
      for (let k = 0; k < len; k += 4) dv.setUint32(dp + k, dv.getUint32(from + k, true), true)
      dp = stop
    } else if (len <= 32) while (dp < stop) dst[dp++] = dst[from++]
    else if (offset >= len) {
      dst.copyWithin(dp, from, from + len)
      dp = stop
    } else {
      // Overlapping match: the pattern repeats with period `offset`; copy it in doubling chunks.
      while (dp < stop) {
        const chunk = Math.min(stop - dp, dp - from)
        dst.copyWithin(dp, from, from + chunk)
        dp += chunk
      }
    }
  }
  return dp
}

/**
 * Decode a buffer holding LZ4 frames into `dst` (from its start); returns the number of bytes written.
 * Throws when the frames are truncated or malformed, or decode to more than `dst` holds. Checksums are
 * skipped (Arrow IPC has no use for them).
 */
export function decodeLz4FramesInto(src: Uint8Array, dst: Uint8Array, engine: Lz4Engine = 'auto'): number {
  const native = engine === 'auto' ? nativeLz4() : undefined
  let dp = 0
  let at = 0
  while (at < src.length) {
    const h = frameHeader(src, at)
    if (h.skipTo !== undefined) {
      at = h.skipTo
      continue
    }
    let p = h.blocksAt
    for (;;) {
      if (p + 4 > src.length) throw new Error('lz4: truncated frame')
      const word = u32(src, p)
      p += 4
      if (word === 0) break
      const len = word & 0x7fffffff
      if (p + len > src.length) throw new Error('lz4: truncated block')
      if (word & 0x80000000) {
        if (dp + len > dst.length) throw new Error('lz4: corrupt frame (block overruns content size)')
        dst.set(src.subarray(p, p + len), dp)
        dp += len
      } else {
        // liblz4 refuses damaged blocks, but also ones that break LZ4's end-of-block rules and an empty block with no
        // room left: the JavaScript decoder reads what it can of those and names what is wrong with the rest
        const next = native && dp < dst.length ? native(src, p, len, dst, dp) : -1
        dp = next >= 0 ? next : decodeBlock(src, p, p + len, dst, dp)
      }
      p += len + (h.blockChecksum ? 4 : 0)
    }
    at = p + (h.contentChecksum ? 4 : 0)
  }
  return dp
}

/** Decode a buffer holding LZ4 frames. Checksums are skipped (Arrow IPC has no use for them). */
export function decodeLz4Frames(src: Uint8Array, engine: Lz4Engine = 'auto'): Uint8Array {
  const measured = measure(src)
  const { exact } = measured
  // No LZ4 sequence grows more than 255-fold, so a larger size is a damaged header, not a reason to allocate.
  const most = src.length * 255 + 65_536
  if (exact && measured.size > most) throw new Error(`lz4: frame header claims ${measured.size} bytes, too many`)
  const size = Math.min(measured.size, most)
  const dst = new Uint8Array(size)
  const dp = decodeLz4FramesInto(src, dst, engine)
  if (exact && dp !== size) throw new Error(`lz4: frame decoded to ${dp} bytes, header says ${size}`)
  return exact ? dst : dst.subarray(0, dp)
}
