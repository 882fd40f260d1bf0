import { writeFileSync } from 'node:fs'
import { type LookaheadReport, lookaheadAnalysis } from '../../backtest/lookahead.ts'
import { textTable } from '../../backtest/tables.ts'
import { displayDate } from '../../util/dates.ts'
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

const LOOKAHEAD_OPTIONS = {
  ...STRATEGY_ANALYSIS_ARG_OPTIONS,
  'targeted-trade-amount': { type: 'string' },
  'minimum-trade-amount': { type: 'string' },
  'lookahead-analysis-exportfilename': { type: 'string' },
} as const

function count(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name}: expected a whole number of at least 1, got '${v}'`)
  return n
}

const HEADER = [
  'filename',
  'strategy',
  'has_bias',
  'total_signals',
  'biased_entry_signals',
  'biased_exit_signals',
  'biased_indicators',
]

/** The report's row, as the table and the CSV file give it. */
function reportRow(r: LookaheadReport): (string | number)[] {
  return [
    r.file,
    r.strategy,
    r.hasBias ? 'Yes' : 'No',
    r.checked.length,
    r.biasedEntries,
    r.biasedExits,
    r.biasedIndicators.join(', '),
  ]
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const csvField = (v: string | number): string => {
  const text = String(v)
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The report as freqtrade's `--lookahead-analysis-exportfilename` CSV: a header and one row. */
export function lookaheadCsv(r: LookaheadReport): string {
  return `${[HEADER, reportRow(r)].map((row) => row.map(csvField).join(',')).join('\n')}\n`
}

/** freqtrade's table of a lookahead analysis, then one line per checked signal whose candle changed. */
export function formatLookaheadReport(r: LookaheadReport): string {
  const table = textTable('LOOKAHEAD ANALYSIS', HEADER, [reportRow(r)])
  const lines = [table]
  if (!r.enough) {
    lines.push(`only ${r.checked.length} signals were found to check: too few to rule out a bias`)
  }
  for (const c of r.checked) {
    if (c.columns.length === 0) continue
    lines.push(`${c.kind} signal of ${c.pair} at ${displayDate(c.dateMs)}: ${c.columns.join(', ')} changed`)
  }
  return lines.join('\n')
}

/** `tern lookahead-analysis`: does the strategy read candles it could not have seen? 1 when it does. */
export async function lookaheadCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--pairs', '-p']), LOOKAHEAD_OPTIONS)
  if (values.help) {
    console.log(COMMANDS['lookahead-analysis']!.usage)
    return 0
  }
  const targetedSignals = count('targeted-trade-amount', values['targeted-trade-amount'])
  const minimumSignals = count('minimum-trade-amount', values['minimum-trade-amount'])
  setupLogging(values as CommonValues, { quiet: true })
  const config = strategyConfigFromArgs(values)
  const report = await lookaheadAnalysis({
    config,
    strategy: config.strategy,
    timerange: values.timerange,
    pairs: values.pairs,
    targetedSignals,
    minimumSignals,
  })
  console.log(formatLookaheadReport(report))
  const csv = values['lookahead-analysis-exportfilename']
  if (csv !== undefined) writeFileSync(csv, lookaheadCsv(report))
  return report.hasBias ? 1 : 0
}
