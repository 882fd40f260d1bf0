import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

/** A read buffer larger than this is not kept between calls. */
const KEEP_MAX = 64 * 1_048_576

let kept = new Uint8Array(0)

/**
 * A buffer of at least `size` bytes, reused from call to call: valid only until the next call, so use it
 * synchronously. Reusing it spares the kernel a fresh multi-MB allocation (and its page faults) per file,
 * which costs as much as decoding the file.
 */
export function scratch(size: number): Uint8Array {
  if (kept.length >= size) return kept
  const buf = new Uint8Array(Math.max(size, Math.min(KEEP_MAX, kept.length * 2)))
  if (buf.length <= KEEP_MAX) kept = buf
  return buf
}

/** Fill `target` from byte `at` of the file; returns the bytes read (fewer only at the end of the file). */
export function preadFully(fd: number, target: Uint8Array, at: number): number {
  let got = 0
  while (got < target.length) {
    const n = readSync(fd, target, got, target.length - got, at + got)
    if (n === 0) break
    got += n
  }
  return got
}

/** The whole file, in the reused `scratch` buffer (valid until the next use of it). */
export function readFileReused(file: string): Uint8Array {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    const buf = scratch(size).subarray(0, size)
    return buf.subarray(0, preadFully(fd, buf, 0))
  } finally {
    closeSync(fd)
  }
}
