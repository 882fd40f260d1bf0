import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ManualClock, RealClock, setClock } from '../../src/util/clock.ts'
import { BASIC, PASSWORD, startTestServer, type TestServer, USER } from '../helpers/server.ts'
import {
  attachEngineParts,
  FixedWallet,
  insertTrade,
  PriceTable,
  SCENARIO_NOW,
  scenarioPrices,
  seedScenario,
} from '../helpers/tradeRows.ts'

const clock = new ManualClock(SCENARIO_NOW)
let server: TestServer
let empty: TestServer

// the scenario of seedScenario(): closed profits 4.755 (ETH, roi), −6.234 (BTC, stop_loss), 9.75 (ETH, exit_signal)
// over open values of 120.12; SOL open at 150 priced 162.5 (profit 12.1875, ratio 0.08116883); XRP unfilled
const r1 = 4.755 / 120.12 // 0.0395854146
const r2 = -6.234 / 120.12 // −0.0518981019
const r3 = 9.75 / 120.12 // 0.0811688312
const rSol = 0.08116883

const wallet = new FixedWallet({
  USDT: { free: 800, used: 0, total: 800 },
  SOL: { free: 1, used: 0, total: 1 },
  BNB: { free: 2, used: 0, total: 2 },
  EUR: { free: 90, used: 0, total: 90 },
  DOGE: { free: 10, used: 0, total: 10 },
  BTC: { free: 0, used: 0, total: 0 },
})
const prices = new PriceTable({ ...scenarioPrices().rates, 'BNB/USDT': 600, 'USDT/EUR': 0.9 })

beforeAll(async () => {
  setClock(clock)
  server = await startTestServer({
    mode: 'trade',
    clock,
    config: { initial_state: 'running', available_capital: 1000, stake_currency: 'USDT' },
  })
  empty = await startTestServer({ mode: 'trade', clock, config: { initial_state: 'running', dry_run_wallet: 500 } })
  await seedScenario(server.database!.db)
  attachEngineParts(server, { prices, wallet })
  attachEngineParts(empty, {})
})
afterAll(async () => {
  await server.stop()
  await empty.stop()
  setClock(new RealClock())
})

type Json = Record<string, unknown>
const get = async (path: string, on = server) => {
  const res = await fetch(on.url(path), { headers: { authorization: BASIC } })
  return { status: res.status, body: (await res.json()) as Json & Json[] }
}

