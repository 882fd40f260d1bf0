import { resolve } from 'node:path'
import cliProgress from 'cli-progress'
import { BACKTEST_CACHES, type BacktestCache } from '../../backtest/cache.ts'
import { type BacktestProgress, runBacktestDetailed } from '../../backtest/runner.ts'
import { latestResultFile, readBacktestResult, resultsDir } from '../../backtest/storage.ts'
import { formatBacktestResult } from '../../backtest/tables.ts'
import { BREAKDOWNS, type Breakdown } from '../../metrics/index.ts'
import { getLogger } from '../../util/logger.ts'
import {
  COMMON_ARG_OPTIONS,
  type CommonValues,
  configFromArgs,
  expandMultiValueFlags,
  parseCommandArgs,
  setupLogging,
  UsageError,
} from '../args.ts'
import { COMMANDS } from '../usage.ts'

const BACKTEST_OPTIONS = {
  ...COMMON_ARG_OPTIONS,
  timerange: { type: 'string' },
  timeframe: { type: 'string', short: 'i' },
  'timeframe-detail': { type: 'string' },
  eps: { type: 'boolean' },
  'enable-position-stacking': { type: 'boolean' },
  'max-open-trades': { type: 'string' },
  'stake-amount': { type: 'string' },
  'dry-run-wallet': { type: 'string' },
  'starting-balance': { type: 'string' },
  'strategy-list': { type: 'string', multiple: true },
  fee: { type: 'string' },
  'export-filename': { type: 'string' },
  'backtest-filename': { type: 'string' },
  'export-directory': { type: 'string' },
  'backtest-directory': { type: 'string' },
  notes: { type: 'string' },
  export: { type: 'string' },
  pairs: { type: 'string', short: 'p', multiple: true },
  'enable-protections': { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  breakdown: { type: 'string', multiple: true },
  cache: { type: 'string' },
} as const

/** `--cache none|day|week|month` (default the config's `backtest_cache`, itself `day` as in freqtrade). */
function cacheOf(value: string | undefined): BacktestCache {
  const cache = value ?? 'day'
  if (!(BACKTEST_CACHES as readonly string[]).includes(cache)) {
    throw new UsageError(`--cache: expected none, day, week or month, got '${cache}'`)
  }
  return cache as BacktestCache
}

/** `--breakdown day week month year weekday`: the periodic tables to print. */
function breakdownOf(values: string[] | undefined): Breakdown[] {
  const periods = values ?? []
  for (const p of periods) {
    if (!(BREAKDOWNS as readonly string[]).includes(p)) {
      throw new UsageError(`--breakdown: expected day, week, month, year or weekday, got '${p}'`)
    }
  }
  return periods as Breakdown[]
}

/** `--backtest-directory` / `--export-directory` (freqtrade's two names), else `<user_data_dir>/backtest_results`. */
function resultsDirOf(
  values: { 'backtest-directory'?: string; 'export-directory'?: string },
  userDataDir: string,
): string {
  return values['backtest-directory'] ?? values['export-directory'] ?? resultsDir(userDataDir)
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got '${v}'`)
  return n
}

/** `tern backtesting`: runs, prints freqtrade's tables and writes the result file. Returns the exit code. */
export async function backtestingCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(
    expandMultiValueFlags(argv, ['--strategy-list', '--pairs', '-p', '--breakdown']),
    BACKTEST_OPTIONS,
  )
  if (values.help) {
    console.log(COMMANDS.backtesting!.usage)
    return 0
  }
  const breakdown = breakdownOf(values.breakdown)
  setupLogging(values as CommonValues)
  const { config } = configFromArgs(values as CommonValues)
  const stakeText = values['stake-amount']
  const stake =
    stakeText === undefined ? undefined : stakeText === 'unlimited' ? 'unlimited' : num('stake-amount', stakeText)
  const strategies = values['strategy-list'] ?? []
  const exportMode = values.export ?? 'trades'
  if (exportMode !== 'none' && exportMode !== 'trades' && exportMode !== 'signals') {
    throw new UsageError(`--export: expected none, trades or signals, got '${exportMode}'`)
  }
  if (exportMode === 'signals') {
    // freqtrade's signal export is a set of Python pickles for its analysis tools
    getLogger('tern.backtest').warn('--export signals: only the trades result is written (signal pickles are not)')
  }
  const bar =
    values['no-progress'] || !process.stderr.isTTY
      ? undefined
      : new cliProgress.SingleBar(
          {
            format: '{step} [{bar}] {percentage}% | trades: {trades}',
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
  let lastStep = ''
  const onProgress = (p: BacktestProgress) => {
    if (!bar) return
    if (p.step !== lastStep) {
      if (lastStep) bar.stop()
      lastStep = p.step
      if (p.step !== 'finished') bar.start(100, 0, { step: p.step.padEnd(8), trades: p.tradeCount ?? 0 })
      return
    }
    bar.update(Math.round(p.progress * 100), { trades: p.tradeCount ?? 0 })
  }
  const dir = resultsDirOf(values, config.user_data_dir)
  const run = await runBacktestDetailed(
    {
      config,
      strategies: strategies.length ? strategies : undefined,
      timerange: values.timerange,
      timeframe: values.timeframe,
      timeframeDetail: values['timeframe-detail'],
      maxOpenTrades: num('max-open-trades', values['max-open-trades']),
      stakeAmount: stake,
      dryRunWallet:
        num('dry-run-wallet', values['dry-run-wallet']) ?? num('starting-balance', values['starting-balance']),
      fee: num('fee', values.fee),
      enablePositionStacking: values.eps || values['enable-position-stacking'],
      enableProtections: values['enable-protections'],
      pairs: values.pairs,
      exportDir: exportMode === 'none' ? undefined : dir,
      exportFilename: exportMode === 'none' ? undefined : (values['export-filename'] ?? values['backtest-filename']),
      cache: cacheOf(values.cache ?? config.backtest_cache),
      notes: values.notes,
    },
    onProgress,
  )
  bar?.stop()
  console.log(formatBacktestResult(run.result, { breakdown }))
  if (run.file) console.log(`\nResult written to ${resolve(run.file)}`)
  return 0
}

/** `tern backtesting-show`: prints the tables of a stored result (default: the latest). */
export async function backtestingShowCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--breakdown']), {
    ...COMMON_ARG_OPTIONS,
    'backtest-filename': { type: 'string' },
    'export-filename': { type: 'string' },
    'backtest-directory': { type: 'string' },
    'export-directory': { type: 'string' },
    breakdown: { type: 'string', multiple: true },
  } as const)
  if (values.help) {
    console.log(COMMANDS['backtesting-show']!.usage)
    return 0
  }
  const breakdown = breakdownOf(values.breakdown)
  setupLogging(values as CommonValues)
  let file = values['backtest-filename'] ?? values['export-filename']
  if (file === undefined) {
    const { config } = configFromArgs(values as CommonValues)
    const dir = resultsDirOf(values, config.user_data_dir)
    file = await latestResultFile(dir)
    if (file === undefined) throw new Error(`no backtest result in ${dir}; run 'tern backtesting' first`)
  }
  console.log(formatBacktestResult(await readBacktestResult(file), { breakdown }))
  return 0
}
