import { afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { loadPlugins, NotifierManager, type PluginRegistry, type TelegramCommands } from '../../../src/plugins/index.ts'
import { entryEvent, exitEvent } from './events.ts'
import { waitFor } from './receiver.ts'

const TOKEN = '123456:TEST'
const CHAT = 4242

interface Sent {
  chat_id: string | number
  text: string
  disable_notification?: boolean
}

/** A local stand-in for the Telegram Bot API: getMe, deleteWebhook, getUpdates (long poll), sendMessage. */
function fakeBotApi() {
  const sent: Sent[] = []
  const updates: Record<string, unknown>[] = []
  let nextId = 1
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url).pathname)
      if (!m || m[1] !== TOKEN) return Response.json({ ok: false, error_code: 401, description: 'Unauthorized' })
      const params = (await req.text().then((t) => (t ? JSON.parse(t) : {}))) as Record<string, unknown>
      const ok = (result: unknown) => Response.json({ ok: true, result })
      switch (m[2]) {
        case 'getMe':
          return ok({ id: 1, is_bot: true, first_name: 'Tern', username: 'tern_bot' })
        case 'deleteWebhook':
          return ok(true)
        case 'getUpdates': {
          const offset = Number(params.offset ?? 0)
          for (let waited = 0; waited < 200; waited += 10) {
            const ready = updates.filter((u) => (u.update_id as number) >= offset)
            if (ready.length > 0) return ok(ready)
            if (params.timeout === undefined || params.timeout === 0) break
            await Bun.sleep(10)
          }
          return ok([])
        }
        case 'sendMessage':
          sent.push(params as unknown as Sent)
          return ok({
            message_id: sent.length,
            date: 0,
            chat: { id: params.chat_id, type: 'private' },
            text: params.text,
          })
        default:
          return Response.json({ ok: false, error_code: 404, description: `no ${m[2]}` })
      }
    },
  })
  return {
    apiRoot: `http://127.0.0.1:${server.port}`,
    sent,
    /** Queues a message as if a user typed it in `chatId`. */
    type(text: string, chatId = CHAT, username = 'alice') {
      const cmd = /^\/\w+/.exec(text)?.[0]
      updates.push({
        update_id: nextId++,
        message: {
          message_id: nextId,
          date: 1_700_000_000,
          chat: { id: chatId, type: 'private' },
          from: { id: 77, is_bot: false, first_name: 'A', username },
          text,
          ...(cmd ? { entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] } : {}),
        },
      })
    },
    stop: () => server.stop(true),
  }
}

