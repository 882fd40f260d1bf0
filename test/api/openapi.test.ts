import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import { PASSWORD, startTestServer, type TestServer, USER } from '../helpers/server.ts'
import { tempDir as makeTempDir } from '../helpers/tmp.ts'

const ROOT = join(import.meta.dir, '..', '..')
const committedDoc = readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8')
const tempDir = makeTempDir()
afterAll(tempDir.cleanup)

describe('the committed OpenAPI document and SDK', () => {
  test('openapi/openapi.json is what `tern openapi` generates (run `bun run sdk` after changing a route)', async () => {
    // a fresh process: Elysia annotates response schemas in place once routes have answered, and other test
    // files in this process have made requests
    const out = join(tempDir.path, 'openapi.json')
    const proc = Bun.spawn(['bun', join(ROOT, 'src/cli/main.ts'), 'openapi', '-o', out], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    expect(await proc.exited).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(committedDoc)
  })

  test('openapi/schema.d.ts is what openapi-typescript generates from it', async () => {
    const generated = astToString(await openapiTS(JSON.parse(committedDoc)))
    const committed = readFileSync(join(ROOT, 'openapi', 'schema.d.ts'), 'utf8')
    // the CLI adds its banner comment; compare the declarations
    expect(committed.slice(committed.indexOf('export interface paths'))).toBe(
      generated.slice(generated.indexOf('export interface paths')),
    )
  })

  test('every operation has a tag, a summary and a schema for 200; private ones declare 401 and 422', () => {
    const doc = JSON.parse(committedDoc) as {
      paths: Record<
        string,
        Record<
          string,
          { tags?: string[]; summary?: string; security?: unknown[]; responses: Record<string, { content?: unknown }> }
        >
      >
    }
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([m, op]) => ({ path, m, op })),
    )
    expect(operations.length).toBeGreaterThanOrEqual(8)
    for (const { path, op } of operations) {
      if (path === '/api/v1/message/ws') {
        // the websocket upgrade, tested in ws.test.ts
        expect(op.responses['101']).toBeDefined()
        continue
      }
      expect({ path, tags: op.tags?.length ?? 0 }).toEqual({ path, tags: 1 })
      expect(op.summary, path).toBeString()
      expect(op.responses['200']?.content, path).toBeDefined()
      const isPublic = Array.isArray(op.security)
      if (!isPublic) {
        expect(op.responses['401'], path).toBeDefined()
        expect(op.responses['422'], path).toBeDefined()
      }
    }
  })
})

describe('the SDK against a running server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ mode: 'trade', config: { initial_state: 'running', bot_name: 'sdk-bot' } })
  })
  afterAll(() => server.stop())

  test('logs in and calls every route of the document', async () => {
    const { createTernClient, loginTernClient } = await import('../../openapi/client.ts')
    const { client, refreshToken } = await loginTernClient(server.base, USER, PASSWORD)
    await server.bot!.iterate()

    const ping = await createTernClient(server.base).GET('/api/v1/ping')
    expect(ping.data).toEqual({ status: 'pong' })
    expect((await client.GET('/api/v1/version')).data?.version).toBe('0.1.0')
    const config = await client.GET('/api/v1/show_config')
    expect(config.data?.bot_name).toBe('sdk-bot')
    expect(config.data?.state).toBe('running')
    const sys = await client.GET('/api/v1/sysinfo')
    expect(sys.data?.cpu_pct.length).toBe(navigator.hardwareConcurrency)
    const health = await client.GET('/api/v1/health')
    expect(health.data?.last_process_ts).toBe(Math.floor(server.bot!.lastProcessMs! / 1000))
    const logs = await client.GET('/api/v1/logs', { params: { query: { limit: 1 } } })
    expect(logs.data?.log_count).toBe(1)
    const refreshed = await createTernClient(server.base, { accessToken: refreshToken }).POST('/api/v1/token/refresh', {
      body: null,
    })
    expect(refreshed.data?.access_token).toBeString()

    const wrong = await createTernClient(server.base, { username: USER, password: 'nope' }).GET('/api/v1/version')
    expect(wrong.response.status).toBe(401)
    expect(wrong.error).toEqual({ detail: 'Unauthorized' })

    for (const path of [
      '/api/v1/stop',
      '/api/v1/pause',
      '/api/v1/start',
      '/api/v1/stopbuy',
      '/api/v1/stopentry',
    ] as const) {
      expect((await client.POST(path, { body: {} })).data?.status).toBeString()
    }
    expect((await client.GET('/api/v1/show_config')).data?.max_open_trades).toBe(0)
    const added = await client.POST('/api/v1/locks', {
      body: [{ pair: 'ETH/USDT', until: '2099-01-01T00:00:00Z', side: 'long', reason: 'sdk' }],
    })
    expect(added.data?.locks[0]).toMatchObject({ pair: 'ETH/USDT', side: 'long', reason: 'sdk', active: true })
    expect((await client.GET('/api/v1/locks')).data?.lock_count).toBe(1)
    const lockid = added.data!.locks[0]!.id
    expect((await client.DELETE('/api/v1/locks/{lockid}', { params: { path: { lockid } } })).data?.lock_count).toBe(0)
    expect((await client.POST('/api/v1/locks/delete', { body: { pair: 'ETH/USDT' } })).data?.lock_count).toBe(0)
    expect((await client.POST('/api/v1/reload_config', { body: {} })).data).toEqual({ status: 'Reloading config ...' })

    // every path of the document was called above
    const called = [
      '/start',
      '/stop',
      '/pause',
      '/stopentry',
      '/stopbuy',
      '/reload_config',
      '/locks',
      '/locks/{lockid}',
      '/locks/delete',
      '/message/ws',
      '/ping',
      '/version',
      '/show_config',
      '/sysinfo',
      '/health',
      '/logs',
      '/token/login',
      '/token/refresh',
      // called in test/api/candles.test.ts ('the SDK')
      '/strategies',
      '/strategy/{strategy}',
      '/plot_config',
      '/available_pairs',
      '/pair_candles',
      '/pair_history',
      // called below ('webserver routes through the SDK')
      '/exchanges',
      '/freqaimodels',
      '/hyperoptloss',
      '/hyperopt-loss',
      '/pairlists/available',
      '/pairlists/evaluate',
      '/pairlists/evaluate/{jobid}',
      '/background',
      '/background/{jobid}',
      // called through the SDK below ('webserver routes through the SDK') and in test/api/backtest.test.ts
      '/backtest',
      '/backtest/abort',
      '/backtest/history',
      '/backtest/history/result',
      '/backtest/history/{file}',
      '/backtest/history/{file}/market_change',
      // called through the SDK in test/api/trades.test.ts, stats.test.ts and lists.test.ts ('through the generated SDK')
      '/status',
      '/trades',
      '/trade/{tradeid}',
      '/trades/{tradeid}',
      '/trades/{tradeid}/open-order',
      '/trades/{tradeid}/reload',
      '/count',
      '/forceenter',
      '/forcebuy',
      '/forceexit',
      '/forcesell',
      '/profit',
      '/performance',
      '/entries',
      '/exits',
      '/mix_tags',
      '/stats',
      '/daily',
      '/weekly',
      '/monthly',
      '/balance',
      '/whitelist',
      '/blacklist',
    ]
    expect(Object.keys(JSON.parse(committedDoc).paths).sort()).toEqual(called.map((p) => `/api/v1${p}`).sort())
  })
})

