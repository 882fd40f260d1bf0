import { type RecursiveReport, recursiveAnalysis } from '../../backtest/recursive.ts'
import { textTable } from '../../backtest/tables.ts'
import {
  type CommonValues,
  expandMultiValueFlags,
  parseCommandArgs,
  STRATEGY_ANALYSIS_ARG_OPTIONS,
  setupLogging,
  strategyConfigFromArgs,
  UsageError,
} from '../args.ts'
import { COMMANDS } from '../usage.ts'

const RECURSIVE_OPTIONS = {
  ...STRATEGY_ANALYSIS_ARG_OPTIONS,
  'startup-candle': { type: 'string', multiple: true },
} as const

/** A relative difference as freqtrade prints it: a percentage, `-` where the values agree. */
function percent(x: number): string {
  if (x === 0) return '-'
  if (!Number.isFinite(x)) return 'differs'
  const p = x * 100
  return p >= 0.001 ? `${p.toFixed(3)}%` : `${p.toExponential(1)}%`
}

/** freqtrade's recursive-analysis table: one row per column that differs somewhere, one column per startup count. */
export function formatRecursiveReport(r: RecursiveReport): string {
  const counts = r.startupCandles.slice(0, -1)
  const rows = r.differences
    .filter((d) => d.byCount.some((x) => x !== 0))
    .map((d) => [d.column, ...d.byCount.map(percent)])
  const reference = r.startupCandles[r.startupCandles.length - 1]
  const lines = [
    `${r.strategy} (${r.file}) on ${r.pair}, ${r.compared} candles compared with ${reference} startup candles:`,
  ]
  if (rows.length === 0) lines.push('no column changes with the startup candle count')
  else lines.push(textTable('RECURSIVE ANALYSIS', ['indicators', ...counts.map(String)], rows))
  return lines.join('\n')
}

/** `tern recursive-analysis`: how a strategy's columns depend on the number of startup candles. */
export async function recursiveCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--pairs', '-p', '--startup-candle']), RECURSIVE_OPTIONS)
  if (values.help) {
    console.log(COMMANDS['recursive-analysis']!.usage)
    return 0
  }
  const counts = values['startup-candle']?.map((v) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--startup-candle: expected whole numbers, got '${v}'`)
    return n
  })
  if (counts !== undefined && new Set(counts).size < 2) {
    throw new UsageError('--startup-candle: give at least two different counts to compare')
  }
  setupLogging(values as CommonValues, { quiet: true })
  const config = strategyConfigFromArgs(values)
  const report = await recursiveAnalysis({
    config,
    strategy: config.strategy,
    timerange: values.timerange,
    pair: values.pairs?.[0],
    startupCandles: counts,
  })
  console.log(formatRecursiveReport(report))
  return 0
}
