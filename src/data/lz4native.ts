import { dlopen, FFIType, ptr } from 'bun:ffi'

/**
 * The system's liblz4 (the reference C implementation) as an LZ4 block decoder, through `bun:ffi`. Candle columns
 * decode into millions of short sequences, where the C decoder runs two to three times faster than the JavaScript
 * one in `lz4frame.ts` and needs no JIT warm-up in each fresh worker. The library is looked up once per thread; where
 * it is missing (or `TERN_LZ4=js` is set) the JavaScript decoder does the work, with the same results.
 */

/**
 * Decodes the block src[sp, sp + len) into dst at dp (which must leave room), with dst[0, dp) as the window for back
 * references; returns the new dp, or −1 where liblz4 refuses the block.
 */
export type BlockDecoder = (src: Uint8Array, sp: number, len: number, dst: Uint8Array, dp: number) => number

/** Where liblz4 is found on each platform: the soname first, then the usual install folders. */
const LIBRARY_NAMES: Record<string, string[]> = {
  linux: ['liblz4.so.1', 'liblz4.so'],
  darwin: ['liblz4.1.dylib', '/opt/homebrew/lib/liblz4.1.dylib', '/usr/local/lib/liblz4.1.dylib'],
  win32: ['liblz4.dll', 'lz4.dll'],
}

/** How far back an LZ4 match may reach. */
const WINDOW = 65_536
const INT32_MAX = 0x7fff_ffff

let cached: BlockDecoder | null | undefined

/** liblz4's block decoder, or undefined where the library cannot be loaded or `TERN_LZ4=js` asks for JavaScript. */
export function nativeLz4(): BlockDecoder | undefined {
  if (cached === undefined) cached = process.env.TERN_LZ4 === 'js' ? null : open()
  return cached ?? undefined
}

function open(): BlockDecoder | null {
  for (const name of LIBRARY_NAMES[process.platform] ?? []) {
    try {
      const lib = dlopen(name, {
        // int LZ4_decompress_safe_usingDict(const char* src, char* dst, int srcSize, int dstCapacity,
        //                                   const char* dictStart, int dictSize)
        LZ4_decompress_safe_usingDict: {
          args: [FFIType.ptr, FFIType.ptr, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.i32],
          returns: FFIType.i32,
        },
      })
      return decoderOf(lib.symbols.LZ4_decompress_safe_usingDict)
    } catch {
      // not under this name: try the next
    }
  }
  return null
}

type UsingDict = (src: number, dst: number, srcSize: number, cap: number, dict: number, dictSize: number) => number

function decoderOf(usingDict: UsingDict): BlockDecoder {
  return (src, sp, len, dst, dp) => {
    const room = dst.length - dp
    // the output written so far, right before dst + dp, is the window: liblz4 then decodes in place ("prefix" mode),
    // which also serves linked blocks; it never reads outside src[sp, sp + len) nor writes past dst's end
    const dict = Math.min(dp, WINDOW)
    const dstAt = ptr(dst, dp)
    const written = usingDict(ptr(src, sp), dstAt, len, Math.min(room, INT32_MAX), dstAt - dict, dict)
    return written < 0 ? -1 : dp + written
  }
}