/** Records calls and answers with fixed data; it stands for the bot's RPC layer. */
function fakeCommands() {
  const calls: string[] = []
  /** Records a call and passes its answer through. */
  const rec = <T>(call: string, value: T): T => {
    calls.push(call)
    return value
  }
  const commands: TelegramCommands = {
    status: async () =>
      rec('status', [
        {
          trade_id: 7,
          pair: 'ETH/BTC',
          is_short: false,
          amount: 2,
          stake_amount: 0.1,
          open_rate: 0.05,
          current_rate: 0.051,
          open_date: '2024-05-01 10:00:00',
          enter_tag: null,
          profit_ratio: 0.02,
          profit_abs: 0.002,
        },
      ]),
    profit: async () =>
      rec('profit', {
        profit_closed_coin: 0.0123,
        profit_closed_ratio_mean: 0.015,
        profit_closed_ratio: 0.0123,
        profit_all_coin: 0.0143,
        profit_all_ratio_mean: 0.016,
        profit_all_ratio: 0.0143,
        trade_count: 5,
        closed_trade_count: 4,
        first_trade_date: '2024-04-01 10:00:00',
        latest_trade_date: '2024-05-01 10:00:00',
        avg_duration: '2:30:00',
        best_pair: 'ETH/BTC',
        best_pair_profit_ratio: 0.04,
        winning_trades: 3,
        losing_trades: 1,
        winrate: 0.75,
        expectancy: 0.0031,
        max_drawdown: 0.021,
        max_drawdown_abs: 0.0021,
      }),
    balance: async () =>
      rec('balance', {
        currencies: [{ currency: 'BTC', free: 0.9, balance: 1, used: 0.1, est_stake: 1 }],
        total: 1.1,
        total_bot: 1.05,
        stake: 'BTC',
        note: 'Simulated balances',
        starting_capital: 1,
      }),
    daily: async (days) =>
      rec(`daily ${days}`, {
        stake_currency: 'BTC',
        data: [{ date: '2024-05-01', abs_profit: 0.01, rel_profit: 0.01, starting_balance: 1, trade_count: 2 }],
      }),
    performance: async () => rec('performance', [{ pair: 'ETH/BTC', profit_ratio: 0.04, profit_abs: 0.004, count: 2 }]),
    count: async () => rec('count', { current: 1, max: 3, total_stake: 0.1 }),
    locks: async () =>
      rec('locks', [{ id: 4, pair: 'XRP/BTC', side: '*', reason: 'Cooldown', lock_end_time: '2024-05-01 11:00:00' }]),
    start: async () => rec('start', 'starting trader ...'),
    stop: async () => rec('stop', 'stopping trader ...'),
    stopEntry: async () => 'No more entries will occur from now. Run /reload_config to reset.',
    forceExit: async (id) => {
      calls.push(`forceexit ${id}`)
      if (id === '99') throw new Error('invalid argument')
      return `Created exit order for trade ${id}.`
    },
    forceEnter: async (pair, side, price) => rec(`forceenter ${pair} ${side} ${price}`, `Entered ${pair}`),
    reloadConfig: async () => 'Reloading config ...',
  }
  return { calls, commands }
}

let registry: PluginRegistry
beforeAll(async () => {
  registry = await loadPlugins()
})
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function telegram(
  api: ReturnType<typeof fakeBotApi>,
  extra: Record<string, unknown> = {},
  commands?: TelegramCommands,
) {
  const n = NotifierManager.create(
    registry,
    [{ method: 'telegram', token: TOKEN, chat_id: String(CHAT), api_root: api.apiRoot, polling_timeout: 1, ...extra }],
    { botName: 'tern', stakeCurrency: 'BTC', commands },
  )
  cleanups.push(() => n.stop())
  return n
}

