/**
 * The API under load while the bot runs: `/status` with 200 open trades and `/trades?limit=500` with 10,000 closed
 * trades, loaded by autocannon from a second process, and whether the bot's iterations were delayed meanwhile.
 * The bot is `tern trade` in its own process (dry-run against `tern sim` in a third process, a strategy that holds
 * its trades).
 * Run: bun run test/bench/apiLoad.bench.ts
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/database.ts'
import { wallClock } from '../../src/util/clock.ts'
import { tempDir } from '../helpers/tmp.ts'
import { insertTrade } from '../helpers/tradeRows.ts'

const ROOT = join(import.meta.dir, '..', '..')
const PORT = 23000 + Math.floor(Math.random() * 1000)
const SIM_PORT = PORT + 1000
const PAIRS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT', 'SOL/USDT', 'XRP/USDT']
const DURATION_S = 10
const dir = tempDir('tern-api-load-')
const dbFile = join(dir.path, 'load.sqlite')

// 10,000 closed trades over the last 100 days and 200 open ones, written as the engine writes them
const database = await openDatabase({ url: `file:${dbFile}` })
const now = wallClock.now()
for (let i = 0; i < 10_200; i++) {
  const open = i >= 10_000
  const openMs = now - 100 * 86_400_000 + i * 800_000
  await insertTrade(database.db, {
    pair: PAIRS[i % PAIRS.length]!,
    amount: 0.5,
    openRate: 100 + (i % 17),
    openMs,
    fillMs: openMs + 1000,
    ...(open ? {} : { closeRate: 100 + ((i * 7) % 23), closeMs: openMs + 3_600_000, exitReason: 'roi' }),
  })
}
database.close()

writeFileSync(
  join(dir.path, 'config.json'),
  JSON.stringify({
    dry_run: true,
    dry_run_wallet: 100_000,
    stake_currency: 'USDT',
    stake_amount: 100,
    max_open_trades: 200,
    strategy: 'EnterOften',
    // the trades' prices are made up: keep ROI and the stop out of reach so all 200 stay open
    minimal_roi: { '0': 1_000_000 },
    stoploss: -1,
    strategy_path: join(ROOT, 'test/unit/engine/fixtures/strategies'),
    analysis_workers: 0,
    initial_state: 'running',
    db_url: `file:${dbFile}`,
    exchange: { name: 'sim', pair_whitelist: PAIRS, sim: { url: `http://127.0.0.1:${SIM_PORT}` } },
    api_server: { enabled: true, listen_port: PORT, username: 'tern', password: 'load-bench-pw' },
    internals: { process_throttle_secs: 1 },
    user_data_dir: join(dir.path, 'user_data'),
  }),
)
// the exchange runs in its own process, as a real one would: its work is not the bot's
const sim = Bun.spawn(['bun', join(ROOT, 'src/cli/main.ts'), 'sim', '--port', String(SIM_PORT)], {
  stdout: 'ignore',
  stderr: 'inherit',
})
for (let i = 0; i < 100; i++) {
  if (
    await fetch(`http://127.0.0.1:${SIM_PORT}/api/v3/ping`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break
  await Bun.sleep(100)
}
const bot = Bun.spawn(
  [
    'bun',
    join(ROOT, 'src/cli/main.ts'),
    'trade',
    '-c',
    join(dir.path, 'config.json'),
    '--log-format',
    'json',
    '--log-level',
    'debug',
  ],
  {
    cwd: dir.path,
    stdout: 'pipe',
    stderr: 'inherit',
    // the fixture strategy holds trades this long: none of the 200 is exited during the run
    env: { ...process.env, TERN_TEST_HOLD_MS: String(1e12) },
  },
)
const AUTH = `Basic ${btoa('tern:load-bench-pw')}`

/** Each completed iteration as the bot logs it: how long it took, whole and per step. */
interface Iteration {
  ms: number
  steps: Record<string, number>
}
const iterations: Iteration[] = []
const reading = (async () => {
  let rest = ''
  for await (const chunk of bot.stdout) {
    rest += new TextDecoder().decode(chunk)
    const lines = rest.split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.includes('iteration completed')) continue
      const { ms, steps } = JSON.parse(line) as Iteration
      iterations.push({ ms, steps })
    }
  }
})()

// exchange calls (candles, tickers) wait on ccxt's rate limiter and the network: the bot's own work is the rest
const EXCHANGE_STEPS = ['refresh candles', 'manage orders']
const ownMs = (it: Iteration) => it.ms - EXCHANGE_STEPS.reduce((acc, name) => acc + (it.steps[name] ?? 0), 0)
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

/** Iterations completed while `during` runs. */
async function iterationsDuring(during: Promise<unknown>): Promise<Iteration[]> {
  const from = iterations.length
  await during
  return iterations.slice(from)
}

const describeIterations = (list: Iteration[]) => {
  const whole = list.map((it) => it.ms)
  const own = list.map(ownMs)
  const slowest = list.reduce((a, b) => (ownMs(b) > ownMs(a) ? b : a))
  const steps = Object.entries(slowest.steps)
    .filter(([name, ms]) => ms > 0 && !EXCHANGE_STEPS.includes(name))
    .map(([name, ms]) => `${name} ${ms}`)
    .join(', ')
  return `${list.length} iterations, median ${quantile(whole, 0.5)} ms, max ${Math.max(...whole)} ms; without exchange calls median ${quantile(own, 0.5)} ms, max ${Math.max(...own)} ms (${steps})`
}

interface AutocannonResult {
  requests: { average: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
}

async function load(path: string): Promise<AutocannonResult> {
  const proc = Bun.spawn(
    [
      'node',
      join(ROOT, 'node_modules/autocannon/autocannon.js'),
      '--json',
      '-c',
      '4',
      '-d',
      String(DURATION_S),
      '-H',
      `authorization=${AUTH}`,
      `http://127.0.0.1:${PORT}/api/v1${path}`,
    ],
    { stdout: 'pipe', stderr: 'ignore' },
  )
  const out = await new Response(proc.stdout).text()
  await proc.exited
  return JSON.parse(out) as AutocannonResult
}

try {
  for (let i = 0; i < 300 && iterations.length < 3; i++) await Bun.sleep(100)
  const count = await fetch(`http://127.0.0.1:${PORT}/api/v1/count`, { headers: { authorization: AUTH } })
  const openCount = ((await count.json()) as { current: number }).current
  console.log(`api load: bot running with ${openCount} open trades and 10000 closed (iteration every 1 s)`)
  const idle = await iterationsDuring(Bun.sleep(DURATION_S * 1000))
  console.log(`api load: idle: ${describeIterations(idle)}`)
  for (const path of ['/status', '/trades?limit=500']) {
    const during = load(path)
    const loaded = await iterationsDuring(during)
    const r = await during
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${path}: ${r.non2xx} non-2xx answers, ${r.errors} errors`)
    console.log(
      `api load: GET ${path}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (4 connections); meanwhile ${describeIterations(loaded)}`,
    )
  }
} finally {
  bot.kill()
  sim.kill()
  await bot.exited
  await sim.exited
  await reading
  dir.cleanup()
}
