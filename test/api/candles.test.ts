import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { storePairHistory } from '../../src/data/index.ts'
import { Frame } from '../../src/frame/frame.ts'
import type { AnalyzedFrame, AnalyzedFrameSource } from '../../src/rpc/candles.ts'
import { TagColumn } from '../../src/strategy/index.ts'
import { rawRequest } from '../helpers/rawRequest.ts'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'
import { tempDir } from '../helpers/tmp.ts'

const SHARED_DATA = join(import.meta.dir, '..', '..', '..', 'shared', 'data')
const BINANCE = join(SHARED_DATA, 'binance')
const HAVE_SHARED = existsSync(BINANCE)
if (!HAVE_SHARED) console.warn(`skipping tests on stored Binance candles: ${BINANCE} is absent`)

const ROOT = join(import.meta.dir, '..', '..')
const T0 = Date.UTC(2024, 0, 1)
const M5 = 300_000
const JSON_HEADERS = { authorization: BASIC, 'content-type': 'application/json', accept: 'application/json' }

const work = tempDir()
const datadir = join(work.path, 'data')
const strategyDir = join(work.path, 'strategies')

/**
 * A strategy whose every value can be worked out by hand: `prev_close` is the previous close (NaN on the first
 * loaded candle), `inv` = 1 / (close - 104) (Infinity at close 104), entries at closes 104 and 107 tagged 'step',
 * an exit at close 106. Two startup candles.
 */
const STEP_STRATEGY = `
import type { Frame } from '${ROOT}/src/frame/frame.ts'
import { Strategy, TagColumn } from '${ROOT}/src/strategy/index.ts'

export class StepSignals extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  override startupCandleCount = 2

  populateIndicators(df: Frame): void {
    const close = df.col('close')
    df.set('prev_close', close.map((_, i) => (i === 0 ? Number.NaN : close[i - 1])))
    df.set('inv', close.map((c) => 1 / (c - 104)))
  }

  populateEntryTrend(df: Frame): void {
    const enter = df.col('close').map((c) => (c === 104 || c === 107 ? 1 : 0))
    df.set('enter_long', enter)
    TagColumn.of(df, 'enter_tag').fill(enter, 'step')
  }

  populateExitTrend(df: Frame): void {
    df.set('exit_long', df.col('close').map((c) => (c === 106 ? 1 : 0)))
  }
}
`

