/**
 * Candle loading speed: 100 pairs × 100,000 5m candles, stored as feather and as json.gz in a temp dir
 * (generation not timed), then every pair loaded from each format, one pair after another
 * (`loadPairHistory`) and all at once over worker threads (`loadPairsHistory`); then freqtrade's own
 * LZ4-compressed feather files. Run: bun run bench data
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DataFormat, dataFilePath } from '../../src/data/filenames.ts'
import { loadPairHistory, storePairHistory } from '../../src/data/history.ts'
import { encodeJsonGz } from '../../src/data/json.ts'
import { loadPairsHistory } from '../../src/data/loadPairs.ts'
import { allocOhlcv, type OhlcvColumns } from '../../src/frame/ohlcv.ts'
import { rng } from '../helpers/rng.ts'

const PAIRS = 100
const CANDLES = 100_000
const TF_MS = 300_000
const START_MS = Date.UTC(2022, 0, 1)

/** A deterministic random walk per pair (xorshift32 seeded by the pair index), prices on an 8-decimal tick. */
function generate(seed: number): OhlcvColumns {
  const c = allocOhlcv(CANDLES)
  const rnd = rng(seed * 2654435761)
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

const PAIR_NAMES = Array.from({ length: PAIRS }, (_, i) => `P${String(i).padStart(3, '0')}/USDT`)
/** What `loadPairsHistory` picks by default: one less than the cores, at most 3. */
const WORKERS = Math.max(0, Math.min(3, availableParallelism() - 1))
const mb = (bytes: number) => Math.round(bytes / 1_048_576)

type Mode = 'serial' | 'parallel'

/** Load every pair once, holding all of them (as a backtest does); seconds and peak RSS. */
async function loadAll(datadir: string, format: DataFormat, mode: Mode): Promise<{ seconds: number; peak: number }> {
  Bun.gc(true)
  let peak = process.memoryUsage().rss
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }
  const timer = setInterval(sample, 5)
  const keep: OhlcvColumns[] = []
  const t0 = performance.now()
  if (mode === 'serial') {
    for (const pair of PAIR_NAMES) {
      keep.push(await loadPairHistory({ datadir, pair, timeframe: '5m', format }))
      sample()
    }
  } else {
    for (const r of await loadPairsHistory({ datadir, pairs: PAIR_NAMES, timeframe: '5m', format })) {
      if (r.error) throw r.error
      keep.push(r.candles)
    }
  }
  const seconds = (performance.now() - t0) / 1000
  sample()
  clearInterval(timer)
  const candles = keep.reduce((sum, c) => sum + c.date.length, 0)
  if (candles !== PAIRS * CANDLES) throw new Error(`loaded ${candles} candles, expected ${PAIRS * CANDLES}`)
  return { seconds, peak }
}

const rate = (candles: number, seconds: number) => `${(candles / seconds / 1e6).toFixed(1)}`

/**
 * Best and range of `runs` (the machine may be shared). Peak RSS is that of the first run, in a process that
 * had loaded nothing yet (as a backtest loads once), against the raw Float64 size; later runs' peaks also
 * hold the previous run's arrays until they are collected.
 */
async function report(datadir: string, format: DataFormat, mode: Mode, runs: number): Promise<void> {
  const seconds: number[] = []
  let peak = 0
  for (let r = 0; r < runs; r++) {
    const run = await loadAll(datadir, format, mode)
    seconds.push(run.seconds)
    if (r === 0) peak = run.peak
  }
  const candles = PAIRS * CANDLES
  const raw = candles * 6 * 8
  const best = Math.min(...seconds)
  const how =
    mode === 'serial' ? 'serial, loadPairHistory' : `parallel, loadPairsHistory, this thread + ${WORKERS} worker(s)`
  const range = runs > 1 ? ` (runs ${rate(candles, Math.max(...seconds))}–${rate(candles, best)})` : ''
  console.log(
    `data ${format} load (${how}): ${PAIRS} pairs x ${CANDLES} candles: ${best.toFixed(2)} s, ` +
      `${rate(candles, best)} M candles/s${range}, peak RSS ${mb(peak)} MB = ${(peak / raw).toFixed(2)}x raw ${mb(raw)} MB`,
  )
}

