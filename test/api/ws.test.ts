import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'

let server: TestServer
const WS_TOKEN = 'static-ws-token-42'

beforeAll(async () => {
  server = await startTestServer({
    mode: 'trade',
    config: {
      api_server: { ws_token: [WS_TOKEN, 'second-token'] },
      exchange: { name: 'binance', pair_whitelist: ['ETH/USDT', 'BTC/USDT', 'XRP/USDT'], pair_blacklist: ['XRP/USDT'] },
    },
  })
})
afterAll(() => server.stop())

/** A client that collects messages; `next()` waits for the next one. */
function connect(
  token: string,
): Promise<{ ws: WebSocket; next: (ms?: number) => Promise<unknown>; received: unknown[] }> {
  const ws = new WebSocket(`${server.base.replace('http', 'ws')}/api/v1/message/ws?token=${encodeURIComponent(token)}`)
  const received: unknown[] = []
  const waiters: ((m: unknown) => void)[] = []
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data))
    const waiter = waiters.shift()
    if (waiter) waiter(m)
    else received.push(m)
  }
  const next = (ms = 1000) =>
    received.length
      ? Promise.resolve(received.shift())
      : new Promise((resolve, reject) => {
          waiters.push(resolve)
          setTimeout(() => reject(new Error('no message')), ms)
        })
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve({ ws, next, received })
    ws.onerror = () => reject(new Error('refused'))
  })
}

describe('/api/v1/message/ws', () => {
  test('a wrong or missing token is refused at the handshake', async () => {
    await expect(connect('wrong')).rejects.toThrow('refused')
    await expect(connect('')).rejects.toThrow('refused')
  })

  test('ws_token (any of a list): subscribe, request the whitelist, get pushed only subscribed types', async () => {
    const { ws, next, received } = await connect('second-token')
    ws.send(JSON.stringify({ type: 'subscribe', data: ['whitelist', 'entry_fill', 'new_candle'] }))
    ws.send(JSON.stringify({ type: 'whitelist', data: '' }))
    // the configured whitelist without the blacklisted pair
    expect(await next()).toEqual({ type: 'whitelist', data: ['ETH/USDT', 'BTC/USDT'] })
    server.bot!.events.emit({ type: 'status', status: 'not subscribed' })
    server.bot!.setWhitelist(['ETH/USDT'])
    expect(await next()).toEqual({ type: 'whitelist', data: ['ETH/USDT'] })
    server.bot!.events.emit({ type: 'new_candle', data: ['ETH/USDT', '5m', 'spot'] })
    expect(await next()).toEqual({ type: 'new_candle', data: ['ETH/USDT', '5m', 'spot'] })
    expect(received).toEqual([])
    ws.close()
  })

  test('a subscription naming an unknown type is ignored; malformed messages are ignored', async () => {
    const { ws, next } = await connect(WS_TOKEN)
    ws.send(JSON.stringify({ type: 'subscribe', data: ['status'] }))
    ws.send(JSON.stringify({ type: 'subscribe', data: ['status', 'bogus'] }))
    ws.send('{not json')
    ws.send(JSON.stringify({ type: 'nonsense' }))
    // a reply to a request marks that the server has read everything sent before it
    ws.send(JSON.stringify({ type: 'whitelist', data: '' }))
    expect(((await next()) as { type: string }).type).toBe('whitelist')
    server.bot!.events.emit({ type: 'status', status: 'still subscribed to status' })
    expect(await next()).toEqual({ type: 'status', status: 'still subscribed to status' })
    ws.close()
  })

  test('an access JWT from /token/login is accepted as the token; a refresh token is not', async () => {
    const res = await fetch(server.url('/token/login'), { method: 'POST', headers: { authorization: BASIC } })
    const { access_token, refresh_token } = (await res.json()) as { access_token: string; refresh_token: string }
    const { ws } = await connect(access_token)
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
    await expect(connect(refresh_token)).rejects.toThrow('refused')
  })

  test('closed sockets stop listening on the bus', async () => {
    const before = server.bot!.events.size
    const { ws } = await connect(WS_TOKEN)
    expect(server.bot!.events.size).toBe(before + 1)
    ws.close()
    await Bun.sleep(50)
    expect(server.bot!.events.size).toBe(before)
  })
})
