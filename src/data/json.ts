import { allocOhlcv, type OhlcvColumns } from '../frame/ohlcv.ts'
import { DataFileError } from './errors.ts'

/** A JSON number, or NaN for the `null` pandas writes for a missing value. */
function num(v: unknown, file: string, row: number, col: number): number {
  if (typeof v === 'number') return v
  if (v === null && col > 0) return Number.NaN
  throw new DataFileError(file, `row ${row}: value ${col} is ${JSON.stringify(v)}, expected a number`)
}

/** Parse freqtrade's JSON candles, `[[ms, open, high, low, close, volume], ...]`. Not cleaned. */
export function decodeJson(text: string, file: string): OhlcvColumns {
  let rows: unknown
  try {
    rows = JSON.parse(text)
  } catch (err) {
    throw new DataFileError(file, `not valid JSON (${(err as Error).message})`)
  }
  if (!Array.isArray(rows))
    throw new DataFileError(file, 'expected a JSON array of [date, open, high, low, close, volume]')
  const out = allocOhlcv(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    if (!Array.isArray(r) || r.length !== 6) {
      const width = Array.isArray(r) ? `${r.length} values` : JSON.stringify(r)
      throw new DataFileError(file, `row ${i} has ${width}, expected 6 (date, open, high, low, close, volume)`)
    }
    out.date[i] = num(r[0], file, i, 0)
    out.open[i] = num(r[1], file, i, 1)
    out.high[i] = num(r[2], file, i, 2)
    out.low[i] = num(r[3], file, i, 3)
    out.close[i] = num(r[4], file, i, 4)
    out.volume[i] = num(r[5], file, i, 5)
  }
  return out
}

/** Gunzip then parse; a file that is not gzip is reported by name. */
export function decodeJsonGz(bytes: Uint8Array, file: string): OhlcvColumns {
  let text: string
  try {
    text = new TextDecoder().decode(Bun.gunzipSync(bytes as Uint8Array<ArrayBuffer>))
  } catch (err) {
    throw new DataFileError(file, `not a gzip file (${(err as Error).message})`)
  }
  return decodeJson(text, file)
}

const cell = (v: number): string => (Number.isFinite(v) ? String(v) : 'null')

/** Columns as freqtrade's JSON: one `[ms, o, h, l, c, v]` array per candle, full float precision. */
export function encodeJson(c: OhlcvColumns): string {
  const n = c.date.length
  const parts = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    parts[i] =
      `[${c.date[i]},${cell(c.open[i])},${cell(c.high[i])},${cell(c.low[i])},${cell(c.close[i])},${cell(c.volume[i])}]`
  }
  return `[${parts.join(',')}]`
}

/** Bun's gzip levels (its own zlib binding: importing node:zlib costs each worker ~10 ms at start). */
type ZlibLevel = -1 | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9

export function encodeJsonGz(c: OhlcvColumns, level = 6): Uint8Array {
  return Bun.gzipSync(new TextEncoder().encode(encodeJson(c)), { level: level as ZlibLevel })
}
