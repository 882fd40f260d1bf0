import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import type { BacktestMetadata, BacktestResult } from './result.ts'

/** `<user_data_dir>/backtest_results`. */
export function resultsDir(userDataDir: string): string {
  return join(userDataDir, 'backtest_results')
}

/** `backtest-result-2024-01-31_12-00-00`: the stem freqtrade gives a result written at `ms`. */
export function resultStem(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `backtest-result-${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '-')}`
}

const stemOf = (file: string) =>
  basename(file)
    .replace(/\.meta\.json$/, '')
    .replace(/\.json$/, '')
const jsonPath = (file: string) => (file.endsWith('.json') ? file : `${file}.json`)
const metaPath = (file: string) => jsonPath(file).replace(/\.json$/, '.meta.json')

async function writeJson(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp`
  await writeFile(tmp, JSON.stringify(value, replacer, 2))
  await rename(tmp, file)
}

/** JSON has no Infinity/NaN; freqtrade's files carry null there. */
function replacer(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v
}

/**
 * Writes a result as freqtrade does: `<stem>.json` (the result), `<stem>.meta.json` (metadata per strategy) and
 * `.last_result.json` (`{"latest_backtest": "<stem>.json"}`) in `dir`. `filename` (an `--export-filename`) may name
 * another file; a directory there gets a timestamped name. Sets `metadata.<s>.filename`. Returns the result path.
 */
export async function writeBacktestResult(
  dir: string,
  result: BacktestResult,
  runStartMs: number,
  filename?: string,
): Promise<string> {
  let file: string
  if (filename && !(existsSync(filename) && !filename.endsWith('.json'))) file = jsonPath(filename)
  else file = freeResultFile(filename ?? dir, resultStem(runStartMs))
  await mkdir(dirname(file), { recursive: true })
  const stem = stemOf(file)
  for (const meta of Object.values(result.metadata)) meta.filename = stem
  await writeJson(file, result)
  await writeJson(metaPath(file), result.metadata)
  await writeJson(join(dirname(file), '.last_result.json'), { latest_backtest: basename(file) })
  return file
}

/**
 * `<stem>.json` in `dir`, or `<stem>-2.json`, `-3`, … when a run of the same second wrote that name already (a
 * `_` suffix would make it look like a companion file of the first).
 */
function freeResultFile(dir: string, stem: string): string {
  let file = join(dir, `${stem}.json`)
  for (let k = 2; existsSync(file); k++) file = join(dir, `${stem}-${k}.json`)
  return file
}

/** The result file of a stem in `dir`; undefined when missing or outside `dir` (no `..` escapes). */
export function resolveResultFile(dir: string, stem: string): string | undefined {
  const file = resolve(dir, jsonPath(stem))
  const rel = relative(resolve(dir), file)
  if (rel.startsWith('..') || rel.includes('/') || rel.includes('\\') || !existsSync(file)) return undefined
  return file
}

/** The newest result file named by `.last_result.json` in `dir`. */
export async function latestResultFile(dir: string): Promise<string | undefined> {
  const last = join(dir, '.last_result.json')
  if (!existsSync(last)) return undefined
  const name = (JSON.parse(await readFile(last, 'utf8')) as { latest_backtest?: string }).latest_backtest
  return name ? join(dir, basename(name)) : undefined
}

/** Reads a whole result file. */
export async function readBacktestResult(file: string): Promise<BacktestResult> {
  return JSON.parse(await readFile(jsonPath(file), 'utf8')) as BacktestResult
}

/**
 * One strategy's result from a file, as `/backtest/history/result` serves it: `metadata`, `strategy` and
 * `strategy_comparison` restricted to that strategy, `metadata.<s>.filename` set. Throws when it is not in the file.
 */
export async function loadBacktestResult(file: string, strategy: string): Promise<BacktestResult> {
  const all = await readBacktestResult(file)
  const r = all.strategy[strategy]
  if (r === undefined) throw new Error(`strategy ${strategy} is not in ${basename(file)}`)
  const meta = all.metadata[strategy] ?? ({} as BacktestMetadata)
  const metaFile = metaPath(file)
  if (existsSync(metaFile)) {
    const stored = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, BacktestMetadata>
    if (stored[strategy]?.notes !== undefined) meta.notes = stored[strategy].notes
  }
  return {
    metadata: { [strategy]: { ...meta, filename: stemOf(file) } },
    strategy: { [strategy]: r },
    strategy_comparison: all.strategy_comparison.filter((l) => l.key === strategy),
  }
}

/** One row of `/backtest/history`. */
export interface BacktestHistoryEntry {
  filename: string
  strategy: string
  run_id: string
  backtest_start_time: number
  notes: string
  backtest_start_ts: number | null
  backtest_end_ts: number | null
  timeframe: string | null
  timeframe_detail: string | null
}

/** Every (file, strategy) of the result files in `dir`, newest file first. */
export async function listBacktestHistory(dir: string): Promise<BacktestHistoryEntry[]> {
  if (!existsSync(dir)) return []
  const files = (await readdir(dir)).filter((f) => f.endsWith('.meta.json'))
  const out: BacktestHistoryEntry[] = []
  for (const f of files) {
    const stem = stemOf(f)
    if (!existsSync(join(dir, `${stem}.json`))) continue
    let meta: Record<string, Partial<BacktestMetadata>>
    try {
      meta = JSON.parse(await readFile(join(dir, f), 'utf8'))
    } catch {
      continue
    }
    for (const [strategy, m] of Object.entries(meta)) {
      out.push({
        filename: stem,
        strategy,
        run_id: m.run_id ?? '',
        backtest_start_time: Number(m.backtest_start_time ?? 0),
        notes: m.notes ?? '',
        backtest_start_ts: m.backtest_start_ts ?? null,
        backtest_end_ts: m.backtest_end_ts ?? null,
        timeframe: m.timeframe ?? null,
        timeframe_detail: m.timeframe_detail ?? null,
      })
    }
  }
  out.sort((a, b) => b.backtest_start_time - a.backtest_start_time || (a.filename < b.filename ? 1 : -1))
  return out
}

/** Deletes a result file, its metadata and companion files (`<stem>_*`). Throws when the result does not exist. */
export async function deleteBacktestResult(file: string): Promise<void> {
  const json = jsonPath(file)
  if (!existsSync(json)) throw new Error(`${basename(json)} not found`)
  const stem = stemOf(json)
  const dir = dirname(json)
  for (const f of await readdir(dir)) {
    if (f === `${stem}.json` || f === `${stem}.meta.json` || f.startsWith(`${stem}_`)) await rm(join(dir, f))
  }
}

/** Stores notes for one strategy of a result (in its metadata). Throws when the strategy is not in the metadata. */
export async function setBacktestNotes(file: string, strategy: string, notes: string): Promise<void> {
  const meta = metaPath(file)
  if (!existsSync(meta)) throw new Error(`${basename(meta)} not found`)
  const stored = JSON.parse(await readFile(meta, 'utf8')) as Record<string, BacktestMetadata>
  if (stored[strategy] === undefined) throw new Error('Strategy not in metadata.')
  stored[strategy].notes = notes
  await writeJson(meta, stored)
  const all = await readBacktestResult(file)
  if (all.metadata[strategy] !== undefined) {
    all.metadata[strategy].notes = notes
    await writeJson(jsonPath(file), all)
  }
}

/** The `/backtest/history/{file}/market_change` answer, stored beside a result as `<stem>_market_change.json`. */
export interface MarketChangeTable {
  columns: ['date', 'count', 'mean', 'rel_mean', '__date_ts']
  length: number
  data: [string, number, number, number, number][]
}

/** Writes the market-change table of a result file. */
export async function writeMarketChange(resultFile: string, table: MarketChangeTable): Promise<string> {
  const file = jsonPath(resultFile).replace(/\.json$/, '_market_change.json')
  await writeJson(file, table)
  return file
}

/** Reads the market-change table of a result file; undefined when it has none. */
export async function loadMarketChange(resultFile: string): Promise<MarketChangeTable | undefined> {
  const file = jsonPath(resultFile).replace(/\.json$/, '_market_change.json')
  if (!existsSync(file)) return undefined
  return JSON.parse(await readFile(file, 'utf8')) as MarketChangeTable
}
