import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'

let web: TestServer
let trade: TestServer

beforeAll(async () => {
  const config = { exchange: { name: 'sim', pair_whitelist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'DOGE/USDT'] } }
  web = await startTestServer({ mode: 'webserver', config })
  trade = await startTestServer({ mode: 'trade', config })
})
afterAll(async () => {
  await web.stop()
  await trade.stop()
})

async function call(server: TestServer, method: string, path: string, body?: unknown) {
  const res = await fetch(server.url(path), {
    method,
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function waitForJob(jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const job = await call(web, 'GET', `/background/${jobId}`)
    if (job.body.running === false) return job.body
    await Bun.sleep(50)
  }
  throw new Error('job did not finish')
}

describe('pairlist builder (webserver mode)', () => {
  test('/pairlists/available lists every pairlist plugin sorted, with FreqUI parameter descriptions', async () => {
    const { status, body } = await call(web, 'GET', '/pairlists/available')
    expect(status).toBe(200)
    const lists = body.pairlists as {
      name: string
      is_pairlist_generator: boolean
      params: Record<string, { type: string }>
    }[]
    const names = lists.map((p) => p.name)
    expect(names).toEqual([...names].sort())
    expect(names).toContain('VolumePairList')
    expect(names).toContain('AgeFilter')
    expect(lists.find((p) => p.name === 'StaticPairList')!.is_pairlist_generator).toBe(true)
    expect(lists.find((p) => p.name === 'AgeFilter')!.is_pairlist_generator).toBe(false)
    expect(lists.find((p) => p.name === 'VolumePairList')!.params.number_assets!.type).toBe('number')
  })

  test('evaluate runs in the background; a second one while running is refused; the result is the whitelist', async () => {
    const started = await call(web, 'POST', '/pairlists/evaluate', {
      pairlists: [{ method: 'StaticPairList' }],
      blacklist: ['DOGE/.*'],
      stake_currency: 'USDT',
    })
    expect(started.status).toBe(200)
    expect(started.body.status).toBe('Pairlist evaluation started in background.')
    const jobId = started.body.job_id as string
    const again = await call(web, 'POST', '/pairlists/evaluate', {
      pairlists: [{ method: 'StaticPairList' }],
      blacklist: [],
      stake_currency: 'USDT',
    })
    expect(again.status).toBe(400)
    expect(again.body).toEqual({ detail: 'Pairlist evaluation is already running.' })
    const early = await call(web, 'GET', `/pairlists/evaluate/${jobId}`)
    if (early.status === 400) expect(early.body).toEqual({ detail: 'Job not finished yet.' })
    const job = await waitForJob(jobId)
    expect(job).toMatchObject({ job_id: jobId, job_category: 'pairlist', status: 'success', running: false })
    const result = await call(web, 'GET', `/pairlists/evaluate/${jobId}`)
    expect(result.body).toEqual({
      status: 'success',
      error: null,
      result: { method: ['StaticPairList'], length: 3, whitelist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] },
    })
    const list = await call(web, 'GET', '/background')
    expect((list.body as unknown as { job_id: string }[]).map((j) => j.job_id)).toContain(jobId)
  })

  test('an unknown pairlist fails the job with its reason', async () => {
    const started = await call(web, 'POST', '/pairlists/evaluate', {
      pairlists: [{ method: 'NoSuchList' }],
      blacklist: [],
      stake_currency: 'USDT',
    })
    const job = await waitForJob(started.body.job_id as string)
    expect(job.status).toBe('failed')
    const result = await call(web, 'GET', `/pairlists/evaluate/${started.body.job_id}`)
    expect(result.body.status).toBe('failed')
    expect(String(result.body.error)).toContain('NoSuchList')
    expect(result.body.result).toBeNull()
  })

  test('unknown job ids: 404 Job not found.; a missing required field: 422', async () => {
    expect((await call(web, 'GET', '/pairlists/evaluate/nope')).body).toEqual({ detail: 'Job not found.' })
    expect((await call(web, 'GET', '/background/nope')).status).toBe(404)
    const bad = await call(web, 'POST', '/pairlists/evaluate', { pairlists: [], stake_currency: 'USDT' })
    expect(bad.status).toBe(422)
  })

  test('trade mode: 503 Bot is not in the correct state. (after authentication)', async () => {
    for (const path of ['/pairlists/available', '/background']) {
      const res = await call(trade, 'GET', path)
      expect(res.status).toBe(503)
      expect(res.body).toEqual({ detail: 'Bot is not in the correct state.' })
    }
    const unauth = await fetch(trade.url('/pairlists/available'))
    expect(unauth.status).toBe(401)
  })
})

describe('catalogues (any mode)', () => {
  test('/exchanges lists ccxt exchanges and the simulator', async () => {
    const { body } = await call(trade, 'GET', '/exchanges')
    const rows = body.exchanges as unknown as { classname: string; supported: boolean; trade_modes: unknown[] }[]
    const sim = rows.find((r) => r.classname === 'sim')!
    expect(sim.supported).toBe(true)
    expect(rows.find((r) => r.classname === 'binance')!.trade_modes).toEqual([
      { trading_mode: 'spot', margin_mode: '' },
    ])
    expect(rows.length).toBeGreaterThan(50)
  })

  test('/freqaimodels and both hyperopt loss paths answer empty lists', async () => {
    expect((await call(web, 'GET', '/freqaimodels')).body).toEqual({ freqaimodels: [] })
    expect((await call(web, 'GET', '/hyperoptloss')).body).toEqual({ loss_functions: [] })
    expect((await call(web, 'GET', '/hyperopt-loss')).body).toEqual({ loss_functions: [] })
  })
})