describe('/profit', () => {
  test('closed and open profit, counts, dates, best pair, win rate, expectancy and drawdown (§9.1)', async () => {
    const { status, body } = await get('/profit')
    expect(status).toBe(200)
    expect(body).toMatchObject({
      profit_closed_coin: 8.271, // 4.755 − 6.234 + 9.75
      profit_closed_percent_mean: 2.3, // mean ratio 0.022952
      profit_closed_percent_sum: 6.89,
      profit_closed_ratio: 0.008271, // 8.271 / 1000 (available_capital)
      profit_closed_percent: 0.83,
      profit_closed_fiat: 0,
      profit_all_coin: 20.4585, // + SOL 12.1875; XRP has no fill and is left out
      profit_all_percent_mean: 3.75,
      profit_all_percent_sum: 15,
      profit_all_ratio: 0.0204585,
      profit_all_percent: 2.05,
      trade_count: 5,
      closed_trade_count: 3,
      first_trade_date: '2024-10-22 08:00:00',
      first_trade_humanized: '2 days ago',
      first_trade_timestamp: Date.UTC(2024, 9, 22, 8),
      latest_trade_date: '2024-10-24 09:30:00',
      latest_trade_humanized: '30 minutes ago',
      latest_trade_timestamp: Date.UTC(2024, 9, 24, 9, 30),
      avg_duration: '4:10:00', // (4 h + 6 h + 2.5 h) / 3
      best_pair: 'ETH/USDT',
      best_rate: 12.08, // (r1 + r3) × 100
      winning_trades: 2,
      losing_trades: 1,
      max_drawdown_abs: 6.234,
      max_drawdown_start: '2024-10-22 12:00:00', // the peak: after trade 1
      max_drawdown_start_timestamp: Date.UTC(2024, 9, 22, 12),
      max_drawdown_end: '2024-10-23 15:00:00', // the trough: after trade 2
      max_drawdown_end_timestamp: Date.UTC(2024, 9, 23, 15),
      trading_volume: 879, // entries 120 + 120 + 120 + 150, exits 125 + 114 + 130
      bot_start_timestamp: SCENARIO_NOW,
      bot_start_date: '2024-10-24 10:00:00',
    })
    expect(body.profit_closed_ratio_mean as number).toBeCloseTo((r1 + r2 + r3) / 3, 12)
    expect(body.profit_closed_ratio_sum as number).toBeCloseTo(r1 + r2 + r3, 12)
    expect(body.profit_all_ratio_mean as number).toBeCloseTo((r1 + r2 + r3 + rSol) / 4, 12)
    expect(body.profit_all_ratio_sum as number).toBeCloseTo(r1 + r2 + r3 + rSol, 12)
    expect(body.best_pair_profit_ratio as number).toBeCloseTo(r1 + r3, 12)
    // (4.755 + 9.75) / 6.234
    expect(body.profit_factor as number).toBeCloseTo(2.32675649663, 10)
    expect(body.winrate as number).toBeCloseTo(2 / 3, 12)
    // 2/3 × (14.505 / 2) − 1/3 × 6.234 = 4.835 − 2.078
    expect(body.expectancy as number).toBeCloseTo(2.757, 10)
    // (1 + 7.2525 / 6.234) × 2/3 − 1
    expect(body.expectancy_ratio as number).toBeCloseTo(0.44225216554, 10)
    // cumulative 4.755, −1.479, 8.271: peak 4.755 → 6.234 / (1000 + 4.755)
    expect(body.max_drawdown as number).toBeCloseTo(0.00620449761, 10)
  })

  test('without trades every figure has its "none" value; without losses profit_factor is null', async () => {
    const none = (await get('/profit', empty)).body
    expect(none).toMatchObject({
      profit_closed_coin: 0,
      profit_all_coin: 0,
      trade_count: 0,
      first_trade_date: '',
      first_trade_humanized: '',
      first_trade_timestamp: 0,
      avg_duration: '0:00:00',
      best_pair: '',
      best_rate: 0,
      profit_factor: null,
      winrate: 0,
      expectancy: 0,
      expectancy_ratio: 100,
      max_drawdown: 0,
      max_drawdown_start: '',
      max_drawdown_end_timestamp: 0,
    })
    await insertTrade(empty.database!.db, {
      pair: 'ETH/USDT',
      amount: 0.05,
      openRate: 2400,
      openMs: SCENARIO_NOW - 3_600_000,
      fillMs: SCENARIO_NOW - 3_600_000,
      closeRate: 2500,
      closeMs: SCENARIO_NOW - 60_000,
    })
    const win = (await get('/profit', empty)).body
    // dry-run without available_capital: SB = simulated free (500 + 4.755) − closed profit 4.755 + open stakes 0
    expect(win).toMatchObject({
      profit_closed_coin: 4.755,
      profit_closed_ratio: 0.00951, // 4.755 / 500
      profit_factor: null,
      expectancy_ratio: 100,
      winning_trades: 1,
      max_drawdown: 0,
      latest_trade_humanized: 'an hour ago',
      avg_duration: '0:59:00',
    })
  })
})

