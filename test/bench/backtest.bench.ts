// Backtest throughput: the EmaCross sample over 100 pairs x 100,000 5m candles (generated deterministically, stored
// as feather files in a temp datadir) and over the shared Binance data, end to end (load, analysis on the worker
// pool, simulation). Prints candles/s, total seconds, peak RSS against the raw candle size, the split between
// analysis and simulation, and a tight-loop baseline over the same arrays (same EMAs, same entry/exit rule).
// Each measurement runs in its own process so that peak RSS belongs to it alone; engine and baseline alternate,
// BT_RUNS times each (default 3), and the run with the median total is reported next to the range of all. The engine
// runs twice a round: reading freqtrade's files (`candle_cache: false`) and as a user's backtests run by default,
// keeping the decoded candles in the cache of `user_data_dir` (the first such run writes it, the later ones map it).
// Run: bun run test/bench/backtest.bench.ts (BT_PAIRS, BT_CANDLES, BT_WORKERS, BT_RUNS)
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { loadMarkets, runBacktestDetailed, simulate } from '../../src/backtest/index.ts'
import { SIMULATION_KEPT, toPairInput } from '../../src/backtest/pairInput.ts'
import { type Config, ConfigSchema } from '../../src/config/schema.ts'
import { loadPairHistory, storePairHistory } from '../../src/data/index.ts'
import { Frame } from '../../src/frame/frame.ts'
import {
  applyConfigOverrides,
  InProcessAnalyzer,
  keptColumns,
  loadStrategy,
  startStrategy,
} from '../../src/strategy/index.ts'
import { timeframeToMs } from '../../src/util/dates.ts'
import { makeCandles } from '../unit/strategy/candles.ts'

const [mode = 'main', ...args] = process.argv.slice(2)
const PAIRS = Number(process.env.BT_PAIRS ?? 100)
const CANDLES = Number(process.env.BT_CANDLES ?? 100_000)
const WORKERS = Number(process.env.BT_WORKERS ?? 2)
const RUNS = Math.max(1, Number(process.env.BT_RUNS ?? 3))
const SHARED = join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'binance')
const SHARED_PAIRS = ['ADA', 'DASH', 'ETC', 'ETH', 'LTC', 'NXT', 'TRX', 'XLM', 'XMR', 'ZEC'].map((b) => `${b}/BTC`)
const pairName = (i: number) => `P${String(i).padStart(3, '0')}/USDT`

const peakRssMb = () => process.resourceUsage().maxRSS / 1024

function config(datadir: string, pairs: string[], quote: string, userDataDir = datadir, cache = false): Config {
  return Value.Default(ConfigSchema, {
    strategy: 'EmaCross',
    stake_currency: quote,
    stake_amount: 'unlimited',
    dry_run_wallet: quote === 'BTC' ? 0.1 : 10_000,
    max_open_trades: 10,
    datadir,
    user_data_dir: userDataDir,
    candle_cache: cache,
    exchange: { name: 'sim', pair_whitelist: pairs },
  }) as Config
}

/** Child: writes the synthetic candles. */
async function generate(dir: string): Promise<void> {
  for (let i = 0; i < PAIRS; i++) {
    const f = makeCandles({ n: CANDLES, seed: i + 1, startPrice: 50 + i })
    // exchange prices sit on the tick (0.001 for these markets) and volumes on the step
    const onTick = (a: Float64Array) => a.map((x) => Math.round(x * 1000) / 1000)
    const candles = {
      date: f.col('date'),
      open: onTick(f.col('open')),
      high: onTick(f.col('high')),
      low: onTick(f.col('low')),
      close: onTick(f.col('close')),
      volume: onTick(f.col('volume')),
    }
    await storePairHistory({ datadir: dir, pair: pairName(i), timeframe: '5m', format: 'feather', candles })
  }
}

/** Child: one end-to-end backtest, with or without the candle cache of `userDataDir`; prints its figures as JSON. */
async function engine(
  dir: string,
  pairs: string[],
  quote: string,
  auto: boolean,
  cache: boolean,
  userDataDir = dir,
): Promise<void> {
  const t0 = performance.now()
  // `auto`: the worker count a user gets (none for a few small files), else WORKERS
  const cfg = config(dir, pairs, quote, userDataDir, cache)
  const run = await runBacktestDetailed({ config: cfg, workers: auto ? undefined : WORKERS })
  const total = (performance.now() - t0) / 1000
  const s = run.result.strategy.EmaCross as Record<string, unknown>
  console.log(
    JSON.stringify({
      total,
      ...run.timings,
      workers: auto ? -1 : WORKERS,
      trades: s.total_trades,
      profit: s.profit_total_abs,
      rssMb: peakRssMb(),
    }),
  )
}

