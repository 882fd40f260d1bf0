import { CompressionType, compressionRegistry } from 'apache-arrow'
import { decodeLz4Frames } from './lz4frame.ts'

/** Zero-copy Buffer over a Uint8Array, as the native codec wants a Buffer. */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

let registered = false

/**
 * Teach apache-arrow to read and write LZ4-frame compressed record batches (what freqtrade's
 * `to_feather(compression='lz4')` produces). Writing uses lz4-napi's `compressFrameSync` (LZ4 frame
 * format, magic 04 22 4D 18; arrow checks the magic when the codec is registered). Reading uses our own
 * frame decoder, several times faster than the native binding's on column-sized buffers. The binding is
 * loaded here rather than on import (it takes a good part of a second), so readers that never get here,
 * such as loader workers on freqtrade's files, do not pay for it.
 */
export function registerLz4Codec(): void {
  if (registered) return
  const { compressFrameSync } = require('lz4-napi') as typeof import('lz4-napi')
  compressionRegistry.set(CompressionType.LZ4_FRAME, {
    encode: (data: Uint8Array) => compressFrameSync(asBuffer(data)),
    decode: (data: Uint8Array) => decodeLz4Frames(data),
  })
  registered = true
}
