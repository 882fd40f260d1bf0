import { describe, expect, test } from 'bun:test'
import { Writable } from 'node:stream'
import { createRootLogger, LogRing, logRing } from '../../../src/util/logger.ts'

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  return { stream, lines }
}

describe('LogRing', () => {
  test('keeps the newest capacity rows, oldest first; limit takes the newest', () => {
    const ring = new LogRing(3)
    for (let i = 1; i <= 5; i++) ring.push([`d${i}`, i, 'x', 'INFO', `m${i}`])
    expect(ring.last().map((r) => r[4])).toEqual(['m3', 'm4', 'm5'])
    expect(ring.last(2).map((r) => r[4])).toEqual(['m4', 'm5'])
    expect(ring.last(0)).toEqual([])
    expect(ring.last(10).length).toBe(3)
  })
})

describe('root logger', () => {
  test('JSON output carries the logger name and level; secrets are redacted at any depth', async () => {
    const { stream, lines } = capture()
    const root = createRootLogger({ format: 'json', destination: stream, level: 'info' })
    root
      .child({ name: 'tern.x' })
      .info(
        { password: 'pw-1', exchange: { secret: 's-2', key: 'k-3' }, api_server: { jwt_secret_key: 'j-4' } },
        'hello',
      )
    await Bun.sleep(5)
    const line = JSON.parse(lines.at(-1)!)
    expect(line.name).toBe('tern.x')
    expect(line.msg).toBe('hello')
    expect(line.level).toBe(30)
    for (const s of ['pw-1', 's-2', 'k-3', 'j-4']) expect(lines.join('\n')).not.toContain(s)
    expect(line.exchange.secret).toBe('[REDACTED]')
  })

  test('pretty output is human-readable text, not JSON', async () => {
    const { stream, lines } = capture()
    createRootLogger({ format: 'pretty', destination: stream }).child({ name: 'tern.y' }).warn('careful')
    await Bun.sleep(5)
    expect(lines.join('\n')).toContain('careful')
    expect(() => JSON.parse(lines[0]!)).toThrow()
  })

  test('every line also lands in the /logs ring with freqtrade level names', async () => {
    const { stream } = capture()
    const root = createRootLogger({ format: 'json', destination: stream, level: 'debug' })
    root.child({ name: 'tern.ring' }).debug('ring-debug')
    root.child({ name: 'tern.ring' }).fatal('ring-fatal')
    await Bun.sleep(5)
    const rows = logRing.last(2)
    expect(rows.map((r) => [r[2], r[3], r[4]])).toEqual([
      ['tern.ring', 'DEBUG', 'ring-debug'],
      ['tern.ring', 'CRITICAL', 'ring-fatal'],
    ])
  })
})
