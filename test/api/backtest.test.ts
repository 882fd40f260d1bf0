import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { storePairHistory } from '../../src/data/index.ts'
import { allocOhlcv } from '../../src/frame/ohlcv.ts'
import { logRing } from '../../src/util/logger.ts'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'
import { tempDir } from '../helpers/tmp.ts'

const data = tempDir('tern-bt-data-')
let web: TestServer
let trade: TestServer

/** A deterministic zig-zag with enough swings for EMA crosses: 4,000 5m candles from 2024-01-01. */
function candles(base: number) {
  const n = 4000
  const c = allocOhlcv(n)
  for (let i = 0; i < n; i++) {
    const price = base * (1 + 0.03 * Math.sin(i / 40) + 0.01 * Math.sin(i / 7))
    c.date[i] = Date.UTC(2024, 0, 1) + i * 300_000
    c.open[i] = price
    c.close[i] = price * (1 + 0.001 * Math.sin(i))
    c.high[i] = Math.max(c.open[i]!, c.close[i]!) * 1.002
    c.low[i] = Math.min(c.open[i]!, c.close[i]!) * 0.998
    c.volume[i] = 100 + (i % 13)
  }
  return c
}

beforeAll(async () => {
  for (const [pair, base] of [
    ['ETH/USDT', 2000],
    ['BTC/USDT', 40000],
  ] as const) {
    await storePairHistory({ datadir: data.path, pair, timeframe: '5m', format: 'feather', candles: candles(base) })
  }
  const config = {
    datadir: data.path,
    stake_currency: 'USDT',
    stake_amount: 100,
    dry_run_wallet: 1000,
    max_open_trades: 2,
    analysis_workers: 0,
    exchange: { name: 'sim', pair_whitelist: ['ETH/USDT', 'BTC/USDT'] },
  }
  web = await startTestServer({ mode: 'webserver', config })
  trade = await startTestServer({ mode: 'trade', config })
})
afterAll(async () => {
  await web.stop()
  await trade.stop()
  data.cleanup()
})