describe('webserver routes through the SDK', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      mode: 'webserver',
      config: { exchange: { name: 'sim', pair_whitelist: ['ETH/USDT'] } },
    })
  })
  afterAll(() => server.stop())

  test('catalogues, the pairlist builder and background jobs', async () => {
    const { createTernClient } = await import('../../openapi/client.ts')
    const client = createTernClient(server.base, { username: USER, password: PASSWORD })
    expect((await client.GET('/api/v1/exchanges')).data?.exchanges.some((e) => e.classname === 'sim')).toBe(true)
    expect((await client.GET('/api/v1/freqaimodels')).data).toEqual({ freqaimodels: [] })
    expect((await client.GET('/api/v1/hyperoptloss')).data).toEqual({ loss_functions: [] })
    expect((await client.GET('/api/v1/hyperopt-loss')).data).toEqual({ loss_functions: [] })
    expect((await client.GET('/api/v1/pairlists/available')).data?.pairlists.length).toBeGreaterThanOrEqual(12)
    const started = await client.POST('/api/v1/pairlists/evaluate', {
      body: { pairlists: [{ method: 'StaticPairList' }], blacklist: [], stake_currency: 'USDT' },
    })
    const jobid = started.data!.job_id
    let running = true
    for (let i = 0; i < 200 && running; i++) {
      const job = await client.GET('/api/v1/background/{jobid}', { params: { path: { jobid } } })
      running = job.data?.running ?? false
      if (running) await Bun.sleep(50)
    }
    expect((await client.GET('/api/v1/background')).data?.map((j) => j.job_id)).toEqual([jobid])
    const result = await client.GET('/api/v1/pairlists/evaluate/{jobid}', { params: { path: { jobid } } })
    expect(result.data?.result?.whitelist).toEqual(['ETH/USDT'])

    expect((await client.GET('/api/v1/backtest')).data?.status).toBe('not_started')
    expect((await client.GET('/api/v1/backtest/abort')).data?.status).toBe('not_running')
    expect((await client.DELETE('/api/v1/backtest')).data?.status).toBe('reset')
    expect((await client.GET('/api/v1/backtest/history')).data).toEqual([])
    const missing = await client.GET('/api/v1/backtest/history/result', {
      params: { query: { filename: 'none', strategy: 'EmaCross' } },
    })
    expect(missing.response.status).toBe(404)
    const file = { params: { path: { file: 'none' } } }
    expect((await client.DELETE('/api/v1/backtest/history/{file}', file)).response.status).toBe(404)
    const patch = await client.PATCH('/api/v1/backtest/history/{file}', { ...file, body: { strategy: 'EmaCross' } })
    expect(patch.response.status).toBe(404)
    expect((await client.GET('/api/v1/backtest/history/{file}/market_change', file)).response.status).toBe(404)
    const run = await client.POST('/api/v1/backtest', {
      body: { strategy: 'NoSuchStrategy', enable_protections: false },
    })
    expect(run.data?.status).toBe('running')
  })
})
