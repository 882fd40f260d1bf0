import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ManualClock, RealClock, setClock } from '../../src/util/clock.ts'
import { BASIC, PASSWORD, startTestServer, type TestServer, USER } from '../helpers/server.ts'
import {
  attachEngineParts,
  RecordingCommands,
  SCENARIO_NOW,
  scenarioPrices,
  seedScenario,
} from '../helpers/tradeRows.ts'

const clock = new ManualClock(SCENARIO_NOW)
let server: TestServer
let disabled: TestServer
let commands: RecordingCommands

beforeAll(async () => {
  setClock(clock)
  server = await startTestServer({
    mode: 'trade',
    clock,
    config: { initial_state: 'running', force_entry_enable: true, max_open_trades: 3, available_capital: 1000 },
  })
  disabled = await startTestServer({ mode: 'trade', clock, config: { initial_state: 'running' } })
  await seedScenario(server.database!.db)
  commands = new RecordingCommands(server.database!.db, () => clock.now())
  attachEngineParts(server, { trades: commands, prices: scenarioPrices() })
  attachEngineParts(disabled, { trades: new RecordingCommands(disabled.database!.db, () => clock.now()) })
})
afterAll(async () => {
  await server.stop()
  await disabled.stop()
  setClock(new RealClock())
})

type Json = Record<string, unknown>
const call = async (method: string, path: string, body?: unknown, on = server) => {
  const res = await fetch(on.url(path), {
    method,
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json & Json[] }
}
const errorOf = (res: { body: Json }) => res.body.error
const detailOf = (res: { body: Json }) => res.body.detail as { type: string; loc: unknown[] }[]

describe('open trades: /status', () => {
  test('answers served from the trade cache keep the JSON type and the CORS headers', async () => {
    const origin = 'http://localhost:3000'
    const cors = await startTestServer({ mode: 'trade', config: { api_server: { CORS_origins: [origin] } } })
    try {
      for (const path of ['/status', '/trades?limit=10', '/status']) {
        const res = await fetch(cors.url(path), { headers: { authorization: BASIC, origin } })
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toBe('application/json')
        expect(res.headers.get('access-control-allow-origin')).toBe(origin)
        expect(res.headers.get('access-control-allow-credentials')).toBe('true')
      }
    } finally {
      await cors.stop()
    }
  })

  test('lists the open trades by id in the live view; profit at the cached exit price (§6.4)', async () => {
    const res = await call('GET', '/status')
    expect(res.status).toBe(200)
    expect(res.body.map((t) => t.trade_id)).toEqual([4, 5])
    const sol = res.body[0]!
    // open value 1 × 150 × 1.001 = 150.15; close value at 162.5: 162.5 × 0.999 = 162.3375
    expect(sol).toMatchObject({
      pair: 'SOL/USDT',
      base_currency: 'SOL',
      quote_currency: 'USDT',
      is_open: true,
      current_rate: 162.5,
      open_trade_value: 150.15,
      stake_amount: 150,
      max_stake_amount: 150,
      profit_abs: 12.1875, // 162.3375 − 150.15
      profit_ratio: 0.08116883, // 162.3375 / 150.15 − 1 = 0.0811688311…
      profit_pct: 8.12,
      total_profit_abs: 12.1875,
      total_profit_ratio: 0.08125, // 12.1875 / 150
      close_profit: null,
      close_profit_pct: null,
      realized_profit: 0,
      realized_profit_ratio: null,
      stop_loss_abs: 135,
      stop_loss_ratio: -0.1,
      stop_loss_pct: -10,
      stoploss_current_dist: -27.5, // 135 − 162.5
      stoploss_current_dist_ratio: -0.16923077, // −27.5 / 162.5
      stoploss_current_dist_pct: -16.92,
      stoploss_entry_dist: -15.285, // 135 × 0.999 − 150.15
      stoploss_entry_dist_ratio: -0.1017982, // 134.865 / 150.15 − 1
      profit_fiat: null,
      trade_duration: null,
      trade_duration_s: null,
      has_open_orders: false,
      open_date: '2024-10-24 09:00:00',
      open_timestamp: Date.UTC(2024, 9, 24, 9),
      open_fill_date: '2024-10-24 09:00:01',
      open_fill_timestamp: Date.UTC(2024, 9, 24, 9, 0, 1),
      timeframe: 5,
      trading_mode: 'spot',
      leverage: 1,
    })
    const orders = sol.orders as Json[]
    expect(orders).toHaveLength(1)
    expect(orders[0]).toMatchObject({
      pair: 'SOL/USDT',
      status: 'closed',
      ft_order_side: 'buy',
      ft_is_entry: true,
      amount: 1,
      safe_price: 150,
      average: 150,
      cost: 150,
      filled: 1,
      remaining: 0,
      is_open: false,
      order_filled_timestamp: Date.UTC(2024, 9, 24, 9, 0, 1),
    })
  })

  test('an open trade whose entry has not filled shows zero profit, its open order and has_open_orders', async () => {
    const xrp = (await call('GET', '/status')).body[1]!
    expect(xrp).toMatchObject({
      trade_id: 5,
      profit_abs: 0,
      profit_ratio: 0,
      total_profit_abs: 0,
      total_profit_ratio: null,
      max_stake_amount: null,
      open_fill_timestamp: null,
      has_open_orders: true,
    })
    expect((xrp.orders as Json[]).map((o) => [o.status, o.is_open, o.average, o.filled])).toEqual([
      ['open', true, 0, 0],
    ])
  })

  test('without cached prices the current rate and the profit of filled trades are null, never an error', async () => {
    attachEngineParts(server, { trades: commands })
    const sol = (await call('GET', '/status')).body[0]!
    attachEngineParts(server, { trades: commands, prices: scenarioPrices() })
    expect(sol).toMatchObject({ current_rate: null, profit_abs: null, profit_ratio: null, stoploss_current_dist: null })
  })
})

describe('closed trades: /trades and /trade/{id}', () => {
  test('closed trades by id in pages; total_trades lets FreqUI stop paging', async () => {
    const first = await call('GET', '/trades?limit=2')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ trades_count: 2, offset: 0, total_trades: 3 })
    expect((first.body.trades as unknown as Json[]).map((t) => t.trade_id)).toEqual([1, 2])
    const second = await call('GET', '/trades?limit=2&offset=2')
    expect((second.body.trades as unknown as Json[]).map((t) => t.trade_id)).toEqual([3])
    expect(second.body).toMatchObject({ trades_count: 1, offset: 2, total_trades: 3 })

    // FreqUI's loop: ask again from the number received until it holds total_trades
    const got: unknown[] = []
    for (let guard = 0; guard < 10; guard++) {
      const page = await call('GET', `/trades?limit=2&offset=${got.length}`)
      got.push(...(page.body.trades as unknown as Json[]))
      if (got.length >= (page.body.total_trades as number)) break
    }
    expect(got).toHaveLength(3)
  })

  test('limit=0 lists every closed trade, newest close first; limit above 500 is capped; defaults are 500/0', async () => {
    const all = await call('GET', '/trades?limit=0')
    expect((all.body.trades as unknown as Json[]).map((t) => t.trade_id)).toEqual([3, 2, 1])
    expect((await call('GET', '/trades?limit=100000')).body.trades_count).toBe(3)
    expect((await call('GET', '/trades?limit=&offset=')).body).toMatchObject({ trades_count: 3, offset: 0 })
  })

  test('a closed trade in the base view: realised profit per §6.4, durations, both orders, no live keys', async () => {
    const eth = (await call('GET', '/trades')).body.trades as unknown as Json[]
    const t1 = eth[0]!
    // open value 0.05 × 2400 × 1.001 = 120.12; close value 0.05 × 2500 × 0.999 = 124.875
    expect(t1).toMatchObject({
      trade_id: 1,
      is_open: false,
      close_rate: 2500,
      close_profit_abs: 4.755,
      profit_abs: 4.755,
      close_profit_pct: 3.96, // 4.755 / 120.12 = 0.039585…
      profit_pct: 3.96,
      realized_profit: 4.755,
      exit_reason: 'roi',
      exit_order_status: 'closed',
      enter_tag: 'rsi_dip',
      close_date: '2024-10-22 12:00:00',
      close_timestamp: Date.UTC(2024, 9, 22, 12),
      trade_duration_s: 14_400, // 08:00 → 12:00
      trade_duration: 240,
      fee_open: 0.001,
      fee_open_currency: 'USDT',
      fee_close_cost: 0.125, // 124.875… of 125 × 0.001
      has_open_orders: false,
    })
    expect(t1.close_profit).toBeCloseTo(4.755 / 120.12, 12)
    expect(t1.realized_profit_ratio).toBe(t1.close_profit as number)
    expect(t1).not.toContainKey('current_rate')
    const orders = t1.orders as Json[]
    expect(orders.map((o) => [o.ft_order_side, o.ft_is_entry, o.cost])).toEqual([
      ['buy', true, 120],
      ['sell', false, 125],
    ])
  })

  test('/trade/{id} of a closed trade: current_rate = close_rate, profit = realised, total profit 0', async () => {
    const res = await call('GET', '/trade/2')
    expect(res.status).toBe(200)
    // 0.002 × 57000 × 0.999 − 0.002 × 60000 × 1.001 = 113.886 − 120.12
    expect(res.body).toMatchObject({
      trade_id: 2,
      current_rate: 57000,
      profit_abs: -6.234,
      close_profit_abs: -6.234,
      total_profit_abs: 0,
      total_profit_ratio: null,
      profit_pct: -5.19, // −6.234 / 120.12 = −0.051898…
    })
    expect(res.body.profit_ratio).toBe(res.body.close_profit as number)
  })

  test('/trade/{id} of an open trade matches /status', async () => {
    const one = (await call('GET', '/trade/4')).body
    const status = (await call('GET', '/status')).body[0]
    expect(one as Json).toEqual(status!)
  })

  test('an unknown id is 404 "Trade not found."; a non-integer id is 422 naming the path field', async () => {
    const missing = await call('GET', '/trade/999')
    expect(missing).toEqual({ status: 404, body: { detail: 'Trade not found.' } as never })
    const bad = await call('GET', '/trade/abc')
    expect(bad.status).toBe(422)
    expect(detailOf(bad)[0]).toMatchObject({ type: 'int_parsing', loc: ['path', 'tradeid'] })
    const badLimit = await call('GET', '/trades?limit=many')
    expect(badLimit.status).toBe(422)
    const negative = await call('GET', '/trades?offset=-1')
    expect(negative.status).toBe(422)
    expect(detailOf(negative)[0]!.loc).toEqual(['query', 'offset'])
  })
})

