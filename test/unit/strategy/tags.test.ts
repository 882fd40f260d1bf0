import { describe, expect, test } from 'bun:test'
import { Frame } from '../../../src/frame/frame.ts'
import { TagColumn, tagAt, tagDictionaries } from '../../../src/strategy/index.ts'
import { packFrame, unpackFrame } from '../../../src/strategy/transfer.ts'

describe('TagColumn', () => {
  test('stores tags as codes into a per-column dictionary, NaN for untagged rows', () => {
    const df = new Frame(5)
    const tags = TagColumn.of(df, 'enter_tag')
    tags.fill(Float64Array.from([0, 1, 0, 1, Number.NaN]), 'cross')
    tags.set(2, 'dip')
    tags.set(3, undefined)
    expect([...df.col('enter_tag')]).toEqual([Number.NaN, 0, 1, Number.NaN, Number.NaN])
    expect([0, 1, 2, 3, 4].map((i) => tagAt(df, 'enter_tag', i))).toEqual([
      undefined,
      'cross',
      'dip',
      undefined,
      undefined,
    ])
    expect(tags.get(1)).toBe('cross')
    expect(tagDictionaries(df)).toEqual({ enter_tag: ['cross', 'dip'] })
    expect(() => tags.set(5, 'x')).toThrow('outside the frame')
  })

  test('tags survive a pack/unpack round trip through a real worker', async () => {
    const df = new Frame(3)
    df.set('close', [1, 2, 3])
    TagColumn.of(df, 'exit_tag').set(1, 'roi')
    const worker = new Worker(
      URL.createObjectURL(new Blob(['self.onmessage = (e) => self.postMessage(e.data, e.data.buffers)'])),
    )
    const packed = packFrame(df)
    const echoed = await new Promise<ReturnType<typeof packFrame>>((resolve) => {
      worker.onmessage = (e) => resolve(e.data)
      worker.postMessage(packed, packed.buffers)
    })
    worker.terminate()
    expect(df.col('close').byteLength).toBe(0) // moved, not copied
    const back = unpackFrame(echoed)
    expect([...back.col('close')]).toEqual([1, 2, 3])
    expect(tagAt(back, 'exit_tag', 1)).toBe('roi')
    expect(tagAt(back, 'exit_tag', 0)).toBeUndefined()
  })
})