describe('grouped results', () => {
  test('/performance: per pair, Σ ratios and Σ abs, best absolute profit first', async () => {
    const rows = (await get('/performance')).body
    expect(rows.map((r) => [r.pair, r.profit_abs, r.count, r.profit, r.profit_pct])).toEqual([
      ['ETH/USDT', 14.505, 2, 12.08, 12.08],
      ['BTC/USDT', -6.234, 1, -5.19, -5.19],
    ])
    expect(rows[0]!.profit_ratio as number).toBeCloseTo(r1 + r3, 12)
  })

  test('/entries, /exits, /mix_tags group by tag ("Other" when null) and filter by pair', async () => {
    const entries = (await get('/entries')).body
    expect(entries.map((r) => [r.enter_tag, r.profit_abs, r.count, r.profit_pct, r.profit])).toEqual([
      ['rsi_dip', 14.505, 2, 12.08, 12.08],
      ['Other', -6.234, 1, -5.19, -5.19],
    ])
    const exits = (await get('/exits')).body
    expect(exits.map((r) => [r.exit_reason, r.profit_abs, r.count, r.profit_pct])).toEqual([
      ['exit_signal', 9.75, 1, 8.12],
      ['roi', 4.755, 1, 3.96],
      ['stop_loss', -6.234, 1, -5.19],
    ])
    const mix = (await get('/mix_tags')).body
    expect(mix.map((r) => r.mix_tag)).toEqual(['rsi_dip exit_signal', 'rsi_dip roi', 'Other stop_loss'])
    const btc = (await get('/entries?pair=BTC/USDT')).body
    expect(btc.map((r) => r.enter_tag)).toEqual(['Other'])
    expect((await get('/mix_tags?pair=')).body).toHaveLength(3)
    expect((await get('/exits?pair=DOGE/USDT')).body).toEqual([] as never)
  })

  test('/stats: wins, losses, draws per exit reason and mean durations in seconds', async () => {
    expect((await get('/stats')).body).toEqual({
      exit_reasons: {
        roi: { wins: 1, losses: 0, draws: 0 },
        stop_loss: { wins: 0, losses: 1, draws: 0 },
        exit_signal: { wins: 1, losses: 0, draws: 0 },
      },
      // wins: (14400 + 9000) / 2; losses: 6 h
      durations: { wins: 11_700, draws: null, losses: 21_600 },
    } as never)
  })
})

describe('periodic profit', () => {
  test('/daily walks the balance back from available_capital + closed profit (1008.271), newest day first', async () => {
    const { body } = await get('/daily?timescale=4')
    expect(body.stake_currency).toBe('USDT')
    expect(body.fiat_display_currency).toBe('')
    const data = body.data as unknown as Json[]
    expect(data.map((r) => [r.date, r.abs_profit, r.starting_balance, r.trade_count, r.fiat_value])).toEqual([
      ['2024-10-24', 9.75, 998.521, 1, 0], // 1008.271 − 9.75
      ['2024-10-23', -6.234, 1004.755, 1, 0],
      ['2024-10-22', 4.755, 1000, 1, 0],
      ['2024-10-21', 0, 1000, 0, 0],
    ])
    expect(data.map((r) => r.rel_profit)).toEqual([
      0.00976444, // 9.75 / 998.521
      -0.0062045, // −6.234 / 1004.755
      0.004755,
      0,
    ])
    expect(((await get('/daily')).body.data as unknown[]).length).toBe(7)
  })

  test('/weekly rows start on Mondays, /monthly on the first of the month', async () => {
    const weeks = (await get('/weekly?timescale=2')).body.data as unknown as Json[]
    expect(weeks.map((r) => [r.date, r.abs_profit, r.starting_balance, r.rel_profit, r.trade_count])).toEqual([
      ['2024-10-21', 8.271, 1000, 0.008271, 3],
      ['2024-10-14', 0, 1000, 0, 0],
    ])
    expect(((await get('/weekly')).body.data as unknown[]).length).toBe(4)
    const months = (await get('/monthly')).body.data as unknown as Json[]
    expect(months.map((r) => [r.date, r.abs_profit, r.trade_count])).toEqual([
      ['2024-10-01', 8.271, 3],
      ['2024-09-01', 0, 0],
      ['2024-08-01', 0, 0],
    ])
  })

  test('timescale ≤ 0 is an engine refusal (502); a non-integer is 422', async () => {
    const zero = await get('/daily?timescale=0')
    expect(zero).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/daily: timescale must be an integer greater than 0' } as never,
    })
    expect((await get('/monthly?timescale=-2')).status).toBe(502)
    const bad = await get('/weekly?timescale=abc')
    expect(bad.status).toBe(422)
    expect((bad.body.detail as unknown as { loc: unknown[] }[])[0]!.loc).toEqual(['query', 'timescale'])
  })
})

