import type { DataFrameResponse } from '../api/schemas/candles.ts'
import type { Frame } from '../frame/frame.ts'
import { tagAt, tagDictionaries } from '../strategy/index.ts'
import { timeframeToMs } from '../util/dates.ts'

/** Columns every filtered frame keeps (§14.3). */
const MANDATORY_COLUMNS = [
  'date',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'enter_long',
  'exit_long',
  'enter_short',
  'exit_short',
]

/** Signal columns and the helper column FreqUI draws markers from, in the contract's fixed order (§14.2). */
const SIGNALS = ['enter_long', 'exit_long', 'enter_short', 'exit_short'] as const

/** Tag columns hold dictionary codes in the frame and are written as strings. */
const TAG_COLUMNS = ['enter_tag', 'exit_tag']

export type Cell = string | number | boolean | null

export interface DataFrameInput {
  strategy: string
  pair: string
  timeframe: string
  /** The analysed frame; undefined when there is none at all. */
  frame: Frame | undefined
  /** Rows to emit: `[start, end)` of the frame (default all). */
  rows?: { start: number; end: number }
  /** Requested columns (POST forms); undefined = all columns. */
  columns?: readonly string[] | null
  /** When the frame was analysed, ms UTC (0 = never). */
  lastAnalyzedMs: number
}

/** ISO-8601 UTC with `Z`; fractional seconds (microsecond precision, as freqtrade prints) only when non-zero. */
export function isoCell(ms: number): string {
  const iso = new Date(ms).toISOString()
  const frac = ms % 1000
  return frac === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 23)}000Z`
}

/** pandas' `str(Timestamp)`: `2024-10-24 08:10:00+00:00`. */
export function pandasDate(ms: number): string {
  const iso = new Date(ms).toISOString()
  const frac = ms % 1000
  return `${iso.slice(0, 10)} ${iso.slice(11, frac === 0 ? 19 : 23)}${frac === 0 ? '' : '000'}+00:00`
}

/** `date` and the dates of merged informative frames (`date_1h`) are datetimes; every other column is numeric. */
function isDateColumn(name: string): boolean {
  return name === 'date' || name.startsWith('date_')
}

const numberCell = (v: number): number | null => (Number.isFinite(v) ? v : null)

/**
 * The dataframe object of `/pair_candles` and `/pair_history` (§14): the frame's columns (filtered when `columns`
 * is given), then `__date_ts`, then a `_<signal>_signal_close` helper per signal column present.
 */
export function dataFrameResponse(input: DataFrameInput): DataFrameResponse {
  const { frame } = input
  const allColumns = frame ? frame.columns() : []
  const start = input.rows?.start ?? 0
  const end = input.rows?.end ?? frame?.length ?? 0
  const length = frame ? Math.max(0, end - start) : 0
  const analyzedMs = input.lastAnalyzedMs
  const base = {
    strategy: input.strategy,
    pair: input.pair,
    timeframe: input.timeframe,
    timeframe_ms: timeframeToMs(input.timeframe),
    all_columns: allColumns,
    last_analyzed: isoCell(analyzedMs),
    last_analyzed_ts: Math.floor(analyzedMs / 1000),
  }
  const counts = { enter_long: 0, exit_long: 0, enter_short: 0, exit_short: 0 }
  const signalFields = () => ({
    buy_signals: counts.enter_long,
    sell_signals: counts.exit_long,
    enter_long_signals: counts.enter_long,
    exit_long_signals: counts.exit_long,
    enter_short_signals: counts.enter_short,
    exit_short_signals: counts.exit_short,
  })
  if (!frame || length === 0) {
    // freqtrade leaves an empty frame as it is: no __date_ts, no helpers
    return {
      ...base,
      columns: allColumns,
      data: [],
      length: 0,
      ...signalFields(),
      data_start: '',
      data_start_ts: 0,
      data_stop: '',
      data_stop_ts: 0,
    }
  }

  const keep = input.columns ? new Set([...MANDATORY_COLUMNS, ...input.columns]) : undefined
  const frameColumns = keep ? allColumns.filter((c) => keep.has(c)) : allColumns
  const signals = SIGNALS.filter((s) => frameColumns.includes(s))
  const tagColumns = new Set([...TAG_COLUMNS, ...Object.keys(tagDictionaries(frame))])
  const date = frame.col('date')
  const close = frame.col('close')

  // One encoder per column, chosen once, so the row loop only reads arrays.
  const encoders = frameColumns.map((name): ((i: number) => Cell) => {
    const col = frame.col(name)
    if (tagColumns.has(name)) return (i) => tagAt(frame, name, i) ?? null
    if (isDateColumn(name)) return (i) => (Number.isFinite(col[i]) ? isoCell(col[i]) : null)
    return (i) => numberCell(col[i])
  })
  const signalCols = signals.map((s) => frame.col(s))

  const data: Cell[][] = new Array(length)
  for (let i = start; i < end; i++) {
    const row: Cell[] = new Array(frameColumns.length + 1 + signals.length)
    for (let c = 0; c < encoders.length; c++) row[c] = encoders[c](i)
    row[encoders.length] = date[i]
    for (let s = 0; s < signals.length; s++) {
      const hit = signalCols[s][i] === 1
      if (hit) counts[signals[s]]++
      row[encoders.length + 1 + s] = hit ? numberCell(close[i]) : null
    }
    data[i - start] = row
  }

  const first = date[start]
  const last = date[end - 1]
  return {
    ...base,
    columns: [...frameColumns, '__date_ts', ...signals.map((s) => `_${s}_signal_close`)],
    data,
    length,
    ...signalFields(),
    data_start: pandasDate(first),
    data_start_ts: first,
    data_stop: pandasDate(last),
    data_stop_ts: last,
  }
}
