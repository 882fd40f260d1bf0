import { join } from 'node:path'
import { configFromObject } from '../../src/config/load.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { buildTradingBot, type TradingBot } from '../../src/engine/build.ts'
import type { BotMessage } from '../../src/engine/events.ts'
import { DryRunBroker } from '../../src/exchange/dryRunBroker.ts'
import type { Exchange } from '../../src/exchange/exchange.ts'
import { type SimExchange, startSimExchange } from '../../src/sim/server.ts'
import { ManualClock } from '../../src/util/clock.ts'
import { connectSim } from './simExchange.ts'
import { tempDir } from './tmp.ts'

/** A dry-run trading bot against the simulator, with what a test steers and reads. */
export interface DryRunBot {
  clock: ManualClock
  sim: SimExchange
  exchange: Exchange
  database: Database
  tb: TradingBot
  /** Every message the bot sent, in order. */
  events: BotMessage[]
  /** The database file's URL (`file:…`). */
  dbUrl: string
  cleanup: () => Promise<void>
}

/**
 * A running dry-run bot on a manual clock at `startMs`, trading against a simulator (seed 7) with a 1000 USDT wallet
 * and a file database in a temp folder; `config` (the strategy, its path, the whitelist, anything else) goes over
 * these defaults: in-process analysis, 2 trades of 100 USDT, market orders priced on the other side of the book.
 */
export async function dryRunBot(startMs: number, config: Record<string, unknown>): Promise<DryRunBot> {
  const dir = tempDir()
  const clock = new ManualClock(startMs)
  const sim = await startSimExchange({ clock, seed: 7 })
  const exchange = await connectSim(sim, clock, { retryDelayMs: 10 })
  const cfg = configFromObject({
    analysis_workers: 0,
    initial_state: 'running',
    max_open_trades: 2,
    stake_amount: 100,
    dry_run: true,
    dry_run_wallet: 1000,
    stake_currency: 'USDT',
    order_types: { entry: 'market', exit: 'market', stoploss: 'market' },
    entry_pricing: { price_side: 'other' },
    exit_pricing: { price_side: 'other' },
    ...config,
  })
  const dbUrl = `file:${join(dir.path, 'tern.sqlite')}`
  const database = await openDatabase({ url: dbUrl })
  const broker = new DryRunBroker(exchange, { dryRunWallet: 1000, clock })
  const tb = await buildTradingBot({ config: cfg, db: database.db, exchange, broker, clock })
  const events: BotMessage[] = []
  tb.bot.events.subscribe((m) => events.push(m))
  return {
    clock,
    sim,
    exchange,
    database,
    tb,
    events,
    dbUrl,
    cleanup: async () => {
      database.close()
      await exchange.close()
      await sim.stop()
      dir.cleanup()
    },
  }
}
