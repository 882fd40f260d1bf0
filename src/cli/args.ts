import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config/load.ts'
import type { Config } from '../config/schema.ts'
import { createRootLogger, setRootLogger } from '../util/logger.ts'

/** A command line that cannot be understood: print usage and exit 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const COMMON_ARG_OPTIONS = {
  config: { type: 'string', short: 'c', multiple: true },
  userdir: { type: 'string' },
  datadir: { type: 'string' },
  'db-url': { type: 'string' },
  strategy: { type: 'string', short: 's' },
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type Options = Parameters<typeof parseArgs>[0] extends infer P ? (P extends { options?: infer O } ? O : never) : never

/** Parses `argv` strictly: an unknown flag or a stray argument is a UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}

export interface CommonValues {
  config?: string[]
  userdir?: string
  datadir?: string
  'db-url'?: string
  strategy?: string
  'log-format'?: string
  'log-level'?: string
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error'])

/**
 * Applies --log-format / --log-level to the root logger. `quiet`: for commands whose printout is their output, the
 * log says only what went wrong (warn) unless --log-level asks for more.
 */
export function setupLogging(values: CommonValues, opts: { quiet?: boolean } = {}): void {
  const format = values['log-format']
  if (format !== undefined && format !== 'pretty' && format !== 'json') {
    throw new UsageError(`--log-format: expected pretty or json, got '${format}'`)
  }
  const level = values['log-level'] ?? (opts.quiet ? 'warn' : undefined)
  if (level !== undefined && !LEVELS.has(level)) {
    throw new UsageError(`--log-level: expected one of ${[...LEVELS].join(', ')}, got '${level}'`)
  }
  setRootLogger(createRootLogger({ format, level }))
}

/**
 * Loads the config files named on the command line (default config.json), then applies the CLI overrides. Commands
 * that can run without a config (listing data or strategies) pass `optional`.
 */
export function configFromArgs(
  values: CommonValues,
  opts: { optional?: boolean } = {},
): { config: Config; files: string[] } {
  const files = values.config ?? (existsSync('config.json') ? ['config.json'] : [])
  if (files.length === 0 && !opts.optional) {
    throw new UsageError("no config file: pass --config PATH or create one with 'tern new-config'")
  }
  const overrides: Record<string, string> = {}
  if (values.userdir) overrides.TERN__USER_DATA_DIR = JSON.stringify(values.userdir)
  if (values.datadir) overrides.TERN__DATADIR = JSON.stringify(values.datadir)
  if (values['db-url']) overrides.TERN__DB_URL = JSON.stringify(values['db-url'])
  if (values.strategy) overrides.TERN__STRATEGY = JSON.stringify(values.strategy)
  return loadConfig(files, { ...process.env, ...overrides })
}

/**
 * freqtrade takes several values after one flag (`--pairs A B C`); node's parser wants the flag repeated. This turns
 * the first form into the second for the named flags.
 */
export function expandMultiValueFlags(argv: string[], flags: string[]): string[] {
  const out: string[] = []
  let current: string | undefined
  for (const arg of argv) {
    if (arg.startsWith('-')) {
      current = flags.includes(arg) ? arg : undefined
      out.push(arg)
    } else if (current && out.at(-1) !== current) {
      out.push(current, arg)
    } else {
      out.push(arg)
    }
  }
  return out
}

/** The options of the commands that analyse one strategy over stored candles (lookahead / recursive analysis). */
export const STRATEGY_ANALYSIS_ARG_OPTIONS = {
  ...COMMON_ARG_OPTIONS,
  timerange: { type: 'string' },
  pairs: { type: 'string', short: 'p', multiple: true },
  'strategy-path': { type: 'string' },
} as const

/**
 * The config of a command that analyses one strategy: `configFromArgs`, with `--strategy-path` as the config's
 * `strategy_path` when given; a UsageError when no strategy is named by `--strategy` or the config.
 */
export function strategyConfigFromArgs(values: CommonValues & { 'strategy-path'?: string }): Config & {
  strategy: string
} {
  const { config } = configFromArgs(values)
  const path = values['strategy-path']
  const out = path === undefined ? config : { ...config, strategy_path: path }
  if (!out.strategy) throw new UsageError("no strategy given: pass --strategy or set 'strategy' in the config")
  return out as Config & { strategy: string }
}
