import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { rawRequest } from '../helpers/rawRequest.ts'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'

const ORIGIN = 'http://localhost:3000'
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ mode: 'webserver', config: { api_server: { CORS_origins: [ORIGIN] } } })
})
afterAll(() => server.stop())

const JSON_HEADERS = { authorization: BASIC, 'content-type': 'application/json', accept: 'application/json' }

describe('validation errors: 422 with the contract detail array, never 500', () => {
  test('a non-integer query value', async () => {
    const res = await fetch(server.url('/logs?limit=ten'), { headers: JSON_HEADERS })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      detail: [{ type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer', input: 'ten' }],
    })
  })
})

describe("the Python client's habits", () => {
  test('GET with a literal null body and JSON content type is answered normally', async () => {
    const res = await rawRequest(server.url('/show_config'), 'GET', JSON_HEADERS, 'null')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).api_version).toBe(2.4)
  })

  test("'None' and '' in the query mean absent", async () => {
    for (const q of ['limit=None', 'limit=']) {
      const res = await fetch(server.url(`/logs?${q}`), { headers: JSON_HEADERS })
      expect(res.status).toBe(200)
    }
  })
})

describe('routing errors', () => {
  test('unknown route under /api/v1: 404 Not Found', async () => {
    const res = await fetch(server.url('/no_such_route'), { headers: JSON_HEADERS })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ detail: 'Not Found' })
  })

  test('known path, wrong method: 405 Method Not Allowed with Allow', async () => {
    const res = await fetch(server.url('/show_config'), { method: 'DELETE', headers: JSON_HEADERS })
    expect(res.status).toBe(405)
    expect(await res.json()).toEqual({ detail: 'Method Not Allowed' })
    expect(res.headers.get('allow')).toBe('GET')
  })

  test('every JSON answer has exactly application/json as its content type', async () => {
    for (const path of ['/ping', '/show_config', '/nope', '/logs?limit=x']) {
      const res = await fetch(server.url(path), { headers: JSON_HEADERS })
      expect(res.headers.get('content-type')).toBe('application/json')
    }
  })
})

describe('CORS', () => {
  test('a listed origin is echoed with credentials, on success and on errors alike', async () => {
    for (const [path, status, headers] of [
      ['/show_config', 200, { authorization: BASIC }],
      ['/show_config', 401, {}],
      ['/nope', 404, { authorization: BASIC }],
      ['/logs?limit=x', 422, { authorization: BASIC }],
      ['/health', 502, { authorization: BASIC }],
    ] as const) {
      const res = await fetch(server.url(path), { headers: { ...headers, origin: ORIGIN } })
      expect(res.status).toBe(status)
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(res.headers.get('access-control-allow-credentials')).toBe('true')
      expect(res.headers.get('vary')).toContain('Origin')
    }
  })

  test('pre-flight from a listed origin: 200 without credentials, methods, echoed headers, max-age 600', async () => {
    const res = await fetch(server.url('/forceenter'), {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD')
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type')
    expect(res.headers.get('access-control-max-age')).toBe('600')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
  })

  test('pre-flight from another origin: 400; plain requests from it get no CORS headers', async () => {
    const pre = await fetch(server.url('/show_config'), {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    })
    expect(pre.status).toBe(400)
    const res = await fetch(server.url('/show_config'), {
      headers: { authorization: BASIC, origin: 'http://evil.example' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
