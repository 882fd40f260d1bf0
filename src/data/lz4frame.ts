/**
 * LZ4 frame decoder (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md). Loading candles is
 * dominated by decompressing feather columns, and the native binding's frame decoder runs at a few hundred
 * MB/s on these buffers (its block decoder is no faster on candle data: the cost is the sequence count).
 * This one walks the frame and decodes straight into one output array, which also serves linked blocks
 * (back references into earlier blocks, as Arrow C++ may write them).
 */

const FRAME_MAGIC = 0x184d2204
const BLOCK_MAX: Record<number, number> = { 4: 65_536, 5: 262_144, 6: 1_048_576, 7: 4_194_304 }

const u32 = (b: Uint8Array, at: number): number =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0

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
    const magic = u32(src, at)
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + u32(src, at + 4) // skippable frame
      continue
    }
    if (magic !== FRAME_MAGIC) throw new Error('lz4: bad frame magic')
    const flg = src[at + 4]
    const bd = src[at + 5]
    if (flg >> 6 !== 1) throw new Error('lz4: unsupported frame version')
    const blockMax = BLOCK_MAX[(bd >> 4) & 7]
    if (!blockMax) throw new Error('lz4: bad block size')
    const blockChecksum = (flg & 0x10) !== 0
    const hasSize = (flg & 0x08) !== 0
    const contentChecksum = (flg & 0x04) !== 0
    let p = at + 6
    if (hasSize) {
      size += u32(src, p) + u32(src, p + 4) * 4_294_967_296
      p += 8
    }
    if (flg & 0x01) p += 4 // dictionary id
    p += 1 // header checksum
    for (;;) {
      if (p + 4 > src.length) throw new Error('lz4: truncated frame')
      const word = u32(src, p)
      p += 4
      if (word === 0) break
      const len = word & 0x7fffffff
      if (!hasSize) {
        if (word & 0x80000000) size += len
        else {
          size += blockMax
          exact = false
        }
      }
      p += len + (blockChecksum ? 4 : 0)
    }
    at = p + (contentChecksum ? 4 : 0)
  }
  return { size, exact }
}

/** Decode one LZ4 block from src[sp, end) into dst at dp; returns the new dp. */
function decodeBlock(src: Uint8Array, sp: number, end: number, dst: Uint8Array, dp: number): number {
  while (sp < end) {
    const token = src[sp++]
    let lit = token >>> 4
    if (lit === 15) {
      let b = 255
      while (b === 255) {
        b = src[sp++]
        lit += b
      }
    }
    if (lit > 0) {
      if (sp + lit > end || dp + lit > dst.length) throw new Error('lz4: corrupt block (literals overrun)')
      if (lit > 32) dst.set(src.subarray(sp, sp + lit), dp)
      else for (let i = 0; i < lit; i++) dst[dp + i] = src[sp + i]
      sp += lit
      dp += lit
    }
    if (sp >= end) break // the last sequence is literals only
    const offset = src[sp] | (src[sp + 1] << 8)
    sp += 2
    let len = (token & 15) + 4
    if (len === 19) {
      let b = 255
      while (b === 255) {
        b = src[sp++]
        len += b
      }
    }
    const from = dp - offset
    if (offset === 0 || from < 0 || dp + len > dst.length) throw new Error('lz4: corrupt block (bad match)')
    if (len <= 16) {
      for (let i = 0; i < len; i++) dst[dp + i] = dst[from + i]
      dp += len
    } else if (offset >= len) {
      dst.copyWithin(dp, from, from + len)
      dp += len
    } else {
      // Overlapping match: the pattern repeats with period `offset`; copy it in doubling chunks.
      const stop = dp + len
      while (dp < stop) {
        const chunk = Math.min(stop - dp, dp - from)
        dst.copyWithin(dp, from, from + chunk)
        dp += chunk
      }
    }
  }
  return dp
}

/** Decode a buffer holding LZ4 frames. Checksums are skipped (Arrow IPC has no use for them). */
export function decodeLz4Frames(src: Uint8Array): Uint8Array {
  const { size, exact } = measure(src)
  const dst = new Uint8Array(size)
  let dp = 0
  let at = 0
  while (at < src.length) {
    const magic = u32(src, at)
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + u32(src, at + 4)
      continue
    }
    const flg = src[at + 4]
    let p = at + 6 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1
    const blockChecksum = (flg & 0x10) !== 0
    for (;;) {
      const word = u32(src, p)
      p += 4
      if (word === 0) break
      const len = word & 0x7fffffff
      if (word & 0x80000000) {
        if (dp + len > dst.length) throw new Error('lz4: corrupt frame (block overruns content size)')
        dst.set(src.subarray(p, p + len), dp)
        dp += len
      } else {
        dp = decodeBlock(src, p, p + len, dst, dp)
      }
      p += len + (blockChecksum ? 4 : 0)
    }
    at = p + (flg & 0x04 ? 4 : 0)
  }
  if (exact && dp !== size) throw new Error(`lz4: frame decoded to ${dp} bytes, header says ${size}`)
  return exact ? dst : dst.subarray(0, dp)
}
