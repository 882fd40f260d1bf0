import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { getLogger } from '../../src/util/logger.ts'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'

const SECRET_PASSWORD = 'hunter2-secret-password'
const EXCHANGE_SECRET = 'exchange-secret-value'

let trade: TestServer
let web: TestServer

beforeAll(async () => {
  trade = await startTestServer({
    mode: 'trade',
    config: {
      stake_currency: 'BTC',
      stake_amount: 0.05,
      max_open_trades: 4,
      timeframe: '15m',
      minimal_roi: { '0': 0.04, '30': 0.02 },
      stoploss: -0.1,
      strategy: 'EmaCross',
      initial_state: 'running',
      bot_name: 'info-test-bot',
      exchange: { name: 'binance', key: 'exchange-key-value', secret: EXCHANGE_SECRET },
      api_server: { password: SECRET_PASSWORD },
    },
  })
  web = await startTestServer({ mode: 'webserver' })
})
afterAll(async () => {
  await trade.stop()
  await web.stop()
})

const basicFor = (password: string) => `Basic ${btoa(`tern-user:${password}`)}`
const getJson = async (server: TestServer, path: string, password?: string) => {
  const res = await fetch(server.url(path), { headers: { authorization: password ? basicFor(password) : BASIC } })
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  }
}

describe('/version', () => {
  test('the package version', async () => {
    const { body } = await getJson(web, '/version')
    expect(body).toEqual({ version: '0.1.0' })
  })
})

describe('/show_config', () => {
  test('trade mode: every contract key, values from the config, no secret anywhere', async () => {
    const res = await fetch(trade.url('/show_config'), { headers: { authorization: basicFor(SECRET_PASSWORD) } })
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).not.toContain(SECRET_PASSWORD)
    expect(text).not.toContain(EXCHANGE_SECRET)
    expect(text).not.toContain('exchange-key-value')
    expect(text).not.toContain('test-secret-key')
    const body = JSON.parse(text)
    expect(body).toMatchObject({
      api_version: 2.4,
      dry_run: true,
      trading_mode: 'spot',
      short_allowed: false,
      stake_currency: 'BTC',
      stake_amount: '0.05',
      stake_currency_decimals: 8,
      max_open_trades: 4,
      minimal_roi: { '0': 0.04, '30': 0.02 },
      stoploss: -0.1,
      stoploss_on_exchange: false,
      timeframe: '15m',
      timeframe_ms: 900_000,
      timeframe_min: 15,
      exchange: 'binance',
      strategy: 'EmaCross',
      strategy_version: null,
      force_entry_enable: false,
      bot_name: 'info-test-bot',
      state: 'running',
      runmode: 'dry_run',
      position_adjustment_enable: false,
      max_entry_position_adjustment: -1,
      available_capital: null,
      unfilledtimeout: { entry: 10, exit: 10, unit: 'minutes', exit_timeout_count: 0 },
      order_types: {
        entry: 'limit',
        exit: 'limit',
        emergency_exit: 'market',
        force_exit: null,
        force_entry: null,
        stoploss: 'market',
        stoploss_on_exchange: false,
        stoploss_on_exchange_interval: 60,
      },
    })
    const keys = Object.keys(body).sort()
    expect(keys).toEqual(
      [
        'version',
        'strategy_version',
        'api_version',
        'dry_run',
        'trading_mode',
        'short_allowed',
        'stake_currency',
        'stake_amount',
        'available_capital',
        'stake_currency_decimals',
        'max_open_trades',
        'minimal_roi',
        'stoploss',
        'stoploss_on_exchange',
        'trailing_stop',
        'trailing_stop_positive',
        'trailing_stop_positive_offset',
        'trailing_only_offset_is_reached',
        'unfilledtimeout',
        'order_types',
        'use_custom_stoploss',
        'timeframe',
        'timeframe_ms',
        'timeframe_min',
        'exchange',
        'strategy',
        'force_entry_enable',
        'exit_pricing',
        'entry_pricing',
        'bot_name',
        'state',
        'runmode',
        'position_adjustment_enable',
        'max_entry_position_adjustment',
      ].sort(),
    )
  })

  test('webserver mode: runmode webserver, empty state, no strategy', async () => {
    const { body } = await getJson(web, '/show_config')
    expect(body.runmode).toBe('webserver')
    expect(body.state).toBe('')
    expect(body.strategy).toBeNull()
    expect(body.stake_currency_decimals).toBe(3)
    expect(body.stake_amount).toBe('unlimited')
  })
})

describe('/sysinfo', () => {
  test('one percentage per core and a RAM percentage, all within 0..100', async () => {
    const { body } = await getJson(web, '/sysinfo')
    const cpus = body.cpu_pct as number[]
    expect(cpus.length).toBe(navigator.hardwareConcurrency)
    for (const c of cpus) expect(c).toBeWithin(0, 100.01)
    expect(body.ram_pct as number).toBeWithin(0.01, 100.01)
  })
})

describe('/health', () => {
  test('trade mode: null last_process before the first iteration, then the iteration time in ISO and seconds', async () => {
    const before = await getJson(trade, '/health', SECRET_PASSWORD)
    expect(before.body.last_process).toBeNull()
    expect(before.body.last_process_ts).toBeNull()
    expect(before.body.bot_startup_ts).toBe(Math.floor(trade.bot!.startupMs / 1000))
    await trade.bot!.iterate()
    const after = await getJson(trade, '/health', SECRET_PASSWORD)
    const ms = trade.bot!.lastProcessMs!
    expect(after.body.last_process_ts).toBe(Math.floor(ms / 1000))
    expect(after.body.last_process).toBe(`${new Date(ms).toISOString().slice(0, 23)}000Z`)
    expect(after.body.bot_start_ts).toBe(Math.floor(trade.bot!.botStartMs / 1000))
  })

  test('webserver mode: 502 in the RPC error shape', async () => {
    const { status, body } = await getJson(web, '/health')
    expect(status).toBe(502)
    expect(body).toEqual({ error: 'Error querying /api/v1/health: Bot is not in the correct state' })
  })
})

describe('/logs', () => {
  test('rows are [local date, ms, logger, level, message], newest last, limited to the newest N', async () => {
    const log = getLogger('tern.test.logs')
    log.info('first marker line')
    log.warn('second marker line')
    log.error({ err: new Error('boom') }, 'third marker line')
    const { body } = await getJson(web, '/logs?limit=3')
    expect(body.log_count).toBe(3)
    const rows = body.logs as [string, number, string, string, string][]
    expect(rows.map((r) => r[3])).toEqual(['INFO', 'WARNING', 'ERROR'])
    expect(rows.map((r) => r[2])).toEqual(['tern.test.logs', 'tern.test.logs', 'tern.test.logs'])
    expect(rows[0]![4]).toBe('first marker line')
    expect(rows[2]![4]).toStartWith('third marker line\nError: boom')
    expect(rows[0]![0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(rows[1]![1]).toBeGreaterThanOrEqual(rows[0]![1])
  })

  test('no limit (or an empty one, as the Python client sends) returns the whole buffer', async () => {
    const all = await getJson(web, '/logs')
    const empty = await getJson(web, '/logs?limit=')
    expect(all.body.log_count as number).toBeGreaterThanOrEqual(3)
    expect(empty.body.log_count).toBe(all.body.log_count)
  })
})
