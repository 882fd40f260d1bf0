/**
 * Candle loading speed: 100 pairs × 100,000 5m candles, stored as feather and as json.gz in a temp dir
 * (generation not timed), then every pair loaded from each format.
 * Run: bun run test/bench/data.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DataFormat, dataFilePath } from '../../src/data/filenames.ts'
import { loadPairHistory, storePairHistory } from '../../src/data/history.ts'
import { encodeJsonGz } from '../../src/data/json.ts'
import { allocOhlcv, type OhlcvColumns } from '../../src/frame/ohlcv.ts'

const PAIRS = 100
const CANDLES = 100_000
const TF_MS = 300_000
const START_MS = Date.UTC(2022, 0, 1)

/** A deterministic random walk per pair (xorshift32 seeded by the pair index), prices on an 8-decimal tick. */
function generate(seed: number): OhlcvColumns {
  const c = allocOhlcv(CANDLES)
  let s = (seed * 2654435761) >>> 0 || 1
  const rnd = () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4_294_967_296
  }
  const tick = (x: number) => Math.round(x * 1e8) / 1e8
  let price = 0.01 + rnd()
  for (let i = 0; i < CANDLES; i++) {
    const open = price
    price = price * (1 + (rnd() - 0.5) * 0.01)
    c.date[i] = START_MS + i * TF_MS
    c.open[i] = tick(open)
    c.close[i] = tick(price)
    c.high[i] = tick(Math.max(open, price) * (1 + rnd() * 0.002))
    c.low[i] = tick(Math.min(open, price) * (1 - rnd() * 0.002))
    c.volume[i] = Math.round(rnd() * 1e10) / 1e4
  }
  return c
}

const pairName = (i: number) => `P${String(i).padStart(3, '0')}/USDT`
const mb = (bytes: number) => Math.round(bytes / 1_048_576)

/** Load every pair once, holding all of them (as a backtest does); seconds and peak RSS. */
async function loadAll(datadir: string, format: DataFormat): Promise<{ seconds: number; peak: number }> {
  Bun.gc(true)
  let peak = process.memoryUsage().rss
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }
  const timer = setInterval(sample, 5)
  const keep: OhlcvColumns[] = []
  let candles = 0
  const t0 = performance.now()
  for (let i = 0; i < PAIRS; i++) {
    const c = await loadPairHistory({ datadir, pair: pairName(i), timeframe: '5m', format })
    keep.push(c)
    candles += c.date.length
    sample()
  }
  const seconds = (performance.now() - t0) / 1000
  clearInterval(timer)
  if (candles !== PAIRS * CANDLES) throw new Error(`loaded ${candles} candles, expected ${PAIRS * CANDLES}`)
  return { seconds, peak }
}

/** Best of `runs` (the machine may be shared), peak RSS over all runs. */
async function report(datadir: string, format: DataFormat, runs: number): Promise<void> {
  let best = Number.POSITIVE_INFINITY
  let peak = 0
  for (let r = 0; r < runs; r++) {
    const run = await loadAll(datadir, format)
    best = Math.min(best, run.seconds)
    peak = Math.max(peak, run.peak)
  }
  const candles = PAIRS * CANDLES
  console.log(
    `data ${format} load: ${PAIRS} pairs x ${CANDLES} candles: ${best.toFixed(2)} s, ` +
      `${(candles / best / 1e6).toFixed(1)} M candles/s, peak RSS ${mb(peak)} MB (raw ${mb(candles * 6 * 8)} MB)` +
      (runs > 1 ? ` [best of ${runs}]` : ''),
  )
}

const dir = mkdtempSync(join(tmpdir(), 'tern-data-bench-'))
try {
  const g0 = performance.now()
  for (let i = 0; i < PAIRS; i++) {
    const candles = generate(i + 1)
    await storePairHistory({ datadir: dir, pair: pairName(i), timeframe: '5m', format: 'feather', candles })
    // gzip level 1 keeps generation short; reading costs the same at any level.
    await Bun.write(dataFilePath(dir, pairName(i), '5m', 'jsongz'), encodeJsonGz(candles, 1))
  }
  console.log(
    `data generate: ${PAIRS} pairs in feather and json.gz: ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed)`,
  )
  await report(dir, 'feather', 3)
  await report(dir, 'jsongz', 1)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
