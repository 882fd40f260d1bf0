import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ManualClock, setClock } from '../../src/util/clock.ts'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'

// 2024-10-25 11:00:00 UTC
const NOW = Date.UTC(2024, 9, 25, 11, 0, 0)
const clock = new ManualClock(NOW)
let server: TestServer

beforeAll(async () => {
  setClock(clock)
  server = await startTestServer({ mode: 'trade', clock, config: { timeframe: '5m' } })
})
afterAll(async () => {
  await server.stop()
  const { RealClock } = await import('../../src/util/clock.ts')
  setClock(new RealClock())
})

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(server.url(path), {
    method,
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return {
    status: res.status,
    body: (await res.json()) as { lock_count: number; locks: Record<string, unknown>[] } & Record<string, unknown>,
  }
}

describe('locks', () => {
  test('POST /locks rounds until up to the next 5m boundary strictly after it, starting now', async () => {
    const res = await call('POST', '/locks', [
      { pair: 'ETH/USDT', until: '2024-10-25T12:00:00Z', reason: 'manual' },
      { pair: 'BTC/USDT', until: '2024-10-25 13:03:10+02:00', side: 'long' },
    ])
    expect(res.status).toBe(200)
    expect(res.body.lock_count).toBe(2)
    const [eth, btc] = res.body.locks
    // 12:00:00 is a boundary: the next one after it is 12:05:00
    expect(eth).toMatchObject({
      pair: 'ETH/USDT',
      side: '*',
      reason: 'manual',
      lock_time: '2024-10-25 11:00:00',
      lock_timestamp: NOW,
      lock_end_time: '2024-10-25 12:05:00',
      lock_end_timestamp: Date.UTC(2024, 9, 25, 12, 5),
      active: true,
    })
    // 13:03:10+02:00 = 11:03:10 UTC → 11:05:00
    expect(btc).toMatchObject({ pair: 'BTC/USDT', side: 'long', reason: null, lock_end_time: '2024-10-25 11:05:00' })
    expect(eth!.id).toBeNumber()
  })

  test('a naive until is refused with 422 timezone_aware and nothing is written', async () => {
    const before = (await call('GET', '/locks')).body.lock_count
    const res = await call('POST', '/locks', [
      { pair: 'XRP/USDT', until: '2024-10-25T12:00:00Z' },
      { pair: 'ADA/USDT', until: '2024-10-25T12:00:00' },
    ])
    expect(res.status).toBe(422)
    expect(res.body.detail).toEqual([
      {
        type: 'timezone_aware',
        loc: ['body', 1, 'until'],
        msg: 'Input should have timezone info',
        input: '2024-10-25T12:00:00',
      },
    ])
    expect((await call('GET', '/locks')).body.lock_count).toBe(before)
  })

  test('wrong types, a missing field and malformed JSON are 422 with the detail array', async () => {
    const missing = await call('POST', '/locks', [{ until: '2024-10-25T12:00:00Z' }])
    expect(missing.status).toBe(422)
    expect((missing.body.detail as { type: string; loc: unknown[] }[])[0]).toMatchObject({
      type: 'missing',
      loc: ['body', 0, 'pair'],
    })
    const notArray = await call('POST', '/locks', { pair: 'ETH/USDT', until: '2024-10-25T12:00:00Z' })
    expect(notArray.status).toBe(422)
    const malformed = await call('POST', '/locks', '[{"pair": ')
    expect(malformed.status).toBe(422)
    expect((malformed.body.detail as { type: string }[])[0]!.type).toBe('json_invalid')
    const badSide = await call('POST', '/locks', [{ pair: 'ETH/USDT', until: '2024-10-25T12:00:00Z', side: 'up' }])
    expect(badSide.status).toBe(422)
    expect((badSide.body.detail as { type: string; loc: unknown[] }[])[0]).toMatchObject({
      type: 'enum',
      loc: ['body', 0, 'side'],
    })
    const badId = await call('DELETE', '/locks/abc')
    expect(badId.status).toBe(422)
    expect((badId.body.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['path', 'lockid'])
  })

  test('locks end by themselves: after 11:05 only the ETH lock is listed', async () => {
    clock.set(Date.UTC(2024, 9, 25, 11, 5, 0))
    const res = await call('GET', '/locks')
    expect(res.body.locks.map((l) => l.pair)).toEqual(['ETH/USDT'])
  })

  test('DELETE /locks/{id} releases one lock; unknown ids are ignored', async () => {
    const id = (await call('GET', '/locks')).body.locks[0]!.id as number
    expect((await call('DELETE', '/locks/999999')).body.lock_count).toBe(1)
    const res = await call('DELETE', `/locks/${id}`)
    expect(res.status).toBe(200)
    expect(res.body.lock_count).toBe(0)
    expect(await server.bot!.pairLocks.isLocked('ETH/USDT', 'long', clock.now())).toBe(false)
  })

  test('POST /locks/delete by pair releases every side; by lockid wins over pair; neither does nothing', async () => {
    await call('POST', '/locks', [
      { pair: 'SOL/USDT', until: '2024-10-26T00:00:00Z', side: 'long' },
      { pair: 'SOL/USDT', until: '2024-10-26T00:00:00Z', side: 'short' },
      { pair: 'DOGE/USDT', until: '2024-10-26T00:00:00Z' },
    ])
    expect(await server.bot!.pairLocks.isLocked('SOL/USDT', 'short', clock.now())).toBe(true)
    expect((await call('POST', '/locks/delete', {})).body.lock_count).toBe(3)
    const doge = (await call('GET', '/locks')).body.locks.find((l) => l.pair === 'DOGE/USDT')!
    const byId = await call('POST', '/locks/delete', { pair: 'SOL/USDT', lockid: doge.id })
    expect(byId.body.locks.map((l) => l.pair)).toEqual(['SOL/USDT', 'SOL/USDT'])
    const byPair = await call('POST', '/locks/delete', { pair: 'SOL/USDT', lockid: null })
    expect(byPair.body.lock_count).toBe(0)
  })

  test('a global lock blocks every pair', async () => {
    await call('POST', '/locks', [{ pair: '*', until: '2024-10-26T00:00:00Z' }])
    expect(await server.bot!.pairLocks.isLocked('ANY/USDT', 'long', clock.now())).toBe(true)
  })
})