describe('/balance', () => {
  test('wallet rows valued in the stake currency; bot-managed rows add up to total_bot (§9.8)', async () => {
    const { status, body } = await get('/balance')
    expect(status).toBe(200)
    const rows = body.currencies as unknown as Json[]
    // DOGE has no price in either direction and is not held by a trade: left out; BTC has no balance
    expect(
      rows.map((r) => [r.currency, r.balance, r.bot_owned, r.est_stake, r.est_stake_bot, r.is_bot_managed]),
    ).toEqual([
      // the bot may still stake min(1008.271 − open stakes 200, free 800)
      ['USDT', 800, 800, 800, 800, true],
      ['SOL', 1, 1, 162.5, 162.5, true], // held by the open SOL trade, priced 162.5
      ['BNB', 2, 0, 1200, 0, false], // 2 × 600
      ['EUR', 90, 0, 100, 0, false], // 90 / 0.9 (priced through USDT/EUR)
    ])
    expect(rows[0]).toMatchObject({ free: 800, used: 0, stake: 'USDT', side: 'long', position: 0, is_position: false })
    expect(body).toMatchObject({
      total: 2262.5,
      total_bot: 962.5,
      symbol: '',
      value: 0,
      value_bot: 0,
      stake: 'USDT',
      note: 'Simulated balances',
      starting_capital: 1000,
      starting_capital_pct: -3.75,
      starting_capital_fiat: 0,
      starting_capital_fiat_ratio: 0,
      starting_capital_fiat_pct: 0,
    })
    expect(body.starting_capital_ratio as number).toBeCloseTo(-0.0375, 12) // 962.5 / 1000 − 1
  })

  test('without cached prices: "Error getting current tickers."; without a wallet: not in the correct state', async () => {
    attachEngineParts(server, { wallet })
    const noPrices = await get('/balance')
    attachEngineParts(server, {})
    const noWallet = await get('/balance')
    attachEngineParts(server, { prices, wallet })
    expect(noPrices).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/balance: Error getting current tickers.' } as never,
    })
    expect(noWallet.body.error).toBe('Error querying /api/v1/balance: Bot is not in the correct state')
  })
})

describe('through the generated SDK', () => {
  test('every statistics route answers typed data', async () => {
    const { createTernClient } = await import('../../openapi/client.ts')
    const client = createTernClient(server.base, { username: USER, password: PASSWORD })
    expect((await client.GET('/api/v1/profit')).data?.closed_trade_count).toBe(3)
    expect((await client.GET('/api/v1/performance')).data?.[0]?.pair).toBe('ETH/USDT')
    expect((await client.GET('/api/v1/entries', { params: { query: { pair: 'ETH/USDT' } } })).data?.[0]).toMatchObject({
      enter_tag: 'rsi_dip',
      count: 2,
    })
    expect((await client.GET('/api/v1/exits')).data?.length).toBe(3)
    expect((await client.GET('/api/v1/mix_tags')).data?.[0]?.mix_tag).toBe('rsi_dip exit_signal')
    expect((await client.GET('/api/v1/stats')).data?.durations.losses).toBe(21_600)
    const daily = await client.GET('/api/v1/daily', { params: { query: { timescale: 1 } } })
    expect(daily.data?.data[0]?.abs_profit).toBe(9.75)
    expect((await client.GET('/api/v1/weekly')).data?.data).toHaveLength(4)
    expect((await client.GET('/api/v1/monthly', { params: { query: { timescale: 1 } } })).data?.data[0]?.date).toBe(
      '2024-10-01',
    )
    expect((await client.GET('/api/v1/balance')).data?.total_bot).toBe(962.5)
  })
})
