import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { displayDate } from '../util/dates.ts'
import { type CandleType, type DataFormat, filenameToPair } from './filenames.ts'
import { readCandleFile } from './history.ts'

export interface DataListRow {
  pair: string
  timeframe: string
  format: DataFormat
  candleType: CandleType
  /** First and last candle open time, ms UTC; null for an empty file. */
  start: number | null
  end: number | null
  candles: number
  file: string
}

/** Every candle file in `datadir` (and its `futures/` folder) with its span and size, sorted by pair, timeframe. */
export async function listData(datadir: string): Promise<DataListRow[]> {
  const rows: DataListRow[] = []
  for (const dir of [datadir, join(datadir, 'futures')]) {
    if (!existsSync(dir)) continue
    for (const name of (await readdir(dir)).sort()) {
      const parsed = filenameToPair(name)
      if (!parsed) continue
      const file = join(dir, name)
      const c = await readCandleFile(file, parsed.format)
      const n = c.date.length
      rows.push({ ...parsed, start: n ? c.date[0] : null, end: n ? c.date[n - 1] : null, candles: n, file })
    }
  }
  return rows.sort(
    (a, b) =>
      a.pair.localeCompare(b.pair) ||
      a.candleType.localeCompare(b.candleType) ||
      timeframeOrder(a.timeframe) - timeframeOrder(b.timeframe) ||
      a.format.localeCompare(b.format),
  )
}

const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, M: 2.592e9 }

/** Sort key so that 5m comes before 1h; unknown shapes go last. */
function timeframeOrder(tf: string): number {
  const m = /^(\d+)([smhdwM])$/.exec(tf)
  return m ? Number(m[1]) * UNIT_MS[m[2]] : Number.MAX_SAFE_INTEGER
}

/** A plain text table for `tern list-data`: Pair, Timeframe, Format, From, To, Candles. */
export function formatListData(rows: DataListRow[]): string {
  if (rows.length === 0) return 'No candle data found.'
  const header = ['Pair', 'Timeframe', 'Format', 'From', 'To', 'Candles']
  const body = rows.map((r) => [
    r.candleType === 'spot' ? r.pair : `${r.pair} (${r.candleType})`,
    r.timeframe,
    r.format,
    r.start === null ? '-' : displayDate(r.start),
    r.end === null ? '-' : displayDate(r.end),
    String(r.candles),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}
