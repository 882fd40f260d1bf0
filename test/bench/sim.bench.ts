/**
 * Throughput of the simulated exchange's klines endpoint over loopback.
 * Run: bun run test/bench/sim.bench.ts
 * Prints one line per figure, e.g. `sim klines: 1234 req/s, 1.2 M candles/s (limit=1000)`.
 */
import { startSimExchange } from '../../src/sim/server.ts'
import { ManualClock } from '../../src/util/clock.ts'

const MIN = 60_000
const NOW = Date.UTC(2024, 5, 1)
const SECONDS_PER_CASE = 3
const CONCURRENCY = 16

const sim = await startSimExchange({ clock: new ManualClock(NOW), seed: 1 })
const pairs = sim.markets.map((m) => m.id)
const DAYS = 30
// warm the candle cache for the window the clients will read, so the figure is the serving cost
for (const m of sim.markets) sim.source.candles(m.symbol, MIN, NOW - DAYS * 86_400_000, NOW)

async function run(limit: number, interval: string, tfMs: number): Promise<void> {
  let requests = 0
  let candles = 0
  const stopAt = performance.now() + SECONDS_PER_CASE * 1000
  const start = performance.now()
  const client = async (k: number) => {
    let i = k
    while (performance.now() < stopAt) {
      const pair = pairs[i % pairs.length]!
      // a start within the warmed window, different for each request
      const span = Math.floor((DAYS * 86_400_000) / tfMs) - limit
      const startTime = NOW - DAYS * 86_400_000 + ((i * 7919) % Math.max(1, span)) * tfMs
      const res = await fetch(
        `${sim.url}/api/v3/klines?symbol=${pair}&interval=${interval}&startTime=${startTime}&limit=${limit}`,
      )
      const rows = (await res.json()) as unknown[]
      requests++
      candles += rows.length
      i += CONCURRENCY
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => client(k)))
  const secs = (performance.now() - start) / 1000
  const rps = requests / secs
  const cps = candles / secs
  const c = cps >= 1e6 ? `${(cps / 1e6).toFixed(2)} M` : `${(cps / 1e3).toFixed(1)} k`
  console.log(`sim klines: ${Math.round(rps)} req/s, ${c} candles/s (limit=${limit}, interval=${interval})`)
}

await run(1000, '1m', MIN)
await run(100, '1m', MIN)
await run(500, '5m', 5 * MIN)
await sim.stop()