/**
 * Child: the engine's own work over candles already in memory, on one thread like the baseline: the strategy's
 * analysis in process, then the simulation (what the runner does after reading, without the worker pool). Its trades
 * must be the end-to-end run's, or the comparison would mean nothing.
 */
async function compute(dir: string, pairs: string[], quote: string): Promise<void> {
  const cfg = config(dir, pairs, quote)
  const candles = []
  for (const pair of pairs)
    candles.push(await loadPairHistory({ datadir: dir, pair, timeframe: '5m', fillMissing: true }))
  const strategy = await loadStrategy('EmaCross', {})
  const settings = applyConfigOverrides(strategy, cfg)
  startStrategy(strategy)
  const analyzer = new InProcessAnalyzer(strategy, cfg)
  const tasks = candles.map((c, i) => ({ pair: pairs[i], frame: Frame.fromOhlcv(c) }))
  const t0 = performance.now()
  const analysed = await analyzer.analyzeMany(tasks)
  const t1 = performance.now()
  const prices: Record<string, number> = {}
  const inputs = []
  for (const a of analysed) {
    if (a.error) throw a.error
    const close = a.frame.col('close')
    prices[a.pair] = close[close.length - 1]
    // cut to what the simulation reads, as the runner's workers do (the rest is garbage from here on)
    const kept = keptColumns(a.frame, SIMULATION_KEPT)
    const input = toPairInput(a.pair, kept.frame, {}, settings.startupCandleCount, false, kept.narrow)
    if (input) inputs.push(input)
  }
  const markets = await loadMarkets(cfg, pairs, prices)
  for (const input of inputs) input.market = markets.rules[input.pair] ?? { limits: {} }
  let startMs = Number.POSITIVE_INFINITY
  let endMs = Number.NEGATIVE_INFINITY
  for (const p of inputs) {
    startMs = Math.min(startMs, p.date[0])
    endMs = Math.max(endMs, p.date[p.date.length - 1])
  }
  const sim = simulate(inputs, {
    settings,
    strategy,
    stakeAmount: cfg.stake_amount,
    maxOpenTrades: cfg.max_open_trades,
    startingBalance: cfg.dry_run_wallet,
    tradableBalanceRatio: cfg.tradable_balance_ratio,
    fee: markets.fees[inputs[0].pair] ?? 0.001,
    timeframeMs: timeframeToMs(settings.timeframe),
    startMs,
    endMs,
  })
  const t2 = performance.now()
  const candlesIn = inputs.reduce((n, p) => n + p.date.length, 0)
  console.log(
    JSON.stringify({
      seconds: (t2 - t0) / 1000,
      analysisS: (t1 - t0) / 1000,
      simulateS: (t2 - t1) / 1000,
      candles: candlesIn,
      trades: sim.trades.length,
    }),
  )
}

/**
 * Child: the baseline. For each pair one tight loop over the loaded arrays: EMA(12), EMA(26) (SMA-seeded as the
 * indicators are), crosses with the volume filter, and the same exit rules for one position per pair (stop 5 %,
 * ROI 4 % / 2 % after 30 min, exit signal at the next open), no fees, no slots.
 */
async function baseline(dir: string, pairs: string[]): Promise<void> {
  const data = []
  for (const pair of pairs) data.push(await loadPairHistory({ datadir: dir, pair, timeframe: '5m', fillMissing: true }))
  const t0 = performance.now()
  let trades = 0
  let profit = 0
  let candles = 0
  for (const c of data) {
    const { open, high, low, close, volume, date } = c
    const n = close.length
    candles += n
    const k1 = 2 / 13
    const k2 = 2 / 27
    let e1 = 0
    let e2 = 0
    let prevDiff = Number.NaN
    let enterPrev = false
    let exitPrev = false
    let inPos = false
    let entry = 0
    let entryAt = 0
    let s1 = 0
    let s2 = 0
    for (let i = 0; i < n; i++) {
      // act on the previous candle's signals at this candle
      if (inPos) {
        const age = (date[i] - entryAt) / 60_000
        const roi = age >= 30 ? 0.02 : 0.04
        let exitAt = 0
        if (low[i] <= entry * 0.95) exitAt = entry * 0.95
        else if (high[i] >= entry * (1 + roi)) exitAt = Math.max(entry * (1 + roi), low[i])
        else if (exitPrev && !enterPrev) exitAt = open[i]
        if (exitAt > 0) {
          profit += exitAt / entry - 1
          trades++
          inPos = false
        }
      } else if (enterPrev && !exitPrev && i < n - 1) {
        inPos = true
        entry = open[i]
        entryAt = date[i]
      }
      const x = close[i]
      if (i < 11) s1 += x
      else if (i === 11) e1 = (s1 + x) / 12
      else e1 = (x - e1) * k1 + e1
      if (i < 25) s2 += x
      else if (i === 25) e2 = (s2 + x) / 26
      else e2 = (x - e2) * k2 + e2
      const diff = i >= 25 ? e1 - e2 : Number.NaN
      enterPrev = diff > 0 && prevDiff <= 0 && volume[i] > 0
      exitPrev = diff < 0 && prevDiff >= 0
      prevDiff = diff
    }
  }
  const seconds = (performance.now() - t0) / 1000
  console.log(JSON.stringify({ seconds, candles, trades, profit }))
}