describe('/count', () => {
  test('open trades, max_open_trades and Σ open_rate × amount', async () => {
    // 1 × 150 + 100 × 0.5
    expect((await call('GET', '/count')).body).toEqual({ current: 2, max: 3, total_stake: 200 } as never)
  })

  test('refused while the trader is not running', async () => {
    server.bot!.stop()
    const res = await call('GET', '/count')
    server.bot!.start()
    expect(res.status).toBe(502)
    expect(errorOf(res)).toBe('Error querying /api/v1/count: trader is not running')
  })
})

describe('force entry and exit', () => {
  test('refused with 502 "Force_entry not enabled." unless force_entry_enable', async () => {
    const res = await call('POST', '/forcebuy', { pair: 'ETH/USDT' }, disabled)
    expect(res).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/forcebuy: Force_entry not enabled.' } as never,
    })
  })

  test('/forcebuy enters through the engine and answers the new trade in the base view', async () => {
    const before = commands.calls.length
    const res = await call('POST', '/forcebuy', {
      pair: 'ADA/USDT',
      price: 0.25,
      stakeamount: 50,
      entry_tag: '',
      ordertype: null,
      exchange: 'ignored',
    })
    expect(res.status).toBe(200)
    expect(commands.calls[before]).toEqual({
      method: 'forceEnter',
      args: [
        {
          pair: 'ADA/USDT',
          side: 'long',
          price: 0.25,
          ordertype: undefined,
          stakeAmount: 50,
          entryTag: undefined,
        },
      ],
    })
    // 50 / 0.25 = 200 ADA; an empty tag becomes force_entry
    expect(res.body).toMatchObject({
      trade_id: 6,
      pair: 'ADA/USDT',
      amount: 200,
      enter_tag: 'force_entry',
      has_open_orders: true,
    })
    expect(res.body).not.toContainKey('current_rate')
  })

  test('/forceenter passes the side and tag; engine refusals answer 502 with their message', async () => {
    commands.refuse = 'Symbol does not exist or market is not active.'
    const res = await call('POST', '/forceenter', { pair: 'NOPE/USDT', side: 'long', entry_tag: 'manual' })
    commands.refuse = undefined
    expect(errorOf(res)).toBe('Error querying /api/v1/forceenter: Symbol does not exist or market is not active.')
    expect(res.status).toBe(502)
    expect(commands.calls.at(-1)!.args[0]).toMatchObject({ pair: 'NOPE/USDT', side: 'long', entryTag: 'manual' })
  })

  test('a bad force-entry body is 422: missing pair, unknown side, wrong ordertype; nothing reaches the engine', async () => {
    const before = commands.calls.length
    const missing = await call('POST', '/forceenter', { side: 'long' })
    expect(missing.status).toBe(422)
    expect(detailOf(missing)[0]).toMatchObject({ type: 'missing', loc: ['body', 'pair'] })
    const side = await call('POST', '/forceenter', { pair: 'ETH/USDT', side: 'up' })
    expect(side.status).toBe(422)
    expect(detailOf(side)[0]!.loc).toEqual(['body', 'side'])
    expect((await call('POST', '/forceenter', { pair: 'ETH/USDT', ordertype: 'stop' })).status).toBe(422)
    expect((await call('POST', '/forceenter', '{"pair": ')).status).toBe(422)
    expect(commands.calls.length).toBe(before)
  })

  test('without engine commands force entry is refused as "Bot is not in the correct state"', async () => {
    attachEngineParts(server, { prices: scenarioPrices() })
    const res = await call('POST', '/forceenter', { pair: 'ETH/USDT' })
    attachEngineParts(server, { trades: commands, prices: scenarioPrices() })
    expect(errorOf(res)).toBe('Error querying /api/v1/forceenter: Bot is not in the correct state')
  })

  test('/forceexit and /forcesell: one trade (string or int id), or all; unknown keys such as price are ignored', async () => {
    const one = await call('POST', '/forcesell', { tradeid: '4', ordertype: 'market', price: 160 })
    expect(one.body).toEqual({ result: 'Created exit order for trade 4.' } as never)
    expect(commands.calls.at(-1)).toEqual({
      method: 'forceExit',
      args: [4, { ordertype: 'market', amount: undefined }],
    })
    const partial = await call('POST', '/forceexit', { tradeid: 4, amount: 0.5 })
    expect(partial.body).toEqual({ result: 'Created exit order for trade 4.' } as never)
    expect(commands.calls.at(-1)!.args).toEqual([4, { ordertype: undefined, amount: 0.5 }])
    const all = await call('POST', '/forceexit', { tradeid: 'all' })
    expect(all.body).toEqual({ result: 'Created exit orders for all open trades.' } as never)
    expect(commands.calls.at(-1)!.args[0]).toBe('all')
  })

  test('force exit errors: a non-numeric id is "invalid argument"; engine refusals pass through; no id is 422', async () => {
    const bad = await call('POST', '/forceexit', { tradeid: 'abc' })
    expect(bad).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/forceexit: invalid argument' } as never,
    })
    commands.refuse = 'invalid argument'
    const closed = await call('POST', '/forcesell', { tradeid: 1 })
    commands.refuse = undefined
    expect(errorOf(closed)).toBe('Error querying /api/v1/forcesell: invalid argument')
    server.bot!.stop()
    const stopped = await call('POST', '/forceexit', { tradeid: 4 })
    server.bot!.start()
    expect(errorOf(stopped)).toBe('Error querying /api/v1/forceexit: trader is not running')
    expect((await call('POST', '/forceexit', {})).status).toBe(422)
    expect((await call('POST', '/forceexit', { tradeid: 4, amount: 'half' })).status).toBe(422)
  })
})

