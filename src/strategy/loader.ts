import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Strategy } from './strategy.ts'
import { applyParameterFile } from './strategyParams.ts'

/** The repository's sample strategies. */
export const BUILTIN_STRATEGY_DIR = resolve(import.meta.dir, '..', '..', 'strategies')

export interface LoaderOptions {
  /** Extra folder of strategy files (config `strategy_path`); searched first. */
  strategyPath?: string
  /** The user data folder (config `user_data_dir`): its `strategies/` is searched next, as freqtrade searches it. */
  userDataDir?: string
}

/** Where a config's strategies are searched: its `strategy_path`, then `<user_data_dir>/strategies`, then Tern's. */
export function strategySearchOf(config: { strategy_path?: string; user_data_dir?: string }): LoaderOptions {
  return { strategyPath: config.strategy_path, userDataDir: config.user_data_dir }
}

/** No strategy of that name in any searched folder. */
export class StrategyNotFoundError extends Error {
  override name = 'StrategyNotFoundError'
}

/** A strategy file could not be imported, or its class is not a usable strategy. */
export class StrategyLoadError extends Error {
  override name = 'StrategyLoadError'

  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

type StrategyClass = new () => Strategy

/** One class (or one file that failed to import) found while scanning. */
interface Candidate {
  name: string
  file: string
  ctor?: StrategyClass
  error?: StrategyLoadError
}

const REQUIRED_METHODS = ['populateIndicators', 'populateEntryTrend', 'populateExitTrend'] as const

function strategyFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f))
}

/** A class that is, or looks like, a strategy: extends Strategy or has a populate method of its own. */
function looksLikeStrategy(v: unknown): v is new () => unknown {
  if (typeof v !== 'function' || typeof v.prototype !== 'object' || v.prototype === null) return false
  if (v.prototype instanceof Strategy) return true
  return REQUIRED_METHODS.some((m) => typeof (v.prototype as Record<string, unknown>)[m] === 'function')
}

/** Instantiates and checks one class; returns the problem, or undefined when it is a usable strategy. */
function checkClass(file: string, ctor: new () => unknown): StrategyLoadError | undefined {
  const where = `${ctor.name} in ${file}`
  if (!(ctor.prototype instanceof Strategy)) {
    return new StrategyLoadError(file, `${where} does not extend Strategy (import it from src/strategy/index.ts)`)
  }
  let inst: Record<string, unknown>
  try {
    inst = new ctor() as Record<string, unknown>
  } catch (err) {
    return new StrategyLoadError(file, `${where}: the constructor threw: ${(err as Error).message ?? err}`, {
      cause: err,
    })
  }
  for (const m of REQUIRED_METHODS) {
    if (typeof inst[m] !== 'function') return new StrategyLoadError(file, `${where} lacks required member '${m}'`)
  }
  if (typeof inst.timeframe !== 'string') {
    return new StrategyLoadError(file, `${where} lacks required member 'timeframe' (a string such as '5m')`)
  }
  if (typeof inst.stoploss !== 'number') {
    return new StrategyLoadError(file, `${where} lacks required member 'stoploss' (a negative ratio such as -0.1)`)
  }
  return undefined
}

async function scanFile(file: string): Promise<Candidate[]> {
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err)
    const error = new StrategyLoadError(file, `cannot import strategy file ${file}: ${cause}`, { cause: err })
    return [{ name: basename(file, '.ts'), file, error }]
  }
  const seen = new Set<unknown>()
  const out: Candidate[] = []
  for (const value of Object.values(mod)) {
    if (seen.has(value) || !looksLikeStrategy(value)) continue
    seen.add(value)
    const error = checkClass(file, value)
    out.push({ name: value.name, file, ...(error ? { error } : { ctor: value as StrategyClass }) })
  }
  return out
}

/**
 * Every strategy class in the searched folders; the first of a name wins (strategy_path, then the user data's
 * strategies, then the built-ins).
 */
async function scan(opts: LoaderOptions): Promise<Candidate[]> {
  const dirs = [
    ...(opts.strategyPath ? [resolve(opts.strategyPath)] : []),
    ...(opts.userDataDir ? [resolve(opts.userDataDir, 'strategies')] : []),
    BUILTIN_STRATEGY_DIR,
  ]
  const out: Candidate[] = []
  const names = new Set<string>()
  for (const dir of [...new Set(dirs)]) {
    for (const file of strategyFiles(dir)) {
      for (const c of await scanFile(file)) {
        if (names.has(c.name)) continue
        names.add(c.name)
        out.push(c)
      }
    }
  }
  return out
}

async function find(name: string, opts: LoaderOptions): Promise<Candidate & { ctor: StrategyClass }> {
  const all = await scan(opts)
  const hit = all.find((c) => c.name === name)
  if (hit?.error) throw hit.error
  if (hit?.ctor) return { ...hit, ctor: hit.ctor }
  const available = all.filter((c) => c.ctor).map((c) => c.name)
  const failed = all.filter((c) => c.error).map((c) => `${basename(c.file)} (${c.error?.message})`)
  throw new StrategyNotFoundError(
    `unknown strategy '${name}'; available: ${available.join(', ') || 'none'}` +
      (failed.length > 0 ? `; files that failed to load: ${failed.join('; ')}` : ''),
  )
}

/**
 * A new instance of the strategy class `name`, with its parameter file applied when there is one (`<file>.json`,
 * see `applyParameterFile`). Throws StrategyNotFoundError or StrategyLoadError.
 */
export async function loadStrategy(name: string, opts: LoaderOptions = {}): Promise<Strategy> {
  return (await loadStrategyWithFile(name, opts)).strategy
}

/** `loadStrategy`, with the file the class was found in. */
export async function loadStrategyWithFile(
  name: string,
  opts: LoaderOptions = {},
): Promise<{ strategy: Strategy; file: string }> {
  const { ctor, file } = await find(name, opts)
  const strategy = new ctor()
  try {
    applyParameterFile(strategy, file)
  } catch (err) {
    throw new StrategyLoadError(file, (err as Error).message, { cause: err })
  }
  return { strategy, file }
}

/** The path of the file that defines strategy `name`. */
export async function strategyFile(name: string, opts: LoaderOptions = {}): Promise<string> {
  return (await find(name, opts)).file
}

/** The source code of the file that defines strategy `name` (for `GET /strategy/{name}`). */
export async function strategySource(name: string, opts: LoaderOptions = {}): Promise<string> {
  return readFile(await strategyFile(name, opts), 'utf8')
}

export interface StrategyListRow {
  name: string
  file: string
  /** Undefined when the class could not be loaded. */
  timeframe: string | undefined
  status: string
}

/** Every strategy found, usable or not, as `tern list-strategies` shows them. */
export async function listStrategies(opts: LoaderOptions = {}): Promise<StrategyListRow[]> {
  return (await scan(opts)).map((c) => ({
    name: c.name,
    file: c.file,
    timeframe: c.ctor ? new c.ctor().timeframe : undefined,
    status: c.error ? `LOAD FAILED: ${c.error.message}` : 'OK',
  }))
}

/** A plain-text table: class, file, timeframe, status. */
export function formatStrategyList(rows: readonly StrategyListRow[]): string {
  const header = ['Strategy class', 'Location', 'Timeframe', 'Status']
  const table = rows.map((r) => [r.name, r.file, r.timeframe ?? '-', r.status])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)].join('\n')
}

/** The output of `tern list-strategies`. */
export async function listStrategiesCommandText(opts: LoaderOptions = {}): Promise<string> {
  return formatStrategyList(await listStrategies(opts))
}
