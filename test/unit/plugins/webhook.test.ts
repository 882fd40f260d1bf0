import { afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { formatTemplate } from '../../../src/plugins/format.ts'
import {
  defineNotifier,
  loadPlugins,
  NotifierManager,
  notifierBlocks,
  type PluginRegistry,
  Type,
} from '../../../src/plugins/index.ts'
import { entryEvent, exitEvent } from './events.ts'
import { receiver, waitFor } from './receiver.ts'

let registry: PluginRegistry
beforeAll(async () => {
  registry = await loadPlugins()
})
const stops: (() => void)[] = []
afterEach(() => {
  for (const s of stops.splice(0)) s()
})

const env = { botName: 'tern', stakeCurrency: 'BTC', strategy: 'EmaCross', timeframe: '5m' }

function webhook(block: Record<string, unknown>) {
  return NotifierManager.create(registry, [{ method: 'webhook', ...block }], env)
}

function serve(answer?: Parameters<typeof receiver>[0]) {
  const r = receiver(answer)
  stops.push(r.stop)
  return r
}

describe('templates', () => {
  test('Python format specs as freqtrade templates use them', () => {
    const v = { pair: 'ETH/BTC', r: 0.03752, a: 1234567.891, d: new Date(Date.UTC(2024, 4, 1, 9, 5, 7)), n: null }
    expect(formatTemplate('{pair} {r:.2%} {a:,.2f} {a:.1f} {{x}}', v)).toBe('ETH/BTC 3.75% 1,234,567.89 1234567.9 {x}')
    expect(formatTemplate('{d:%Y-%m-%d %H:%M:%S} | {d} | {n}', v)).toBe(
      '2024-05-01 09:05:07 | 2024-05-01 09:05:07+00:00 | None',
    )
    expect(() => formatTemplate('{nope}', v)).toThrow("unknown placeholder '{nope}'")
  })
})

describe('webhook notifier', () => {
  test('json: the event fills the nested template of its type; legacy keys still work', async () => {
    const r = serve()
    const n = webhook({
      url: r.url,
      format: 'json',
      entry: { text: 'Buying {pair} at {open_rate:.3f}', details: { amount: '{amount}', tag: '{enter_tag}' } },
      webhookexitfill: { text: 'Sold {pair}: {profit_ratio:.2%} ({exit_reason})' },
    })
    n.notify(entryEvent())
    n.notify(exitEvent())
    n.notify({ type: 'status', status: 'running' }) // no template: not sent
    await n.flush()
    expect(r.requests.map((q) => JSON.parse(q.body))).toEqual([
      { text: 'Buying ETH/BTC at 0.050', details: { amount: '2.5', tag: 'ema_cross' } },
      { text: 'Sold ETH/BTC: 3.75% (roi)' },
    ])
    expect(r.requests[0]?.headers.get('content-type')).toBe('application/json')
    expect(n.stats).toEqual({ sent: 3, failed: 0, dropped: 0 })
  })

  test('form and raw formats', async () => {
    const r = serve()
    const form = webhook({ url: r.url, entry: { value1: 'Buy {pair}', value2: '{stake_amount} {stake_currency}' } })
    form.notify(entryEvent())
    await form.flush()
    expect(r.requests[0]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(r.requests[0]?.body))).toEqual({
      value1: 'Buy ETH/BTC',
      value2: '0.125 BTC',
    })
    const raw = webhook({ url: r.url, format: 'raw', status: { data: 'Status: {status}' } })
    raw.notify({ type: 'status', status: 'stopped' })
    await raw.flush()
    expect(r.requests[1]?.body).toBe('Status: stopped')
    expect(r.requests[1]?.headers.get('content-type')).toBe('text/plain')
  })

  test('retries failed posts, then gives up and counts the failure', async () => {
    const flaky = serve((n) => new Response('down', { status: n <= 2 ? 503 : 200 }))
    const n = webhook({ url: flaky.url, format: 'json', retries: 2, retry_delay: 0.01, status: { s: '{status}' } })
    n.notify({ type: 'status', status: 'one' })
    await n.flush()
    expect(flaky.requests.length).toBe(3)
    expect(n.stats.sent).toBe(1)

    const dead = serve(() => new Response('no', { status: 500 }))
    const d = webhook({ url: dead.url, format: 'json', retries: 1, retry_delay: 0, status: { s: '{status}' } })
    d.notify({ type: 'status', status: 'lost' })
    await d.flush()
    expect(dead.requests.length).toBe(2)
    expect(d.stats).toEqual({ sent: 0, failed: 1, dropped: 0 })
  })

  test('timeout counts as a failure', async () => {
    const slow = serve(async () => {
      await Bun.sleep(400)
      return new Response('late')
    })
    const n = webhook({ url: slow.url, format: 'json', timeout: 0.05, status: { s: '{status}' } })
    n.notify({ type: 'status', status: 'x' })
    await n.flush()
    expect(n.stats.failed).toBe(1)
  })

  test('HMAC-SHA256 signature of the exact body', async () => {
    const r = serve()
    const n = webhook({ url: r.url, format: 'json', secret: 's3cret', entry: { text: '{pair}' } })
    n.notify(entryEvent())
    await n.flush()
    const body = r.requests[0]?.body as string
    const expected = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`
    expect(r.requests[0]?.headers.get('x-tern-signature')).toBe(expected)
    expect(body).toBe('{"text":"ETH/BTC"}')
  })

  test('notify never waits for a slow receiver, and order is kept', async () => {
    const slow = serve(async () => {
      await Bun.sleep(50)
      return new Response('ok')
    })
    const n = webhook({ url: slow.url, format: 'json', status: { s: '{status}' } })
    const t0 = performance.now()
    for (let i = 0; i < 5; i++) n.notify({ type: 'status', status: `m${i}` })
    expect(performance.now() - t0).toBeLessThan(20)
    expect(n.pending).toBe(5)
    await n.flush()
    expect(slow.requests.map((q) => JSON.parse(q.body).s)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
  })

  test('a full queue drops the oldest event and counts it', async () => {
    const r = serve(async () => {
      await Bun.sleep(20)
      return new Response('ok')
    })
    const n = NotifierManager.create(
      registry,
      [{ method: 'webhook', url: r.url, format: 'json', status: { s: '{status}' } }],
      env,
      { maxQueue: 2 },
    )
    for (let i = 0; i < 4; i++) n.notify({ type: 'status', status: `m${i}` })
    await n.flush()
    expect(n.stats.dropped).toBe(2)
    expect(r.requests.map((q) => JSON.parse(q.body).s)).toEqual(['m2', 'm3'])
  })

  test('config blocks: bad keys are named; freqtrade top-level blocks are read when enabled', () => {
    expect(() => webhook({ format: 'json' })).toThrow(/notifiers\[0\] \(webhook\): key 'url'/)
    expect(() => webhook({ url: 'http://x', format: 'xml' })).toThrow(/notifiers\[0\] \(webhook\): key 'format'/)
    expect(
      notifierBlocks({
        notifiers: [
          { method: 'webhook', url: 'a' },
          { method: 'discord', enabled: false, webhook_url: 'b' },
        ],
        webhook: { enabled: true, url: 'c' },
        telegram: { enabled: false, token: 't', chat_id: '1' },
      }),
    ).toEqual([
      { method: 'webhook', url: 'a' },
      { method: 'webhook', url: 'c' },
    ])
    expect(() => notifierBlocks({ notifiers: [{ url: 'a' }] })).toThrow(/notifiers\[0\]: key 'method' is required/)
  })
})

describe('discord notifier', () => {
  test('one embed per event with freqtrade fields, green for a profitable exit', async () => {
    const r = serve()
    const n = NotifierManager.create(
      registry,
      [
        {
          method: 'discord',
          webhook_url: r.url,
          exit_fill: [
            { 'Trade ID': '{trade_id}' },
            { Pair: '{pair}' },
            { 'Close date': '{close_date:%Y-%m-%d %H:%M:%S}' },
            { Profit: '{profit_amount} {stake_currency}' },
            { Profitability: '{profit_ratio:.2%}' },
            { Strategy: '{strategy} {timeframe}' },
          ],
          entry_fill: [{ Pair: '{pair}' }],
        },
      ],
      env,
    )
    n.notify(exitEvent())
    n.notify(exitEvent({ profit_ratio: -0.01, profit_amount: -0.001 }))
    n.notify(entryEvent({ type: 'entry_fill' }))
    n.notify(entryEvent()) // no fields for `entry`: not sent
    await n.flush()
    const bodies = r.requests.map((q) => JSON.parse(q.body))
    expect(bodies[0]).toEqual({
      embeds: [
        {
          title: 'Trade: ETH/BTC exit_fill',
          color: 0x00ff00,
          fields: [
            { name: 'Trade ID', value: '1', inline: true },
            { name: 'Pair', value: 'ETH/BTC', inline: true },
            { name: 'Close date', value: '2024-05-01 12:30:00', inline: true },
            { name: 'Profit', value: '0.00469 BTC', inline: true },
            { name: 'Profitability', value: '3.75%', inline: true },
            { name: 'Strategy', value: 'EmaCross 5m', inline: true },
          ],
        },
      ],
    })
    expect(bodies[1].embeds[0].color).toBe(0xff0000)
    expect(bodies[2].embeds[0]).toMatchObject({ title: 'Trade: ETH/BTC entry_fill', color: 0x0000ff })
    expect(bodies.length).toBe(3)
  })
})

describe('isolation', () => {
  test('a notifier that throws or hangs delays neither the caller nor the other notifiers', async () => {
    const local = await loadPlugins()
    const attempts: string[] = []
    local.add(
      defineNotifier({
        name: 'thrower',
        description: 'throws synchronously',
        config: Type.Object({}),
        create: () => ({
          retries: 1,
          retryDelayMs: 0,
          send: (e) => {
            attempts.push(e.type)
            throw new Error('bad plugin')
          },
        }),
      }),
    )
    local.add(
      defineNotifier({
        name: 'hang',
        description: 'never answers',
        config: Type.Object({}),
        create: () => ({ retries: 0, retryDelayMs: 0, send: () => new Promise<void>(() => {}) }),
      }),
    )
    const r = serve()
    const n = NotifierManager.create(
      local,
      [
        { method: 'thrower' },
        { method: 'hang' },
        { method: 'webhook', url: r.url, format: 'json', status: { s: '{status}' } },
      ],
      env,
      { attemptTimeoutMs: 100 },
    )
    const t0 = performance.now()
    n.notify({ type: 'status', status: 'hello' })
    expect(performance.now() - t0).toBeLessThan(5)
    await waitFor(() => r.requests.length === 1 && attempts.length === 2)
    expect(JSON.parse(r.requests[0]?.body as string)).toEqual({ s: 'hello' })
    // the hanging one gives up after attemptTimeoutMs, so the queues drain and stop returns
    await n.stop(2000)
    expect(n.stats).toEqual({ sent: 1, failed: 2, dropped: 0 })
  })
})
