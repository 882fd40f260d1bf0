import { afterAll, beforeAll, expect, test } from 'bun:test'
import { telegramCommands } from '../../src/rpc/telegram.ts'
import { ManualClock, RealClock, setClock } from '../../src/util/clock.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import {
  attachEngineParts,
  FixedWallet,
  RecordingCommands,
  SCENARIO_NOW,
  scenarioPrices,
  seedScenario,
} from '../helpers/tradeRows.ts'

const clock = new ManualClock(SCENARIO_NOW)
let server: TestServer
let commands: RecordingCommands

beforeAll(async () => {
  setClock(clock)
  server = await startTestServer({
    mode: 'trade',
    clock,
    config: { initial_state: 'running', force_entry_enable: true },
  })
  await seedScenario(server.database!.db)
  commands = new RecordingCommands(server.database!.db, () => clock.now())
  attachEngineParts(server, {
    prices: scenarioPrices(),
    trades: commands,
    wallet: new FixedWallet({ USDT: { free: 800, used: 0, total: 800 } }),
  })
})
afterAll(async () => {
  await server.stop()
  setClock(new RealClock())
})

test('Telegram commands answer from the same RPC service as the REST API', async () => {
  const tg = telegramCommands(server.rpc)
  // the seeded scenario: SOL open at 150, priced 162.5 → profit ratio 0.08116883; XRP open without a fill
  const status = await tg.status()
  expect(status.map((t) => t.pair)).toEqual(['SOL/USDT', 'XRP/USDT'])
  expect(status[0]!.profit_ratio).toBe(0.08116883)
  expect(status[0]!.current_rate).toBe(162.5)
  expect((await tg.profit()).closed_trade_count).toBe(3)
  expect((await tg.count()).current).toBe(2)
  expect((await tg.daily(3)).data.length).toBe(3)
  expect((await tg.performance()).map((p) => p.pair)).toContain('ETH/USDT')
  expect((await tg.balance()).stake).toBe('USDT')
  expect(await tg.locks()).toEqual([])
  expect(await tg.stop()).toBe('stopping trader ...')
  expect(await tg.start()).toBe('starting trader ...')
  expect(await tg.stopEntry()).toBe('No more entries will occur from now. Run /reload_config to reset.')
  expect(await tg.forceExit('all')).toBe('Created exit orders for all open trades.')
  expect(commands.calls.at(-1)).toMatchObject({ method: 'forceExit' })
})

test('a refusal reaches the chat as the error message', async () => {
  const tg = telegramCommands(server.rpc)
  commands.refuse = 'invalid argument'
  await expect(tg.forceExit('999')).rejects.toThrow('invalid argument')
  commands.refuse = undefined
  server.bot!.stop()
  await expect(tg.forceExit('all')).rejects.toThrow('trader is not running')
})
