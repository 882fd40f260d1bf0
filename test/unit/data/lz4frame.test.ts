import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeLz4Frames, decodeLz4FramesInto, type Lz4Engine } from '../../../src/data/lz4frame.ts'
import { nativeLz4 } from '../../../src/data/lz4native.ts'
import { rng } from '../../helpers/rng.ts'

const dir = mkdtempSync(join(tmpdir(), 'tern-lz4-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const hasLz4 = Bun.spawnSync(['lz4', '--version'], { stderr: 'ignore', stdout: 'ignore' }).exitCode === 0
if (!hasLz4) console.warn('skipping LZ4 reference-tool comparisons: no `lz4` command here')
const hasLiblz4 = nativeLz4() !== undefined
if (!hasLiblz4)
  console.warn('skipping the liblz4 block decoder: the library is not found here (TERN_LZ4=js or not installed)')

/** Both block decoders where the system has liblz4: every test runs with each. */
const ENGINES: Lz4Engine[] = hasLiblz4 ? ['auto', 'js'] : ['js']
const engineName = (e: Lz4Engine) => (e === 'auto' ? 'liblz4' : 'JavaScript')

/** Compress with the reference lz4 tool. */
function lz4(raw: Uint8Array, args: string[]): Uint8Array {
  const src = join(dir, 'raw.bin')
  writeFileSync(src, raw)
  const out = Bun.spawnSync(['lz4', ...args, '-c', src])
  if (out.exitCode !== 0) throw new Error(`lz4 ${args.join(' ')} failed: ${out.stderr}`)
  return new Uint8Array(out.stdout)
}

/** Inputs shaped like what the decoder meets, and its edge cases. */
function inputs(): [string, Uint8Array][] {
  const r = rng(7)
  const candles = new Float64Array(30_000)
  let p = 0.05
  for (let i = 0; i < candles.length; i++) {
    if (i % 5 === 0) candles[i] = 1_700_000_000_000 + (i / 5) * 300_000
    else {
      p *= 1 + (r() - 0.5) * 0.002
      candles[i] = Math.round(p * 1e6) / 1e6
    }
  }
  const text = new TextEncoder().encode('date,open,high,low,close,volume\n'.repeat(4000))
  const random = new Uint8Array(100_000).map(() => Math.floor(r() * 256))
  const runs = new Uint8Array(300_000)
  for (let i = 0; i < runs.length; i++) runs[i] = i % 3 === 0 ? 7 : Math.floor(i / 4096) % 256
  return [
    ['candle-like doubles', new Uint8Array(candles.buffer)],
    ['repeated text', text],
    ['random bytes (stored blocks)', random],
    ['long runs and period-3 patterns', runs],
    ['one byte', new Uint8Array([42])],
    ['empty', new Uint8Array(0)],
  ]
}

const SETTINGS: string[][] = [
  ['-1'],
  ['-9', '--content-size'],
  ['-1', '-B4', '-BD'], // 64 KB linked blocks: matches reach into the block before
  ['-9', '-B5', '-BD', '--content-size'],
  ['-1', '-B7', '--no-frame-crc'],
  ['-1', '-B4', '-BX'], // block checksums
]

describe.skipIf(!hasLz4).each(ENGINES.map((e) => [engineName(e), e] as const))(
  'frames from the reference lz4 tool decode to the input (%s)',
  (_name, engine) => {
    for (const [name, raw] of inputs()) {
      test(name, () => {
        for (const args of SETTINGS) {
          const frame = lz4(raw, args)
          expect(Buffer.from(decodeLz4Frames(frame, engine)).equals(Buffer.from(raw))).toBe(true)
          const into = new Uint8Array(raw.length)
          expect(decodeLz4FramesInto(frame, into, engine)).toBe(raw.length)
          expect(Buffer.from(into).equals(Buffer.from(raw))).toBe(true)
        }
      })
    }

    test('two frames back to back decode to both inputs, in order', () => {
      const a = new TextEncoder().encode('abcabcabc'.repeat(1000))
      const b = new TextEncoder().encode('xyz'.repeat(5000))
      const both = new Uint8Array([...lz4(a, ['-1']), ...lz4(b, ['-9'])])
      expect(new TextDecoder().decode(decodeLz4Frames(both, engine))).toBe(
        `${'abcabcabc'.repeat(1000)}${'xyz'.repeat(5000)}`,
      )
    })

    test('decoding into too small an array throws instead of writing past it', () => {
      const raw = inputs()[0][1]
      const frame = lz4(raw, ['-1'])
      expect(() => decodeLz4FramesInto(frame, new Uint8Array(raw.length - 1), engine)).toThrow(/lz4: corrupt/)
    })

    test('damaged frames throw an lz4 error or decode to something; they never hang or read out of bounds', () => {
      const raw = inputs()[0][1]
      const frame = lz4(raw, ['-1', '-B4', '-BD', '--content-size'])
      const r = rng(99)
      let threw = 0
      for (let k = 0; k < 1000; k++) {
        const bad = frame.slice()
        const flips = 1 + Math.floor(r() * 8)
        for (let f = 0; f < flips; f++) bad[4 + Math.floor(r() * (bad.length - 4))] = Math.floor(r() * 256)
        const cut = k % 3 === 0 ? bad.subarray(0, Math.floor(r() * bad.length)) : bad
        try {
          const out = decodeLz4Frames(cut, engine)
          expect(out.length).toBeLessThanOrEqual(raw.length)
        } catch (err) {
          expect((err as Error).message).toStartWith('lz4: ')
          threw++
        }
      }
      expect(threw).toBeGreaterThan(300)
    })
  },
)

test.skipIf(!hasLz4 || !hasLiblz4)('liblz4 decodes every block itself, linked blocks through the window', () => {
  const decode = nativeLz4()
  if (!decode) throw new Error('unreachable')
  const raw = inputs()[0][1]
  const frame = lz4(raw, ['-1', '-B4', '-BD']) // 64 KB blocks, each reaching back into the one before
  const out = new Uint8Array(raw.length)
  // FLG 0x40 | linked; BD; no content size; header checksum: blocks start at byte 7
  expect(frame[4] & 0x28).toBe(0)
  let p = 7
  let dp = 0
  let blocks = 0
  for (;;) {
    const word = new DataView(frame.buffer, frame.byteOffset).getUint32(p, true)
    p += 4
    if (word === 0) break
    const len = word & 0x7fffffff
    expect(word & 0x80000000).toBe(0) // candle doubles compress: no stored blocks
    dp = decode(frame, p, len, out, dp)
    expect(dp).toBeGreaterThan(0) // −1 would mean liblz4 refused it
    p += len
    blocks++
  }
  expect(blocks).toBeGreaterThan(3)
  expect(dp).toBe(raw.length)
  expect(Buffer.from(out).equals(Buffer.from(raw))).toBe(true)
  // damage: a match offset pointing before the output's start is refused, not read
  expect(decode(new Uint8Array([0x0f, 0xff, 0xff, 0, 0, 0, 0, 0]), 0, 8, new Uint8Array(64), 0)).toBe(-1)
})

test('a hand-made block: literals, an overlapping match, and the closing literals', () => {
  // Frame: magic, FLG 0x60 (v1, independent blocks), BD 0x40 (64 KB), header checksum byte (not checked).
  // Block: token 0x35 = 3 literals "abc" + match of 5+4 = 9 bytes at offset 3 ("abcabcabc"), then
  // token 0x20 = 2 literals "de". Decodes to "abc" + "abcabcabc" + "de".
  const block = [0x35, 0x61, 0x62, 0x63, 0x03, 0x00, 0x20, 0x64, 0x65]
  const frame = new Uint8Array([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x00, block.length, 0, 0, 0, ...block, 0, 0, 0, 0])
  // liblz4 refuses this block (its last match starts closer than 12 bytes to the end, against LZ4's end-of-block
  // rules), so with either engine the JavaScript decoder reads it
  for (const engine of ENGINES) expect(new TextDecoder().decode(decodeLz4Frames(frame, engine))).toBe('abcabcabcabcde')
})
