import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { configFromObject } from '../../../src/config/load.ts'
import { openDatabase } from '../../../src/db/database.ts'
import { getKvDatetime } from '../../../src/db/kv.ts'
import { trades } from '../../../src/db/schema.ts'
import { BOT_START_KEY, Bot } from '../../../src/engine/bot.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { tempDir } from '../../helpers/tmp.ts'

const dir = tempDir()
afterAll(dir.cleanup)

const T0 = Date.UTC(2024, 0, 15, 12, 0, 0)

async function open(name: string) {
  return openDatabase({ url: `file:${join(dir.path, name)}` })
}

describe('Bot', () => {
  test('bot_start is now on a fresh database and survives a restart unchanged', async () => {
    const clock = new ManualClock(T0)
    const config = configFromObject({})
    const first = await open('a.sqlite')
    const bot = await Bot.create({ config, db: first.db, clock })
    expect(bot.botStartMs).toBe(T0)
    first.close()
    clock.advance(3_600_000)
    const second = await open('a.sqlite')
    const again = await Bot.create({ config, db: second.db, clock })
    expect(again.botStartMs).toBe(T0)
    expect(again.startupMs).toBe(T0 + 3_600_000)
    second.close()
  })

  test('bot_start starts from the oldest trade when trades exist before it was recorded', async () => {
    const database = await open('b.sqlite')
    const base = { exchange: 'sim', pair: 'ETH/USDT', openRate: 100, stakeAmount: 10, amount: 0.1 }
    await database.db.insert(trades).values([
      { ...base, openDate: T0 - 5_000 },
      { ...base, openDate: T0 - 9_000 },
    ])
    const bot = await Bot.create({ config: configFromObject({}), db: database.db, clock: new ManualClock(T0) })
    expect(bot.botStartMs).toBe(T0 - 9_000)
    expect(await getKvDatetime(database.db, BOT_START_KEY)).toBe(T0 - 9_000)
    database.close()
  })

  test('states: initial_state, start/stop answers, pause, stopentry sets max_open_trades to 0', async () => {
    const database = await open('c.sqlite')
    const bot = await Bot.create({
      config: configFromObject({ initial_state: 'stopped', max_open_trades: 4 }),
      db: database.db,
      clock: new ManualClock(T0),
    })
    expect(bot.state).toBe('stopped')
    expect(bot.stop()).toBe('already stopped')
    expect(bot.start()).toBe('started')
    expect(bot.start()).toBe('already running')
    bot.pause()
    expect(bot.state).toBe('paused')
    expect(bot.maxOpenTrades).toBe(4)
    bot.stopEntry()
    expect(bot.maxOpenTrades).toBe(0)
    database.close()
  })

  test('the loop iterates only while running or paused, records the time, and survives a failing step', async () => {
    const database = await open('d.sqlite')
    const clock = new ManualClock(T0)
    const ran: string[] = []
    const bot = await Bot.create({
      config: configFromObject({ initial_state: 'running', internals: { process_throttle_secs: 1 } }),
      db: database.db,
      clock,
      loopClock: clock,
      steps: [
        {
          name: 'broken',
          run: async () => {
            throw new Error('step failure')
          },
        },
        {
          name: 'count',
          run: async () => {
            ran.push('count')
            if (ran.length === 3) bot.shutdown()
          },
        },
      ],
    })
    await bot.run()
    expect(ran.length).toBe(3)
    // ManualClock.sleep advances time by the throttle: three iterations one second apart
    expect(bot.lastProcessMs).toBe(T0 + 2_000)
    // the latest iteration's time per step: the failing step has none
    expect(Object.keys(bot.lastStepMs)).toEqual(['count'])
    expect(bot.lastStepMs.count).toBeGreaterThanOrEqual(0)
    database.close()
  })
})