async function call(server: TestServer, method: string, path: string, body?: unknown) {
  const res = await fetch(server.url(path), {
    method,
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary JSON answers
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

describe('backtesting through the API (webserver mode)', () => {
  test('never run: not_started', async () => {
    expect((await call(web, 'GET', '/backtest')).body).toEqual({
      status: 'not_started',
      running: false,
      status_msg: 'Backtest not yet executed',
      step: '',
      progress: 0,
      trade_count: null,
      backtest_result: null,
    })
    expect((await call(web, 'GET', '/backtest/abort')).body.status).toBe('not_running')
  })

  test('a run: started, polled until it ends, then the result in freqtrade format', async () => {
    const request = {
      strategy: 'EmaCross',
      enable_protections: false,
      timerange: '20240102-',
      stake_amount: '100',
      max_open_trades: null,
    }
    // two at once: the second is handled while the first is still loading candles, and is refused
    const answers = await Promise.all([
      call(web, 'POST', '/backtest', request),
      call(web, 'POST', '/backtest', request),
    ])
    const [started, again] = answers.sort((a, b) => a.status - b.status) as [(typeof answers)[0], (typeof answers)[0]]
    expect(started.status).toBe(200)
    expect(started.body).toMatchObject({
      status: 'running',
      running: true,
      step: 'startup',
      status_msg: 'Backtest started',
    })
    expect(again.status).toBe(502)
    expect(again.body.error).toBe('Error querying /api/v1/backtest: Bot Background task already running')
    let poll = await call(web, 'GET', '/backtest')
    for (let i = 0; i < 300 && poll.body.running; i++) {
      await Bun.sleep(50)
      poll = await call(web, 'GET', '/backtest')
    }
    expect(poll.body).toMatchObject({ status: 'ended', running: false, step: 'finished', progress: 1 })
    const result = poll.body.backtest_result
    const s = result.strategy.EmaCross
    expect(s.total_trades).toBeGreaterThan(0)
    expect(s.trades.length).toBe(s.total_trades)
    expect(s.stake_amount).toBe(100)
    expect(s.starting_balance).toBe(1000)
    expect(s.results_per_pair.at(-1).key).toBe('TOTAL')
    expect(result.metadata.EmaCross.filename).toBeString()
    expect(result.strategy_comparison[0].key).toBe('EmaCross')
  })

  test('history: list, one result, notes, market change, delete', async () => {
    const history = (await call(web, 'GET', '/backtest/history')).body as unknown as {
      filename: string
      strategy: string
    }[]
    expect(history.length).toBe(1)
    const [{ filename, strategy }] = history as [{ filename: string; strategy: string }]
    expect(strategy).toBe('EmaCross')
    const one = await call(web, 'GET', `/backtest/history/result?filename=${filename}&strategy=EmaCross`)
    expect(one.body).toMatchObject({ status: 'ended', running: false, status_msg: 'Historic result', progress: 1 })
    expect(one.body.backtest_result.metadata.EmaCross.filename).toBe(filename)
    const noted = await call(web, 'PATCH', `/backtest/history/${filename}`, { strategy: 'EmaCross', notes: 'good run' })
    expect(noted.body).toEqual([expect.objectContaining({ filename, notes: 'good run' })])
    const wrong = await call(web, 'PATCH', `/backtest/history/${filename}`, { strategy: 'Other', notes: 'x' })
    expect(wrong.status).toBe(400)
    expect(wrong.body).toEqual({ detail: 'Strategy not in metadata.' })
    const market = await call(web, 'GET', `/backtest/history/${filename}/market_change`)
    expect(market.body.columns).toEqual(['date', 'count', 'mean', 'rel_mean', '__date_ts'])
    expect(market.body.length).toBe(market.body.data.length)
    expect((await call(web, 'DELETE', `/backtest/history/${filename}`)).body).toEqual([])
    expect((await call(web, 'DELETE', `/backtest/history/${filename}`)).status).toBe(404)
  })

  test('backtest_cache: an identical request reuses the stored result, "none" runs again', async () => {
    const request = { strategy: 'EmaCross', enable_protections: false, timerange: '20240105-', stake_amount: 100 }
    const finished = async (body: Record<string, unknown>) => {
      expect((await call(web, 'POST', '/backtest', body)).status).toBe(200)
      let poll = await call(web, 'GET', '/backtest')
      for (let i = 0; i < 300 && poll.body.running; i++) {
        await Bun.sleep(20)
        poll = await call(web, 'GET', '/backtest')
      }
      expect(poll.body.status).toBe('ended')
      return poll.body.backtest_result
    }
    const reused = () =>
      logRing.last(50).filter((row) => row[4].startsWith('Reusing result of previous backtest')).length
    const first = await finished(request)
    const before = reused()
    const second = await finished(request)
    expect(reused()).toBe(before + 1)
    expect(second.metadata.EmaCross.run_id).toBe(first.metadata.EmaCross.run_id)
    expect(second.metadata.EmaCross.filename).toBe(first.metadata.EmaCross.filename)
    expect(second.strategy.EmaCross.trades).toEqual(first.strategy.EmaCross.trades)
    await finished({ ...request, backtest_cache: 'none' })
    expect(reused()).toBe(before + 1)
  })

  test('files outside the results directory or missing: 404 File not found.', async () => {
    for (const path of [
      '/backtest/history/result?filename=..%2F..%2Fconfig&strategy=EmaCross',
      '/backtest/history/result?filename=nope&strategy=EmaCross',
      '/backtest/history/nope/market_change',
    ]) {
      expect(await call(web, 'GET', path)).toEqual({ status: 404, body: { detail: 'File not found.' } })
    }
  })

  test('reset forgets the result; a strategy name with ":" is the only 500; a missing field is 422', async () => {
    expect((await call(web, 'DELETE', '/backtest')).body.status).toBe('reset')
    expect((await call(web, 'GET', '/backtest')).body.status).toBe('not_started')
    const b64 = await call(web, 'POST', '/backtest', { strategy: 'X:cHJpbnQ=', enable_protections: false })
    expect(b64).toEqual({ status: 500, body: { detail: 'base64 encoded strategies are not allowed.' } })
    expect((await call(web, 'POST', '/backtest', { strategy: 'EmaCross' })).status).toBe(422)
  })

  test('an unknown strategy ends in status error with the reason', async () => {
    await call(web, 'POST', '/backtest', { strategy: 'NoSuchStrategy', enable_protections: false })
    let poll = await call(web, 'GET', '/backtest')
    for (let i = 0; i < 100 && poll.body.running; i++) {
      await Bun.sleep(50)
      poll = await call(web, 'GET', '/backtest')
    }
    expect(poll.body.status).toBe('error')
    expect(poll.body.status_msg).toStartWith('Backtest failed with ')
    expect(poll.body.status_msg).toContain('NoSuchStrategy')
  })

  test('trade mode: 503', async () => {
    expect(await call(trade, 'GET', '/backtest')).toEqual({
      status: 503,
      body: { detail: 'Bot is not in the correct state.' },
    })
  })
})
