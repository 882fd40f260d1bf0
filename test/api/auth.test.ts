import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { jwt } from '@elysiajs/jwt'
import { wallClock } from '../../src/util/clock.ts'
import { BASIC, PASSWORD, startTestServer, type TestServer, USER } from '../helpers/server.ts'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ mode: 'webserver' })
})
afterAll(() => server.stop())

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url(path), { headers })
const post = (path: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(server.url(path), { method: 'POST', headers, body })

async function login(): Promise<{ access_token: string; refresh_token: string }> {
  const res = await post('/token/login', { authorization: BASIC }, '{}')
  expect(res.status).toBe(200)
  return res.json() as Promise<{ access_token: string; refresh_token: string }>
}

/** A token signed with the server's key but with chosen claims (expired, wrong type ...). */
function forge(claims: Record<string, unknown>, secret = 'test-secret-key-0123456789'): Promise<string> {
  return jwt({ name: 'jwt', secret }).decorator.jwt.sign(claims as never)
}

describe('private routes', () => {
  test('without credentials: 401 Unauthorized and no Basic challenge (it would pop a browser dialog)', async () => {
    const res = await get('/version')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ detail: 'Unauthorized' })
    expect(res.headers.get('www-authenticate')).toBeNull()
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  test('wrong password and wrong user: 401 Unauthorized', async () => {
    for (const creds of [`${USER}:wrong`, `someone:${PASSWORD}`, `${USER}:`]) {
      const res = await get('/version', { authorization: `Basic ${btoa(creds)}` })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ detail: 'Unauthorized' })
    }
  })

  test('a Basic payload that is not base64 user:pass: 401 with WWW-Authenticate: Basic', async () => {
    for (const token of ['%%%not-base64', btoa('no-colon-here')]) {
      const res = await get('/version', { authorization: `Basic ${token}` })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ detail: 'Invalid authentication credentials' })
      expect(res.headers.get('www-authenticate')).toBe('Basic')
    }
  })

  test('correct Basic credentials are accepted', async () => {
    const res = await get('/version', { authorization: BASIC })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ version: expect.any(String) })
  })

  test('a Bearer access token from /token/login is accepted', async () => {
    const { access_token } = await login()
    const res = await get('/show_config', { authorization: `Bearer ${access_token}` })
    expect(res.status).toBe(200)
  })

  test('expired, wrongly signed, refresh-typed or identity-less tokens: 401 Could not validate credentials', async () => {
    const now = Math.floor(wallClock.now() / 1000)
    const bad = [
      await forge({ identity: { u: USER }, type: 'access', exp: now - 10 }),
      await forge({ identity: { u: USER }, type: 'access', exp: now + 600 }, 'another-secret'),
      (await login()).refresh_token,
      await forge({ type: 'access', exp: now + 600 }),
      'not.a.jwt',
    ]
    for (const token of bad) {
      const res = await get('/version', { authorization: `Bearer ${token}` })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ detail: 'Could not validate credentials' })
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
  })

  test('authentication comes before validation: a bad query without credentials is 401, not 422', async () => {
    const res = await get('/logs?limit=abc')
    expect(res.status).toBe(401)
  })
})

describe('/ping', () => {
  test('is public and ignores a bad or expired Bearer token', async () => {
    const expired = await forge({ identity: { u: USER }, type: 'access', exp: Math.floor(wallClock.now() / 1000) - 5 })
    for (const headers of [{}, { authorization: 'Bearer garbage' }, { authorization: `Bearer ${expired}` }] as Record<
      string,
      string
    >[]) {
      const res = await get('/ping', headers)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ status: 'pong' })
    }
  })
})

describe('/token/login', () => {
  test('returns an access token of 15 minutes and a refresh token of 30 days, with freqtrade claims', async () => {
    const { access_token, refresh_token } = await login()
    const decode = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString())
    const header = JSON.parse(Buffer.from(access_token.split('.')[0]!, 'base64url').toString())
    expect(header.alg).toBe('HS256')
    const access = decode(access_token)
    const refresh = decode(refresh_token)
    expect(access.identity).toEqual({ u: USER })
    expect(access.type).toBe('access')
    expect(refresh.type).toBe('refresh')
    expect(access.exp - access.iat).toBe(15 * 60)
    expect(refresh.exp - refresh.iat).toBe(30 * 24 * 3600)
  })

  test('accepts no body, {} and null alike', async () => {
    for (const body of [undefined, '{}', 'null']) {
      const res = await post('/token/login', { authorization: BASIC, 'content-type': 'application/json' }, body)
      expect(res.status).toBe(200)
    }
  })

  test('without Basic: 401 Not authenticated with a Basic challenge; wrong password: no challenge', async () => {
    const none = await post('/token/login')
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({ detail: 'Not authenticated' })
    expect(none.headers.get('www-authenticate')).toBe('Basic')
    const wrong = await post('/token/login', { authorization: `Basic ${btoa(`${USER}:nope`)}` })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({ detail: 'Incorrect username or password' })
    expect(wrong.headers.get('www-authenticate')).toBeNull()
  })
})

describe('/token/refresh', () => {
  test('gives exactly a new access token, and seven concurrent refreshes all succeed', async () => {
    const { refresh_token } = await login()
    const results = await Promise.all(
      Array.from({ length: 7 }, () => post('/token/refresh', { authorization: `Bearer ${refresh_token}` }, 'null')),
    )
    for (const res of results) {
      expect(res.status).toBe(200)
      const body = (await res.json()) as Record<string, string>
      expect(Object.keys(body)).toEqual(['access_token'])
      const ok = await get('/version', { authorization: `Bearer ${body.access_token}` })
      expect(ok.status).toBe(200)
    }
  })

  test('an access token, a missing token or an expired refresh token: 401 with a Bearer challenge', async () => {
    const { access_token } = await login()
    const expired = await forge({ identity: { u: USER }, type: 'refresh', exp: Math.floor(wallClock.now() / 1000) - 1 })
    for (const headers of [
      { authorization: `Bearer ${access_token}` },
      {},
      { authorization: `Bearer ${expired}` },
    ] as Record<string, string>[]) {
      const res = await post('/token/refresh', headers)
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ detail: 'Could not validate credentials' })
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
  })
})
