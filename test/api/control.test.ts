import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { rawRequest } from '../helpers/rawRequest.ts'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'

let trade: TestServer
let web: TestServer

beforeAll(async () => {
  trade = await startTestServer({ mode: 'trade', config: { initial_state: 'stopped', max_open_trades: 3 } })
  web = await startTestServer({ mode: 'webserver' })
})
afterAll(async () => {
  await trade.stop()
  await web.stop()
})

const post = async (server: TestServer, path: string, body?: string) => {
  const res = await fetch(server.url(path), {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body,
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const state = async () =>
  (await (await fetch(trade.url('/show_config'), { headers: { authorization: BASIC } })).json()) as Record<
    string,
    unknown
  >

describe('bot control', () => {
  test('start / stop answer as freqtrade and move the state', async () => {
    expect((await post(trade, '/start')).body).toEqual({ status: 'starting trader ...' })
    expect((await state()).state).toBe('running')
    expect((await post(trade, '/start', 'null')).body).toEqual({ status: 'already running' })
    expect((await post(trade, '/stop', '{}')).body).toEqual({ status: 'stopping trader ...' })
    expect((await post(trade, '/stop')).body).toEqual({ status: 'already stopped' })
    expect((await state()).state).toBe('stopped')
  })

  test('pause from stopped or running gives paused; start returns to running', async () => {
    const paused = { status: 'paused, no more entries will occur from now. Run /start to enable entries.' }
    expect((await post(trade, '/pause')).body).toEqual(paused)
    expect((await state()).state).toBe('paused')
    expect((await post(trade, '/pause')).body).toEqual(paused)
    expect((await post(trade, '/start')).body).toEqual({ status: 'starting trader ...' })
    expect((await state()).state).toBe('running')
  })

  test('stopentry and its alias stopbuy set max_open_trades to 0 while running', async () => {
    expect((await state()).max_open_trades).toBe(3)
    const message = { status: 'No more entries will occur from now. Run /reload_config to reset.' }
    expect((await post(trade, '/stopbuy')).body).toEqual(message)
    expect((await state()).max_open_trades).toBe(0)
    expect((await post(trade, '/stopentry')).body).toEqual(message)
  })

  test('a literal null body from the Python client is accepted on body-less POSTs', async () => {
    const res = await rawRequest(
      trade.url('/stop'),
      'POST',
      { authorization: BASIC, 'content-type': 'application/json' },
      'null',
    )
    expect(res.status).toBe(200)
  })

  test('webserver mode: every control route answers 502 Bot is not in the correct state', async () => {
    for (const path of ['/start', '/stop', '/pause', '/stopentry', '/stopbuy', '/reload_config']) {
      const res = await post(web, path)
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: `Error querying /api/v1${path}: Bot is not in the correct state` })
    }
  })

  test('reload_config marks the bot for rebuilding and ends its loop', async () => {
    expect((await post(trade, '/reload_config')).body).toEqual({ status: 'Reloading config ...' })
    expect(trade.bot!.state).toBe('reload_config')
    expect(trade.bot!.reloadRequested).toBe(true)
    // the loop ends at once instead of waiting out its throttle
    const t0 = performance.now()
    await trade.bot!.run()
    expect(performance.now() - t0).toBeLessThan(1000)
  })
})