describe('telegram notifier', () => {
  test('per-event settings: on, off, silent, exit per reason', async () => {
    const api = fakeBotApi()
    cleanups.push(api.stop)
    const n = telegram(api, {
      notification_settings: { status: 'off', exit_fill: 'silent', exit: { stop_loss: 'on', '*': 'silent' } },
    })
    n.notify(entryEvent()) // default on
    n.notify(entryEvent({ type: 'entry_fill' })) // default off
    n.notify({ type: 'status', status: 'running' }) // off
    n.notify(exitEvent({ type: 'exit', exit_reason: 'roi' })) // exit.* = silent
    n.notify(exitEvent({ type: 'exit', exit_reason: 'stop_loss', profit_ratio: -0.05 })) // exit.stop_loss = on
    n.notify(exitEvent()) // exit_fill silent
    n.notify({ type: 'warning', status: 'low balance' }) // default on
    await n.flush()
    expect(api.sent.map((s) => [s.text.split('\n')[0], s.disable_notification])).toEqual([
      ['🔵 Binance: Entering ETH/BTC (#1)', false],
      ['✳ Binance: Exiting ETH/BTC (#1)', true],
      ['⚠ Binance: Exiting ETH/BTC (#1)', false],
      ['✳ Binance: Exited ETH/BTC (#1)', true],
      ['⚠ Warning: low balance', false],
    ])
    expect(api.sent.every((s) => String(s.chat_id) === String(CHAT))).toBe(true)
    expect(api.sent[1]?.text).toContain('Unrealized Profit: 3.75% (0.00469 BTC)')
    expect(api.sent[3]?.text).toContain('Duration: 2:30:00')
  })

  test('commands round trip through the Bot API, only from the configured chat', async () => {
    const api = fakeBotApi()
    cleanups.push(api.stop)
    const { calls, commands } = fakeCommands()
    const n = telegram(api, {}, commands)
    await n.start()

    api.type('/status')
    await waitFor(() => api.sent.length >= 1)
    expect(api.sent[0]?.text).toContain('Trade ID: 7')
    expect(api.sent[0]?.text).toContain('Current Profit: 2.00% (0.002)')

    api.type('/status table')
    await waitFor(() => api.sent.length >= 2)
    expect(api.sent[1]?.text.split('\n')).toEqual([
      'ID  Pair     Since                Profit',
      '7   ETH/BTC  2024-05-01 10:00:00  2.00%',
    ])

    api.type('/forceexit 7', CHAT + 1) // another chat: ignored
    api.type('/forceexit 7')
    await waitFor(() => api.sent.length >= 3)
    expect(api.sent[2]?.text).toBe('Created exit order for trade 7.')

    api.type('/forceexit 99')
    api.type('/daily 3')
    api.type('/forceenter XRP/BTC 0.00001')
    api.type('/stop')
    await waitFor(() => api.sent.length >= 7)
    expect(api.sent.slice(3).map((s) => s.text.split('\n')[0])).toEqual([
      'Error: invalid argument',
      'Daily Profit over the last 1 days:',
      'Entered XRP/BTC',
      'stopping trader ...',
    ])
    expect(calls).toEqual([
      'status',
      'status',
      'forceexit 7',
      'forceexit 99',
      'daily 3',
      'forceenter XRP/BTC long 0.00001',
      'stop',
    ])
    expect(api.sent.every((s) => String(s.chat_id) === String(CHAT))).toBe(true)
  })

  test('authorized_users restricts commands to the listed usernames', async () => {
    const api = fakeBotApi()
    cleanups.push(api.stop)
    const { calls, commands } = fakeCommands()
    const n = telegram(api, { authorized_users: ['bob'] }, commands)
    await n.start()
    api.type('/start', CHAT, 'alice')
    api.type('/help', CHAT, 'bob')
    await waitFor(() => api.sent.length >= 1)
    await Bun.sleep(50)
    expect(api.sent.length).toBe(1)
    expect(api.sent[0]?.text).toContain('/forceexit <trade_id>|all')
    expect(calls).toEqual([])
  })

  test("read-only commands answer with the bot's numbers", async () => {
    const api = fakeBotApi()
    cleanups.push(api.stop)
    const { calls, commands } = fakeCommands()
    const n = telegram(api, {}, commands)
    await n.start()
    for (const c of ['/profit', '/balance', '/performance', '/count', '/locks']) {
      const before = api.sent.length
      api.type(c)
      await waitFor(() => api.sent.length > before)
    }
    const [profit, balance, performance, count, locks] = api.sent.map((s) => s.text.split('\n'))
    expect(profit).toContain('∙ 0.0123 BTC (1.50%)')
    expect(profit).toContain('Win / Loss: 3 / 1')
    expect(profit).toContain('Max Drawdown: 2.10% (0.0021 BTC)')
    expect(balance).toEqual([
      'Simulated balances',
      'BTC: Available 0.9, Balance 1, Est. 1 BTC',
      'Estimated Value: 1.1 BTC',
      'Estimated Value (Bot managed): 1.05 BTC',
      'Starting capital: 1 BTC',
    ])
    expect(performance).toEqual(['Performance:', '1. ETH/BTC 0.004 (4.00%) (2)'])
    expect(count).toEqual(['current  max  total stake', '1        3    0.1'])
    expect(locks).toEqual([
      'ID  Pair     Side  Until                Reason',
      '4   XRP/BTC  *     2024-05-01 11:00:00  Cooldown',
    ])
    expect(calls).toEqual(['profit', 'balance', 'performance', 'count', 'locks'])
  })
})