describe('trade commands: cancel open order, reload, delete', () => {
  test('DELETE /trades/{id}/open-order cancels and answers the trade in the live view', async () => {
    const res = await call('DELETE', '/trades/5/open-order')
    expect(res.status).toBe(200)
    expect(commands.calls.at(-1)).toEqual({ method: 'cancelOpenOrders', args: [5] })
    // the cancelled order never filled: it is no longer listed
    expect(res.body).toMatchObject({ trade_id: 5, has_open_orders: false, orders: [], current_rate: 0.5 })
  })

  test('cancel open order refusals: closed trade, no open order, unknown id, not running', async () => {
    expect(errorOf(await call('DELETE', '/trades/1/open-order'))).toBe(
      'Error querying /api/v1/trades/1/open-order: Invalid trade_id.',
    )
    expect(errorOf(await call('DELETE', '/trades/4/open-order'))).toBe(
      'Error querying /api/v1/trades/4/open-order: No open order for trade_id.',
    )
    expect(errorOf(await call('DELETE', '/trades/999/open-order'))).toBe(
      'Error querying /api/v1/trades/999/open-order: Invalid trade_id.',
    )
    server.bot!.stop()
    const stopped = await call('DELETE', '/trades/6/open-order')
    server.bot!.start()
    expect(errorOf(stopped)).toBe('Error querying /api/v1/trades/6/open-order: trader is not running')
  })

  test('POST /trades/{id}/reload accepts a null body and answers the live view; unknown ids are refused', async () => {
    const res = await call('POST', '/trades/4/reload', 'null')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ trade_id: 4, current_rate: 162.5, profit_abs: 12.1875 })
    expect(commands.calls.at(-1)).toEqual({ method: 'reloadTrade', args: [4] })
    const unknown = await call('POST', '/trades/999/reload')
    expect(errorOf(unknown)).toBe('Error querying /api/v1/trades/999/reload: Could not find trade with id 999.')
  })

  test('DELETE /trades/{id} removes the trade and counts the cancelled orders; unknown ids are refused', async () => {
    const res = await call('DELETE', '/trades/6')
    expect(res.body).toEqual({
      result: 'success',
      result_msg: 'Deleted trade 6. Closed 1 open orders.',
      trade_id: 6,
      cancel_order_count: 1,
    } as never)
    expect((await call('GET', '/trade/6')).status).toBe(404)
    const unknown = await call('DELETE', '/trades/6')
    expect(unknown).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/trades/6: invalid argument' } as never,
    })
    expect((await call('DELETE', '/trades/x')).status).toBe(422)
  })
})