/**
 * freqtrade's own LZ4-compressed files (../shared/data, when present), copied under as many pair names as
 * fit in PAIRS, loaded in passes until 5 M candles: the decompression-bound case, which the generated
 * random walks (stored uncompressed: LZ4 does not shrink them) do not exercise.
 */
async function reportReference(dir: string): Promise<void> {
  const shared = join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'binance')
  if (!existsSync(shared)) {
    console.log(`data feather load (freqtrade reference files): skipped, ${shared} is absent`)
    return
  }
  const files = readdirSync(shared).filter((f) => f.endsWith('-5m.feather'))
  const datadir = join(dir, 'reference')
  mkdirSync(datadir)
  for (let i = 0; i < PAIRS; i++)
    copyFileSync(join(shared, files[i % files.length]), dataFilePath(datadir, PAIR_NAMES[i], '5m', 'feather'))
  // Too little work per call for workers: loadPairsHistory's defaults start none, and the figures say so.
  const how = { serial: 'serial, loadPairHistory', parallel: 'loadPairsHistory, defaults: no workers' }
  for (const mode of ['serial', 'parallel'] as Mode[]) {
    const rates: number[] = []
    for (let run = 0; run < 3; run++) {
      let candles = 0
      const t0 = performance.now()
      while (candles < 5_000_000) {
        if (mode === 'serial') {
          for (const pair of PAIR_NAMES)
            candles += (await loadPairHistory({ datadir, pair, timeframe: '5m' })).date.length
        } else {
          for (const r of await loadPairsHistory({ datadir, pairs: PAIR_NAMES, timeframe: '5m' })) {
            candles += r.candles?.date.length ?? 0
          }
        }
      }
      rates.push(candles / ((performance.now() - t0) / 1000) / 1e6)
    }
    console.log(
      `data feather load (freqtrade reference files, LZ4, ${how[mode]}): ${PAIRS} pairs x ~5,760 candles: ` +
        `${Math.max(...rates).toFixed(1)} M candles/s (runs ${Math.min(...rates).toFixed(1)}–${Math.max(...rates).toFixed(1)}) [best of 3]`,
    )
  }
}

/** Each load in a fresh process, so that its peak RSS is its own. */
async function inChild(dir: string, format: DataFormat, mode: Mode, runs: number): Promise<void> {
  const args = ['bun', 'run', import.meta.path, 'load', dir, format, mode, String(runs)]
  const code = await Bun.spawn(args, { stdout: 'inherit', stderr: 'inherit' }).exited
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`)
}

if (process.argv[2] === 'load') {
  const [dir, format, mode, runs] = process.argv.slice(3)
  await report(dir, format as DataFormat, mode as Mode, Number(runs))
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tern-data-bench-'))
  try {
    const g0 = performance.now()
    for (let i = 0; i < PAIRS; i++) {
      const candles = generate(i + 1)
      await storePairHistory({ datadir: dir, pair: PAIR_NAMES[i], timeframe: '5m', format: 'feather', candles })
      // gzip level 1 keeps generation short; reading costs the same at any level.
      await Bun.write(dataFilePath(dir, PAIR_NAMES[i], '5m', 'jsongz'), encodeJsonGz(candles, 1))
    }
    const took = ((performance.now() - g0) / 1000).toFixed(1)
    console.log(`data generate: ${PAIRS} pairs in feather and json.gz: ${took} s (not timed)`)
    await inChild(dir, 'feather', 'serial', 3)
    await inChild(dir, 'feather', 'parallel', 3)
    await reportReference(dir)
    await inChild(dir, 'jsongz', 'serial', 1)
    await inChild(dir, 'jsongz', 'parallel', 1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
