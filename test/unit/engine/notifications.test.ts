import { afterAll, beforeAll, expect, test } from 'bun:test'
import { configFromObject } from '../../../src/config/load.ts'
import { EventBus } from '../../../src/engine/events.ts'
import { startNotifications } from '../../../src/engine/notifications.ts'

const received: { signature: string | null; body: unknown }[] = []
let server: ReturnType<typeof Bun.serve>

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      received.push({ signature: req.headers.get('x-tern-signature'), body: await req.json() })
      return new Response('ok')
    },
  })
})
afterAll(() => server.stop(true))

test('bot events reach a configured webhook through the bus; websocket-only events do not', async () => {
  const config = configFromObject({
    bot_name: 'notify-bot',
    notifiers: [
      {
        method: 'webhook',
        url: `http://127.0.0.1:${server.port}/hook`,
        format: 'json',
        secret: 'hook-secret',
        status: { text: '{status}' },
      },
    ],
  })
  const events = new EventBus()
  const notifications = await startNotifications(config, events, undefined)
  expect(notifications.names).toEqual(['webhook'])
  events.emit({ type: 'whitelist', data: ['ETH/USDT'] })
  events.emit({ type: 'status', status: 'state changed to running' })
  await notifications.stop()
  expect(received.map((r) => r.body)).toEqual([{ text: 'state changed to running' }])
  expect(received[0]!.signature).toStartWith('sha256=')
  expect(events.size).toBe(0)
})

test('no notifiers configured: nothing is loaded or subscribed', async () => {
  const events = new EventBus()
  const notifications = await startNotifications(configFromObject({}), events, undefined)
  expect(notifications.names).toEqual([])
  expect(events.size).toBe(0)
})