async function child(args: string[]): Promise<Record<string, number>> {
  const proc = Bun.spawn(['bun', 'run', import.meta.path, ...args], {
    stdout: 'pipe',
    stderr: 'inherit',
    env: process.env,
  })
  const out = await new Response(proc.stdout).text()
  if ((await proc.exited) !== 0) throw new Error(`bench step ${args[0]} failed`)
  const last = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop()
  return JSON.parse(last ?? '{}')
}

type Figures = Record<string, number>

interface Runs {
  /** End to end, reading the candle files. */
  e: Figures[]
  /** End to end with the candle cache: the first run writes it, the later ones map it. */
  k: Figures[]
  b: Figures[]
  /** The engine's work over candles in memory (`compute`), when measured. */
  c: Figures[]
}

/** Engine, compute-only and baseline runs alternated, so that all see the machine in the same state. */
async function measure(
  engineArgs: string[],
  cachedArgs: string[],
  baselineArgs: string[],
  computeArgs?: string[],
): Promise<Runs> {
  const runs: Runs = { e: [], k: [], b: [], c: [] }
  for (let r = 0; r < RUNS; r++) {
    runs.e.push(await child(engineArgs))
    runs.k.push(await child(cachedArgs))
    if (computeArgs) runs.c.push(await child(computeArgs))
    runs.b.push(await child(baselineArgs))
  }
  return runs
}

/** The run with the median of `key` (the lower middle one for an even count). */
function medianBy(runs: Figures[], key: string): Figures {
  return [...runs].sort((x, y) => x[key] - y[key])[Math.floor((runs.length - 1) / 2)]
}

