// One bot iteration with 100 whitelisted pairs and 50 open trades against the simulator on loopback (dry-run,
// in-process analysis, libSQL file): total ms and the split analysis / orders / exits / entries / db.
// Run: bun run test/bench/engine.bench.ts
import { join } from 'node:path'
import { configFromObject } from '../../src/config/load.ts'
import { openDatabase } from '../../src/db/database.ts'
import { buildTradingBot } from '../../src/engine/build.ts'
import { DryRunBroker } from '../../src/exchange/dryRunBroker.ts'
import { Exchange } from '../../src/exchange/exchange.ts'
import { startSimExchange } from '../../src/sim/server.ts'
import { ManualClock } from '../../src/util/clock.ts'
import { createRootLogger, setRootLogger } from '../../src/util/logger.ts'
import { tempDir } from '../helpers/tmp.ts'

const PAIRS = Array.from({ length: 100 }, (_, i) => `B${i}X/USDT`)
const ROUNDS = 5
const MINUTE = 60_000
const T0 = Date.UTC(2026, 0, 5, 12, 0, 5)

// figures only: the bot's info lines (one per entry) would bury them
setRootLogger(createRootLogger({ format: 'json', level: 'warn' }))

const dir = tempDir()
const clock = new ManualClock(T0)
const sim = await startSimExchange({ clock, seed: 3, extraPairs: PAIRS, markets: [] })
const exchange = new Exchange({
  name: 'sim',
  simUrl: sim.url,
  key: 'k',
  secret: 's',
  stakeCurrency: 'USDT',
  clock,
  ccxtConfig: { enableRateLimit: false },
  concurrency: 16,
})
await exchange.loadMarkets()
const config = configFromObject({
  strategy: 'EnterOften',
  strategy_path: join(import.meta.dir, '..', 'unit', 'engine', 'fixtures', 'strategies'),
  analysis_workers: 0,
  initial_state: 'running',
  max_open_trades: 50,
  stake_amount: 20,
  dry_run_wallet: 100_000,
  order_types: { entry: 'market', exit: 'market', stoploss: 'market' },
  exchange: { name: 'sim', pair_whitelist: PAIRS },
})
const database = await openDatabase({ url: `file:${join(dir.path, 'bench.sqlite')}` })
const broker = new DryRunBroker(exchange, { dryRunWallet: 100_000, clock })
const { bot, trader } = await buildTradingBot({ config, db: database.db, exchange, broker, clock })

/** The split of the iteration just run: the bot's time per step and the trader's database time. */
const split = (total: number) => {
  const step = (name: string) => bot.lastStepMs[name] ?? 0
  return {
    total,
    refresh: step('refresh candles'),
    analysis: step('analyse candles'),
    orders: step('manage orders'),
    exits: step('exits'),
    entries: step('entries'),
    db: trader.timings.db,
  }
}

let t0 = performance.now()
await bot.iterate()
const opening = split(performance.now() - t0)
console.log(`open trades: ${trader.open.size}`)

const rows: ReturnType<typeof split>[] = []
for (let r = 1; r <= ROUNDS; r++) {
  clock.set(T0 + r * MINUTE) // a new candle for every pair: all 100 are analysed again
  t0 = performance.now()
  await bot.iterate()
  rows.push(split(performance.now() - t0))
}
rows.sort((a, b) => a.total - b.total)
const med = rows[Math.floor(rows.length / 2)]!
const f = (x: number) => x.toFixed(1).padStart(7)
console.log(
  `first iteration (1000 candles x 100 pairs fetched, 50 entries): ${f(opening.total)} ms  ` +
    `[analysis ${f(opening.analysis)}  entries ${f(opening.entries)}  db ${f(opening.db)}]`,
)
console.log(
  `iteration, new candle, 100 pairs, 50 open trades (median of ${ROUNDS}): ${f(med.total)} ms  ` +
    `[analysis ${f(med.analysis)}  orders ${f(med.orders)}  exits ${f(med.exits)}  entries ${f(med.entries)}  db ${f(med.db)}]`,
)
console.log(`(of it, the candle refresh over loopback HTTP: ${f(med.refresh)} ms)`)
database.close()
await exchange.close()
await sim.stop()
dir.cleanup()