/** Ten 5m candles from 2024-01-01 00:00 UTC: close 100 + i, open close - 0.5, high close + 1, low close - 1. */
function stepCandles() {
  const n = 10
  const c = {
    date: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  for (let i = 0; i < n; i++) {
    c.date[i] = T0 + i * M5
    c.close[i] = 100 + i
    c.open[i] = 99.5 + i
    c.high[i] = 101 + i
    c.low[i] = 99 + i
    c.volume[i] = 10 * (i + 1)
  }
  return c
}

/** The engine's analysed frames, kept in memory by pair and timeframe as the live loop will keep them. */
class AnalyzedFrames implements AnalyzedFrameSource {
  private readonly frames = new Map<string, AnalyzedFrame>()
  put(pair: string, timeframe: string, frame: Frame, lastAnalyzedMs: number): void {
    this.frames.set(`${pair}|${timeframe}`, { frame, lastAnalyzedMs })
  }
  analyzed(pair: string, timeframe: string): AnalyzedFrame | undefined {
    return this.frames.get(`${pair}|${timeframe}`)
  }
}

/** The frame of the contract's illustration (§14.8), with one older row before the two it shows. */
function illustrationFrame(): Frame {
  const t = [1729756800000, 1729757100000, 1729757400000]
  const f = new Frame(3)
  f.set('date', t)
  f.set('open', [2430.0, 2431.12, 2434.55])
  f.set('high', [2432.0, 2436.8, 2441.0])
  f.set('low', [2428.0, 2429.4, 2433.9])
  f.set('close', [2431.12, 2434.55, 2436.9])
  f.set('volume', [700.5, 812.4431, 1044.0713])
  f.set('rsi', [Number.NaN, 47.82, 52.16])
  f.set('ema_fast', [2431.0, 2433.0, 2435.0])
  f.set('enter_long', [0, 0, 1])
  TagColumn.of(f, 'enter_tag').set(2, 'ema_rsi')
  f.set('exit_long', [0, 0, 0])
  f.set('enter_short', [0, 0, 0])
  f.set('exit_short', [0, 0, 0])
  return f
}

let web: TestServer
let trade: TestServer
let shared: TestServer | undefined
const frames = new AnalyzedFrames()

beforeAll(async () => {
  mkdirSync(strategyDir, { recursive: true })
  writeFileSync(join(strategyDir, 'StepSignals.ts'), STEP_STRATEGY)
  await storePairHistory({ datadir, pair: 'STEP/USDT', timeframe: '5m', format: 'feather', candles: stepCandles() })
  web = await startTestServer({ mode: 'webserver', config: { datadir, strategy_path: strategyDir } })
  trade = await startTestServer({
    mode: 'trade',
    config: { datadir, strategy_path: strategyDir, strategy: 'EmaRsiStrategy', timeframe: '5m' },
  })
  // the live engine publishes its analysed frames through BotView.analyzedFrames
  Object.assign(trade.bot as object, { analyzedFrames: frames })
  frames.put('ETH/USDT', '5m', illustrationFrame(), Date.UTC(2024, 9, 24, 8, 15, 1, 204))
  if (HAVE_SHARED) shared = await startTestServer({ mode: 'webserver', config: { datadir: BINANCE } })
})
afterAll(async () => {
  await web.stop()
  await trade.stop()
  await shared?.stop()
  work.cleanup()
})

const get = async (server: TestServer, path: string) => {
  const res = await fetch(server.url(path), { headers: JSON_HEADERS })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const post = async (server: TestServer, path: string, body: unknown) => {
  const res = await fetch(server.url(path), { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const FROM = (T0 + 3 * M5) / 1000
const TO = (T0 + 7 * M5) / 1000
const iso = (i: number) => new Date(T0 + i * M5).toISOString().replace('.000Z', 'Z')

describe('/pair_history over generated candles', () => {
  test('GET: the timerange (both ends inclusive) with startup candles loaded before it, every cell by hand', async () => {
    const { status, body } = await get(
      web,
      `/pair_history?pair=STEP/USDT&timeframe=5m&timerange=${FROM}-${TO}&strategy=StepSignals&freqaimodel=None`,
    )
    expect(status).toBe(200)
    const all = [
      'date',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'prev_close',
      'inv',
      'enter_long',
      'enter_tag',
      'exit_long',
    ]
    const { last_analyzed, last_analyzed_ts, ...rest } = body
    expect(rest).toEqual({
      strategy: 'StepSignals',
      pair: 'STEP/USDT',
      timeframe: '5m',
      timeframe_ms: 300000,
      all_columns: all,
      columns: [...all, '__date_ts', '_enter_long_signal_close', '_exit_long_signal_close'],
      data: [
        // prev_close of the first row is 102: the startup candle before the range was loaded and analysed
        [iso(3), 102.5, 104, 102, 103, 40, 102, -1, 0, null, 0, T0 + 3 * M5, null, null],
        [iso(4), 103.5, 105, 103, 104, 50, 103, null, 1, 'step', 0, T0 + 4 * M5, 104, null],
        [iso(5), 104.5, 106, 104, 105, 60, 104, 1, 0, null, 0, T0 + 5 * M5, null, null],
        [iso(6), 105.5, 107, 105, 106, 70, 105, 0.5, 0, null, 1, T0 + 6 * M5, null, 106],
        [iso(7), 106.5, 108, 106, 107, 80, 106, 1 / 3, 1, 'step', 0, T0 + 7 * M5, 107, null],
      ],
      length: 5,
      buy_signals: 2,
      sell_signals: 1,
      enter_long_signals: 2,
      exit_long_signals: 1,
      enter_short_signals: 0,
      exit_short_signals: 0,
      data_start: '2024-01-01 00:15:00+00:00',
      data_start_ts: T0 + 3 * M5,
      data_stop: '2024-01-01 00:35:00+00:00',
      data_stop_ts: T0 + 7 * M5,
    })
    // last_analyzed is the time of the request
    expect(last_analyzed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/)
    expect(Math.abs((last_analyzed_ts as number) - Date.parse(last_analyzed as string) / 1000)).toBeLessThan(1)
  })

  test("the Python client's empty timerange means all data; the first loaded candle has no prev_close", async () => {
    const { status, body } = await get(web, '/pair_history?pair=STEP/USDT&timeframe=5m&timerange=&strategy=StepSignals')
    expect(status).toBe(200)
    expect(body.length).toBe(10)
    const data = body.data as unknown[][]
    expect(data[0].slice(0, 8)).toEqual([iso(0), 99.5, 101, 99, 100, 10, null, -0.25])
    expect(body.data_stop_ts).toBe(T0 + 9 * M5)
  })

  test('the candles read are kept in the candle cache of user_data_dir, and the next request gives the same frame', async () => {
    const path = `/pair_history?pair=STEP/USDT&timeframe=5m&timerange=&strategy=StepSignals`
    const first = await get(web, path)
    const cacheDir = join(web.config.user_data_dir, 'cache', 'candles')
    expect(
      readdirSync(cacheDir).filter((f) => f.startsWith('STEP_USDT-5m.feather.') && f.endsWith('.cols')),
    ).toHaveLength(1)
    const again = await get(web, path)
    expect(again.status).toBe(200)
    expect(again.body.data).toEqual(first.body.data)
  })

  test('POST: requested columns plus the mandatory ones, unknown names and extra keys ignored', async () => {
    const { status, body } = await post(web, '/pair_history', {
      pair: 'STEP/USDT',
      timeframe: '5m',
      timerange: `${FROM}-${TO}`,
      strategy: 'StepSignals',
      columns: ['inv', 'no_such_column'],
      limit: 1,
      freqaimodel: null,
      live_mode: true,
      exchange: 'binance',
      trading_mode: 'spot',
      margin_mode: '',
    })
    expect(status).toBe(200)
    expect(body.columns).toEqual([
      'date',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'inv',
      'enter_long',
      'exit_long',
      '__date_ts',
      '_enter_long_signal_close',
      '_exit_long_signal_close',
    ])
    expect((body.all_columns as string[]).length).toBe(11)
    expect(body.length).toBe(5) // limit is ignored on /pair_history
    expect((body.data as unknown[][])[1]).toEqual([
      iso(4),
      103.5,
      105,
      103,
      104,
      50,
      null,
      1,
      0,
      T0 + 4 * M5,
      104,
      null,
    ])
  })

  test('errors: 502 detail for missing data, unknown strategy and a bad timerange; 422 for missing fields', async () => {
    expect(
      await get(web, `/pair_history?pair=NONE/USDT&timeframe=5m&timerange=20240101-20240102&strategy=StepSignals`),
    ).toEqual({ status: 502, body: { detail: 'No data for NONE/USDT, 5m in 20240101-20240102 found.' } })
    // a timerange outside the stored candles is no data as well
    expect(
      (await get(web, `/pair_history?pair=STEP/USDT&timeframe=5m&timerange=20250101-&strategy=StepSignals`)).body,
    ).toEqual({ detail: 'No data for STEP/USDT, 5m in 20250101- found.' })
    const unknown = await get(web, `/pair_history?pair=STEP/USDT&timeframe=5m&timerange=&strategy=NoSuchStrategy`)
    expect(unknown.status).toBe(502)
    expect(unknown.body.detail).toStartWith("unknown strategy 'NoSuchStrategy'")
    const bad = await get(web, `/pair_history?pair=STEP/USDT&timeframe=5m&timerange=2024&strategy=StepSignals`)
    expect(bad.status).toBe(502)
    expect(bad.body.detail).toStartWith('Incorrect syntax for timerange "2024"')

    const missing = await get(web, '/pair_history?pair=STEP/USDT&timeframe=5m')
    expect(missing.status).toBe(422)
    expect((missing.body.detail as { loc: string[] }[]).map((d) => d.loc)).toEqual([
      ['query', 'timerange'],
      ['query', 'strategy'],
    ])
    const badTf = await post(web, '/pair_history', {
      pair: 'A/B',
      timeframe: '5 minutes',
      timerange: '',
      strategy: 'X',
    })
    expect(badTf.status).toBe(422)
    expect((badTf.body.detail as { loc: string[] }[])[0].loc).toEqual(['body', 'timeframe'])
  })

  test('works in trade mode too (no engine needed)', async () => {
    const { status, body } = await get(
      trade,
      `/pair_history?pair=STEP/USDT&timeframe=5m&timerange=&strategy=StepSignals`,
    )
    expect(status).toBe(200)
    expect(body.length).toBe(10)
  })
})

describe.skipIf(!HAVE_SHARED)('/pair_history over stored Binance candles', () => {
  test('ETH/BTC 2018-01-11 with EmaCross: first row from the file, indicators warmed up by the startup candles', async () => {
    const { status, body } = await get(
      shared!,
      '/pair_history?pair=ETH/BTC&timeframe=5m&timerange=20180111-20180111&strategy=EmaCross',
    )
    expect(status).toBe(200)
    // 2018-01-11 00:00 only: the end of the range is inclusive and is the first candle of that day
    expect(body.length).toBe(1)
    const row = (body.data as unknown[][])[0]
    const col = (name: string) => row[(body.columns as string[]).indexOf(name)]
    // open/high/low/close/volume of ETH_BTC-5m.feather at 2018-01-11 00:00
    expect(row.slice(0, 6)).toEqual(['2018-01-11T00:00:00Z', 0.084, 0.08601299, 0.08380727, 0.08598955, 2666.56119235])
    // EMA(26) needs 25 earlier candles; 30 startup candles were loaded, so it has a value on the first row
    expect(col('ema_slow')).toBeNumber()
    expect(col('__date_ts')).toBe(Date.UTC(2018, 0, 11))
    expect(body.data_start).toBe('2018-01-11 00:00:00+00:00')
  })

  test('the whole file: starts at the first stored candle (2018-01-10 04:55, open 0.0984, close 0.0994766)', async () => {
    const { body } = await post(shared!, '/pair_history', {
      pair: 'ETH/BTC',
      timeframe: '5m',
      timerange: '20180110-',
      strategy: 'EmaCross',
      columns: [],
    })
    expect(body.length).toBe(5760)
    expect((body.data as unknown[][])[0].slice(0, 5)).toEqual([
      '2018-01-10T04:55:00Z',
      0.0984,
      0.0994766,
      0.09828605,
      0.0994766,
    ])
    expect(body.data_start_ts).toBe(Date.UTC(2018, 0, 10, 4, 55))
    expect(body.data_stop_ts).toBe(Date.UTC(2018, 0, 30, 4, 50))
    // the signal counts agree with the rows
    const cols = body.columns as string[]
    const enter = cols.indexOf('enter_long')
    const helper = cols.indexOf('_enter_long_signal_close')
    const close = cols.indexOf('close')
    const rows = body.data as unknown[][]
    const entries = rows.filter((r) => r[enter] === 1)
    expect(body.enter_long_signals).toBe(entries.length)
    expect(entries.length).toBeGreaterThan(0)
    for (const r of entries) expect(r[helper]).toBe(r[close] as number)
  })
})

describe('/pair_candles', () => {
  test('POST reproduces the contract illustration (§14.8)', async () => {
    const { status, body } = await post(trade, '/pair_candles', {
      pair: 'ETH/USDT',
      timeframe: '5m',
      limit: 2,
      columns: ['rsi'],
    })
    expect(status).toBe(200)
    expect(body).toEqual({
      strategy: 'EmaRsiStrategy',
      pair: 'ETH/USDT',
      timeframe: '5m',
      timeframe_ms: 300000,
      columns: [
        'date',
        'open',
        'high',
        'low',
        'close',
        'volume',
        'rsi',
        'enter_long',
        'exit_long',
        'enter_short',
        'exit_short',
        '__date_ts',
        '_enter_long_signal_close',
        '_exit_long_signal_close',
        '_enter_short_signal_close',
        '_exit_short_signal_close',
      ],
      all_columns: [
        'date',
        'open',
        'high',
        'low',
        'close',
        'volume',
        'rsi',
        'ema_fast',
        'enter_long',
        'enter_tag',
        'exit_long',
        'enter_short',
        'exit_short',
      ],
      data: [
        [
          '2024-10-24T08:05:00Z',
          2431.12,
          2436.8,
          2429.4,
          2434.55,
          812.4431,
          47.82,
          0,
          0,
          0,
          0,
          1729757100000,
          null,
          null,
          null,
          null,
        ],
        [
          '2024-10-24T08:10:00Z',
          2434.55,
          2441.0,
          2433.9,
          2436.9,
          1044.0713,
          52.16,
          1,
          0,
          0,
          0,
          1729757400000,
          2436.9,
          null,
          null,
          null,
        ],
      ],
      length: 2,
      buy_signals: 1,
      sell_signals: 0,
      enter_long_signals: 1,
      exit_long_signals: 0,
      enter_short_signals: 0,
      exit_short_signals: 0,
      last_analyzed: '2024-10-24T08:15:01.204000Z',
      last_analyzed_ts: 1729757701,
      data_start: '2024-10-24 08:05:00+00:00',
      data_start_ts: 1729757100000,
      data_stop: '2024-10-24 08:10:00+00:00',
      data_stop_ts: 1729757400000,
    })
  })

  test('GET returns every column (a columns parameter is ignored), NaN as null, tags as strings', async () => {
    const { status, body } = await get(trade, '/pair_candles?pair=ETH/USDT&timeframe=5m&columns=rsi')
    expect(status).toBe(200)
    expect(body.length).toBe(3)
    expect((body.columns as string[]).slice(6, 13)).toEqual([
      'rsi',
      'ema_fast',
      'enter_long',
      'enter_tag',
      'exit_long',
      'enter_short',
      'exit_short',
    ])
    const data = body.data as unknown[][]
    expect(data[0][6]).toBeNull() // rsi NaN
    expect(data[0][9]).toBeNull()
    expect(data[2][9]).toBe('ema_rsi')
    expect(body.data_start).toBe('2024-10-24 08:00:00+00:00')
  })

  test('a pair the engine has not analysed: 200 with the empty frame (§14.5)', async () => {
    expect(await get(trade, '/pair_candles?pair=BTC/USDT&timeframe=5m&limit=5')).toEqual({
      status: 200,
      body: {
        strategy: 'EmaRsiStrategy',
        pair: 'BTC/USDT',
        timeframe: '5m',
        timeframe_ms: 300000,
        columns: [],
        all_columns: [],
        data: [],
        length: 0,
        buy_signals: 0,
        sell_signals: 0,
        enter_long_signals: 0,
        exit_long_signals: 0,
        enter_short_signals: 0,
        exit_short_signals: 0,
        last_analyzed: '1970-01-01T00:00:00Z',
        last_analyzed_ts: 0,
        data_start: '',
        data_start_ts: 0,
        data_stop: '',
        data_stop_ts: 0,
      },
    })
  })

  test('the Python client: GET with a literal null body', async () => {
    const res = await rawRequest(
      trade.url('/pair_candles?pair=ETH/USDT&timeframe=5m&limit=1'),
      'GET',
      JSON_HEADERS,
      'null',
    )
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).data).toEqual([
      [
        '2024-10-24T08:10:00Z',
        2434.55,
        2441.0,
        2433.9,
        2436.9,
        1044.0713,
        52.16,
        2435.0,
        1,
        'ema_rsi',
        0,
        0,
        0,
        1729757400000,
        2436.9,
        null,
        null,
        null,
      ],
    ])
  })

  test('webserver mode has no engine: 502 "Bot is not in the correct state"; missing pair: 422', async () => {
    expect(await get(web, '/pair_candles?pair=ETH/USDT&timeframe=5m')).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/pair_candles: Bot is not in the correct state' },
    })
    const missing = await post(trade, '/pair_candles', { timeframe: '5m' })
    expect(missing.status).toBe(422)
    expect((missing.body.detail as { type: string; loc: string[] }[])[0]).toMatchObject({
      type: 'missing',
      loc: ['body', 'pair'],
    })
  })
})

describe('/available_pairs', () => {
  test("generated data; the client's empty filters mean none", async () => {
    await storePairHistory({ datadir, pair: 'STEP/BTC', timeframe: '1h', format: 'json', candles: stepCandles() })
    expect(await get(web, '/available_pairs?stake_currency=&timeframe=')).toEqual({
      status: 200,
      body: {
        length: 2,
        pairs: ['STEP/BTC', 'STEP/USDT'],
        pair_interval: [
          ['STEP/BTC', '1h', 'spot'],
          ['STEP/USDT', '5m', 'spot'],
        ],
      },
    })
    expect((await get(web, '/available_pairs?stake_currency=USDT')).body).toEqual({
      length: 1,
      pairs: ['STEP/USDT'],
      pair_interval: [['STEP/USDT', '5m', 'spot']],
    })
    expect((await get(web, '/available_pairs?timeframe=1h&candletype=spot')).body.pairs).toEqual(['STEP/BTC'])
    expect((await get(web, '/available_pairs?candletype=futures')).body).toEqual({
      length: 0,
      pairs: [],
      pair_interval: [],
    })
    const bad = await get(web, '/available_pairs?candletype=perpetual')
    expect(bad.status).toBe(422)
    expect((bad.body.detail as { type: string; loc: string[] }[])[0]).toMatchObject({
      type: 'enum',
      loc: ['query', 'candletype'],
    })
  })

  test.skipIf(!HAVE_SHARED)('the stored Binance data: BTC-quoted 5m pairs, one triple per dataset', async () => {
    const all = await get(shared!, '/available_pairs')
    // UNITTEST/BTC 1m is stored as feather and as json: listed once
    expect((all.body.pair_interval as string[][]).filter((p) => p[0] === 'UNITTEST/BTC')).toEqual([
      ['UNITTEST/BTC', '1m', 'spot'],
      ['UNITTEST/BTC', '30m', 'spot'],
      ['UNITTEST/BTC', '5m', 'spot'],
    ])
    const eth = await get(shared!, '/available_pairs?stake_currency=ETH&timeframe=5m')
    expect(eth.body).toEqual({ length: 1, pairs: ['XRP/ETH'], pair_interval: [['XRP/ETH', '5m', 'spot']] })
    const btc5m = await get(shared!, '/available_pairs?stake_currency=BTC&timeframe=5m')
    expect(btc5m.body.length).toBe(11)
  })
})

describe('the SDK', () => {
  test('calls the strategy and candle routes with typed requests and responses', async () => {
    const { createTernClient } = await import('../../openapi/client.ts')
    const { USER, PASSWORD } = await import('../helpers/server.ts')
    const webClient = createTernClient(web.base, { username: USER, password: PASSWORD })
    const tradeClient = createTernClient(trade.base, { username: USER, password: PASSWORD })

    expect((await webClient.GET('/api/v1/strategies')).data?.strategies).toContain('StepSignals')
    const detail = await webClient.GET('/api/v1/strategy/{strategy}', { params: { path: { strategy: 'StepSignals' } } })
    expect(detail.data?.timeframe).toBe('5m')
    const plot = await webClient.GET('/api/v1/plot_config', { params: { query: { strategy: 'EmaCross' } } })
    expect(plot.data?.main_plot?.ema_fast?.color).toBe('orange')
    const pairs = await webClient.GET('/api/v1/available_pairs', { params: { query: { stake_currency: 'USDT' } } })
    expect(pairs.data?.pairs).toEqual(['STEP/USDT'])

    const history = await webClient.GET('/api/v1/pair_history', {
      params: { query: { pair: 'STEP/USDT', timeframe: '5m', timerange: `${FROM}-${TO}`, strategy: 'StepSignals' } },
    })
    expect(history.data?.length).toBe(5)
    const historyPost = await webClient.POST('/api/v1/pair_history', {
      body: { pair: 'STEP/USDT', timeframe: '5m', timerange: `${FROM}-${TO}`, strategy: 'StepSignals', columns: [] },
    })
    expect(historyPost.data?.enter_long_signals).toBe(2)
    const missing = await webClient.POST('/api/v1/pair_history', {
      body: { pair: 'NONE/USDT', timeframe: '5m', timerange: '', strategy: 'StepSignals' },
    })
    expect(missing.response.status).toBe(502)

    const candles = await tradeClient.GET('/api/v1/pair_candles', {
      params: { query: { pair: 'ETH/USDT', timeframe: '5m', limit: 1 } },
    })
    expect(candles.data?.data_start_ts).toBe(1729757400000)
    const candlesPost = await tradeClient.POST('/api/v1/pair_candles', {
      body: { pair: 'ETH/USDT', timeframe: '5m', limit: null, columns: null },
    })
    expect(candlesPost.data?.length).toBe(3)
  })
})
