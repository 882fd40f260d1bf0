import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { BASIC, PASSWORD, startTestServer, type TestServer, USER } from '../helpers/server.ts'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({
    mode: 'trade',
    config: {
      exchange: {
        name: 'binance',
        pair_whitelist: ['ETH/USDT', 'BTC/USDT', 'BNB/USDT'],
        pair_blacklist: ['DOGE/USDT', 'BNB/.*'],
      },
    },
  })
})
afterAll(() => server.stop())

type Json = Record<string, unknown>
const call = async (method: string, path: string, body?: unknown, on = server) => {
  const res = await fetch(on.url(path), {
    method,
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

describe('/whitelist', () => {
  test('the pairs the bot trades, their count and the pairlist handlers', async () => {
    expect((await call('GET', '/whitelist')).body).toEqual({
      whitelist: ['ETH/USDT', 'BTC/USDT', 'BNB/USDT'],
      length: 3,
      method: ['StaticPairList'],
    })
  })
})

describe('/blacklist', () => {
  test('GET lists the entries and, without a market list, expands them against the pairs the bot knows', async () => {
    expect((await call('GET', '/blacklist')).body).toEqual({
      blacklist: ['DOGE/USDT', 'BNB/.*'],
      // known pairs: the whitelist and the plain blacklist entries; BNB/.* matches BNB/USDT
      blacklist_expanded: ['DOGE/USDT', 'BNB/USDT'],
      length: 2,
      method: ['StaticPairList'],
      errors: {},
    })
  })

  test('POST appends valid pairs and patterns; duplicates and invalid patterns are reported, status 200', async () => {
    const res = await call('POST', '/blacklist', { blacklist: ['XRP/USDT', 'DOGE/USDT', '*/BTC', '.*/BTC'] })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      blacklist: ['DOGE/USDT', 'BNB/.*', 'XRP/USDT', '.*/BTC'],
      blacklist_expanded: ['DOGE/USDT', 'BNB/USDT', 'XRP/USDT'],
      length: 4,
      method: ['StaticPairList'],
      errors: {
        'DOGE/USDT': { error_msg: 'Pair DOGE/USDT already in pairlist.' },
        '*/BTC': { error_msg: 'Pair */BTC is not a valid wildcard.' },
      },
    })
    expect(server.bot!.blacklist).toEqual(['DOGE/USDT', 'BNB/.*', 'XRP/USDT', '.*/BTC'])
    const allRejected = await call('POST', '/blacklist', { blacklist: ['XRP/USDT'] })
    expect(allRejected.status).toBe(200)
    expect(allRejected.body.errors).toEqual({ 'XRP/USDT': { error_msg: 'Pair XRP/USDT already in pairlist.' } })
  })

  test('with the exchange market list, patterns expand against the markets', async () => {
    const bot = server.bot as unknown as { marketPairs?: () => string[] }
    bot.marketPairs = () => ['ETH/BTC', 'LTC/BTC', 'ETH/USDT', 'BNB/USDT', 'DOGE/USDT']
    const res = await call('GET', '/blacklist')
    bot.marketPairs = undefined
    expect(res.body.blacklist_expanded).toEqual(['DOGE/USDT', 'BNB/USDT', 'ETH/BTC', 'LTC/BTC'])
  })

  test('a bad POST body is 422 and changes nothing', async () => {
    const before = [...server.bot!.blacklist]
    expect((await call('POST', '/blacklist', {})).status).toBe(422)
    const notList = await call('POST', '/blacklist', { blacklist: 'ETH/USDT' })
    expect(notList.status).toBe(422)
    expect((notList.body.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'blacklist'])
    expect(server.bot!.blacklist).toEqual(before)
  })

  test('DELETE removes repeated pairs_to_delete keys, reports absent ones; a single key works too', async () => {
    const res = await call('DELETE', '/blacklist?pairs_to_delete=XRP/USDT&pairs_to_delete=NOPE/USDT')
    expect(res.status).toBe(200)
    expect(res.body.blacklist).toEqual(['DOGE/USDT', 'BNB/.*', '.*/BTC'])
    expect(res.body.errors).toEqual({ 'NOPE/USDT': { error_msg: 'Pair NOPE/USDT is not in the current blacklist.' } })
    const single = await call('DELETE', `/blacklist?pairs_to_delete=${encodeURIComponent('.*/BTC')}`)
    expect(single.body).toMatchObject({ blacklist: ['DOGE/USDT', 'BNB/.*'], length: 2, errors: {} })
    const none = await call('DELETE', '/blacklist')
    expect(none.body).toMatchObject({ blacklist: ['DOGE/USDT', 'BNB/.*'], errors: {} })
  })

  test('in webserver mode the lists answer 502 "Bot is not in the correct state"', async () => {
    const web = await startTestServer({ mode: 'webserver' })
    try {
      for (const [method, path] of [
        ['GET', '/whitelist'],
        ['GET', '/blacklist'],
        ['DELETE', '/blacklist?pairs_to_delete=X/Y'],
      ] as const) {
        const res = await call(method, path, undefined, web)
        expect({ path, status: res.status }).toEqual({ path, status: 502 })
      }
      const post = await call('POST', '/blacklist', { blacklist: ['ETH/USDT'] }, web)
      expect(post.body).toEqual({ error: 'Error querying /api/v1/blacklist: Bot is not in the correct state' })
    } finally {
      await web.stop()
    }
  })
})

describe('through the generated SDK', () => {
  test('whitelist and blacklist routes; repeated query keys for DELETE', async () => {
    const { createTernClient } = await import('../../openapi/client.ts')
    const client = createTernClient(server.base, { username: USER, password: PASSWORD })
    expect((await client.GET('/api/v1/whitelist')).data?.length).toBe(3)
    const added = await client.POST('/api/v1/blacklist', { body: { blacklist: ['ADA/USDT', 'SOL/USDT'] } })
    expect(added.data?.blacklist).toEqual(['DOGE/USDT', 'BNB/.*', 'ADA/USDT', 'SOL/USDT'])
    const removed = await client.DELETE('/api/v1/blacklist', {
      params: { query: { pairs_to_delete: ['ADA/USDT', 'SOL/USDT'] } },
    })
    expect(removed.data).toMatchObject({ blacklist: ['DOGE/USDT', 'BNB/.*'], errors: {} })
    expect((await client.GET('/api/v1/blacklist')).data?.length).toBe(2)
  })
})
