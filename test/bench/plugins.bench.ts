/**
 * Plugin speed: (1) a pairlist chain, VolumePairList + AgeFilter, PriceFilter, SpreadFilter, VolatilityFilter, over
 * 2,000 markets with 30 daily candles each (ms per refresh, cold and warm); (2) notifier throughput against a
 * receiver on loopback that takes 20 ms per request: events queued per second by the caller, the slowest single
 * `notify` call, and how many the receiver got meanwhile.
 * Run: bun run test/bench/plugins.bench.ts
 */
import { allocOhlcv, type OhlcvColumns } from '../../src/frame/ohlcv.ts'
import {
  type BotEvent,
  loadPlugins,
  type MarketInfo,
  NotifierManager,
  type PairlistDataSource,
  PairlistManager,
  type TickerInfo,
} from '../../src/plugins/index.ts'
import { createRootLogger, setRootLogger } from '../../src/util/logger.ts'
import { rng } from '../helpers/rng.ts'

// The filters log every pair they remove; keep the figures readable.
setRootLogger(createRootLogger({ format: 'json', level: 'warn' }))

const MARKETS = 2000
const DAY = 86_400_000
const NOW = Date.UTC(2024, 5, 1, 12)

const rnd = rng(12345)

const markets: Record<string, MarketInfo> = {}
const tickers: Record<string, TickerInfo> = {}
const candles = new Map<string, OhlcvColumns>()
for (let i = 0; i < MARKETS; i++) {
  const symbol = `C${i}/USDT`
  const price = 10 ** (rnd() * 6 - 4)
  markets[symbol] = {
    symbol,
    base: `C${i}`,
    quote: 'USDT',
    active: rnd() > 0.02,
    precision: { price: 1e-8, amount: 0.001 },
    limits: { amount: { min: 0.001 } },
  }
  tickers[symbol] = {
    symbol,
    last: price,
    bid: price * (1 - rnd() * 0.01),
    ask: price,
    quoteVolume: rnd() * 1e7,
    percentage: (rnd() - 0.5) * 20,
  }
  const days = 5 + Math.floor(rnd() * 25)
  const c = allocOhlcv(days)
  let p = price
  for (let d = 0; d < days; d++) {
    c.date[d] = Math.floor(NOW / DAY) * DAY - (days - d) * DAY
    c.open[d] = p
    p *= 1 + (rnd() - 0.5) * 0.1
    c.close[d] = p
    c.high[d] = Math.max(c.open[d] as number, p) * 1.01
    c.low[d] = Math.min(c.open[d] as number, p) * 0.99
    c.volume[d] = 1000
  }
  candles.set(symbol, c)
}

const source: PairlistDataSource = {
  markets: () => markets,
  tickers: () => tickers,
  candles: async (pairs) => new Map(pairs.map((p) => [p, candles.get(p) as OhlcvColumns])),
}

const registry = await loadPlugins()
const blocks = [
  { method: 'VolumePairList', number_assets: 1000, refresh_period: 0 },
  { method: 'AgeFilter', min_days_listed: 10 },
  { method: 'PriceFilter', low_price_ratio: 0.001 },
  { method: 'SpreadFilter', max_spread_ratio: 0.005 },
  { method: 'VolatilityFilter', lookback_days: 10, min_volatility: 0.01, refresh_period: 0 },
]
const create = () => PairlistManager.create(registry, blocks, { stakeCurrency: 'USDT', blacklist: ['C1.*/USDT'] })

const ms = (fn: () => Promise<unknown>) => async () => {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

let length = 0
const cold: number[] = []
for (let i = 0; i < 10; i++) {
  cold.push(
    await ms(async () => {
      length = (await create().refresh(source, NOW)).length
    })(),
  )
}
const warmManager = create()
await warmManager.refresh(source, NOW)
const warm: number[] = []
for (let i = 0; i < 30; i++) warm.push(await ms(() => warmManager.refresh(source, NOW + i * 1000))())
console.log(
  `pairlist chain (VolumePairList + Age, Price, Spread, Volatility) over ${MARKETS} markets -> ${length} pairs: ` +
    `cold ${median(cold).toFixed(2)} ms/refresh (median of 10), warm ${median(warm).toFixed(2)} ms/refresh (median of 30)`,
)

// ---- notifier throughput with a slow receiver
let received = 0
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(req) {
    await req.text()
    await Bun.sleep(20)
    received++
    return new Response('ok')
  },
})
const EVENTS = 100_000
const notifier = NotifierManager.create(
  registry,
  [{ method: 'webhook', url: `http://127.0.0.1:${server.port}/hook`, format: 'json', status: { text: '{status}' } }],
  { botName: 'bench', stakeCurrency: 'USDT' },
  { maxQueue: EVENTS },
)
const events: BotEvent[] = Array.from({ length: EVENTS }, (_, i) => ({ type: 'status', status: `event ${i}` }))
let slowest = 0
const t0 = performance.now()
for (const e of events) {
  const a = performance.now()
  notifier.notify(e)
  slowest = Math.max(slowest, performance.now() - a)
}
const queueSeconds = (performance.now() - t0) / 1000
await Bun.sleep(2000)
console.log(
  `notifier: ${EVENTS} events queued in ${(queueSeconds * 1000).toFixed(1)} ms = ${Math.round(EVENTS / queueSeconds).toLocaleString('en-US')} events/s, ` +
    `slowest notify() ${slowest.toFixed(3)} ms; receiver (20 ms/request) got ${received} in the next 2 s, ${notifier.pending} still queued`,
)
server.stop(true)
process.exit(0)