describe('without the engine', () => {
  test('trade routes answer 502 "Bot is not in the correct state" in webserver mode', async () => {
    const web = await startTestServer({ mode: 'webserver' })
    try {
      for (const path of ['/status', '/trades', '/trade/1', '/count']) {
        const res = await call('GET', path, undefined, web)
        expect({ path, status: res.status, error: res.body.error }).toEqual({
          path,
          status: 502,
          error: `Error querying /api/v1${path}: Bot is not in the correct state`,
        })
      }
    } finally {
      await web.stop()
    }
  })
})

describe('through the generated SDK', () => {
  test('every trade route answers typed data', async () => {
    const { createTernClient } = await import('../../openapi/client.ts')
    const client = createTernClient(server.base, { username: USER, password: PASSWORD })
    expect((await client.GET('/api/v1/status')).data?.map((t) => t.trade_id)).toEqual([4, 5])
    const page = await client.GET('/api/v1/trades', { params: { query: { limit: 1, offset: 1 } } })
    expect(page.data).toMatchObject({ trades_count: 1, offset: 1, total_trades: 3 })
    const one = await client.GET('/api/v1/trade/{tradeid}', { params: { path: { tradeid: 1 } } })
    expect(one.data?.close_profit_abs).toBe(4.755)
    expect((await client.GET('/api/v1/count')).data).toEqual({ current: 2, max: 3, total_stake: 200 })

    const entered = await client.POST('/api/v1/forceenter', { body: { pair: 'LTC/USDT', price: 50, stakeamount: 100 } })
    const id = (entered.data as { trade_id: number }).trade_id
    const bought = await client.POST('/api/v1/forcebuy', { body: { pair: 'DOT/USDT', entry_tag: 'sdk' } })
    expect((bought.data as { enter_tag: string }).enter_tag).toBe('sdk')
    const cancelled = await client.DELETE('/api/v1/trades/{tradeid}/open-order', { params: { path: { tradeid: id } } })
    expect(cancelled.data?.has_open_orders).toBe(false)
    const reloaded = await client.POST('/api/v1/trades/{tradeid}/reload', { params: { path: { tradeid: id } } })
    expect(reloaded.data?.pair).toBe('LTC/USDT')
    expect((await client.POST('/api/v1/forceexit', { body: { tradeid: 4 } })).data?.result).toBe(
      'Created exit order for trade 4.',
    )
    expect((await client.POST('/api/v1/forcesell', { body: { tradeid: 'all' } })).data?.result).toBe(
      'Created exit orders for all open trades.',
    )
    const deleted = await client.DELETE('/api/v1/trades/{tradeid}', { params: { path: { tradeid: id } } })
    expect(deleted.data?.result_msg).toBe(`Deleted trade ${id}. Closed 0 open orders.`)
    const refused = await client.DELETE('/api/v1/trades/{tradeid}', { params: { path: { tradeid: id } } })
    expect(refused.error).toEqual({ error: `Error querying /api/v1/trades/${id}: invalid argument` })
  })
})