function report(label: string, rawMb: number, runs: Runs): void {
  const e = medianBy(runs.e, 'total')
  const b = medianBy(runs.b, 'seconds')
  const cps = e.candles / e.total
  const baseCps = b.candles / b.seconds
  const range = (xs: number[], f: (x: number) => string) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`
  const speeds = runs.e.map((x) => x.candles / x.total / 1e6)
  const ratios = runs.e.map((x, i) => x.candles / x.total / (runs.b[i].candles / runs.b[i].seconds))
  console.log(
    `${label}: ${e.candles.toLocaleString('en')} candles, ${e.trades} trades; median of ${runs.e.length} runs`,
  )
  console.log(
    `  end to end      ${(cps / 1e6).toFixed(2).padStart(7)} M candles/s  ${e.total.toFixed(2)} s ` +
      `(load + analysis ${e.loadS.toFixed(2)} s, markets ${e.marketsS.toFixed(2)} s, simulation ${e.simulateS.toFixed(2)} s, ` +
      `result ${e.resultS.toFixed(2)} s; ` +
      `${e.workers < 0 ? 'workers as the runner chooses' : `${e.workers} workers`})`,
  )
  const [cold, ...warm] = runs.k
  if (cold.trades !== e.trades || warm.some((x) => x.trades !== e.trades))
    throw new Error('a run with the candle cache made other trades than one without')
  const line = (x: Figures) =>
    `${(x.candles / x.total / 1e6).toFixed(2).padStart(7)} M candles/s  ${x.total.toFixed(2)} s (load + analysis ${x.loadS.toFixed(2)} s)`
  console.log(`  first run writing the candle cache        ${line(cold)}`)
  if (warm.length > 0) {
    const w = medianBy(warm, 'total')
    console.log(
      `  later runs, candle cache mapped (median) ${line(w)}; all: ` +
        `${warm.map((x) => (x.candles / x.total / 1e6).toFixed(2)).join(', ')} M candles/s, ` +
        `engine / baseline ${range(
          warm.map((x, i) => x.candles / x.total / (runs.b[i + 1].candles / runs.b[i + 1].seconds)),
          (x) => x.toFixed(2),
        )}, peak RSS ${range(
          warm.map((x) => x.rssMb),
          (x) => x.toFixed(0),
        )} MB`,
    )
  }
  console.log(`  simulation only ${(e.candles / e.simulateS / 1e6).toFixed(2).padStart(7)} M candles/s`)
  console.log(
    `  tight loop      ${(baseCps / 1e6).toFixed(2).padStart(7)} M candles/s  ${b.seconds.toFixed(2)} s (1 thread); ` +
      `engine / baseline = ${(cps / baseCps).toFixed(2)} (target >= 0.3)`,
  )
  console.log(
    `  peak RSS        ${e.rssMb.toFixed(0)} MB for ${rawMb.toFixed(0)} MB of raw candles = ` +
      `${(e.rssMb / rawMb).toFixed(2)}x (target <= 3x)`,
  )
  if (runs.c.length > 0) {
    const c = medianBy(runs.c, 'seconds')
    if (runs.c.some((x) => x.trades !== e.trades))
      throw new Error('the compute-only run made other trades than the engine')
    const ccps = c.candles / c.seconds
    const cratios = runs.c.map((x, i) => x.candles / x.seconds / (runs.b[i].candles / runs.b[i].seconds))
    console.log(
      `  compute only    ${(ccps / 1e6).toFixed(2).padStart(7)} M candles/s  ${c.seconds.toFixed(2)} s ` +
        `(candles in memory, 1 thread: analysis ${c.analysisS.toFixed(2)} s, simulation ${c.simulateS.toFixed(2)} s); ` +
        `compute / baseline = ${(ccps / baseCps).toFixed(2)}` +
        (runs.c.length > 1 ? ` (all runs ${range(cratios, (x) => x.toFixed(2))})` : ''),
    )
  }
  if (runs.e.length > 1) {
    console.log(
      `  all ${runs.e.length} runs: end to end ${speeds.map((x) => x.toFixed(2)).join(', ')} M candles/s, ` +
        `engine / baseline ${range(ratios, (x) => x.toFixed(2))}, ` +
        `peak RSS ${range(
          runs.e.map((x) => x.rssMb),
          (x) => x.toFixed(0),
        )} MB`,
    )
  }
}

if (mode === 'gen') await generate(args[0])
else if (mode === 'engine')
  await engine(args[0], args[1].split(','), args[2], args[3] === 'auto', args[4] === 'cache', args[5])
else if (mode === 'baseline') await baseline(args[0], args[1].split(','))
else if (mode === 'compute') await compute(args[0], args[1].split(','), args[2])
else {
  const dir = mkdtempSync(join(tmpdir(), 'tern-bt-bench-'))
  try {
    const pairs = Array.from({ length: PAIRS }, (_, i) => pairName(i))
    const g0 = performance.now()
    await child(['gen', dir])
    console.log(`generated ${PAIRS} x ${CANDLES} 5m candles in ${((performance.now() - g0) / 1000).toFixed(1)} s`)
    const runs = await measure(
      ['engine', dir, pairs.join(','), 'USDT', 'fixed', 'nocache'],
      ['engine', dir, pairs.join(','), 'USDT', 'fixed', 'cache'],
      ['baseline', dir, pairs.join(',')],
      ['compute', dir, pairs.join(','), 'USDT'],
    )
    report(`EmaCross, ${PAIRS} pairs x ${CANDLES}`, (PAIRS * CANDLES * 48) / 2 ** 20, runs)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  if (existsSync(SHARED)) {
    // results and the candle cache go to a folder of this run, never into the shared data
    const userData = mkdtempSync(join(tmpdir(), 'tern-bt-bench-ud-'))
    try {
      const runs = await measure(
        ['engine', SHARED, SHARED_PAIRS.join(','), 'BTC', 'auto', 'nocache', userData],
        ['engine', SHARED, SHARED_PAIRS.join(','), 'BTC', 'auto', 'cache', userData],
        ['baseline', SHARED, SHARED_PAIRS.join(',')],
      )
      report('EmaCross, shared Binance data (10 pairs, 5m)', (runs.e[0].candles * 48) / 2 ** 20, runs)
    } finally {
      rmSync(userData, { recursive: true, force: true })
    }
  } else console.log(`shared data not found at ${SHARED}; skipped`)
}
