/** A time window in ms UTC; a missing side is open. Both ends are inclusive, as freqtrade's trim. */
export interface TimeRange {
  startMs?: number
  endMs?: number
}

const DAY_MS = 86_400_000

/** `YYYYMMDD` → UTC midnight in ms, or throws when the date does not exist (e.g. 20240230). */
function parseDay(text: string, whole: string): number {
  const y = Number(text.slice(0, 4))
  const m = Number(text.slice(4, 6))
  const d = Number(text.slice(6, 8))
  const ms = Date.UTC(y, m - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    throw new Error(`Incorrect date '${text}' in timerange "${whole}"`)
  }
  return ms
}

/** One side of a timerange: 8 digits = a UTC day, 10 = epoch seconds, 13 = epoch ms (cut to whole seconds). */
function parseSide(text: string, whole: string): number {
  if (text.length === 8) return parseDay(text, whole)
  if (text.length === 10) return Number(text) * 1000
  return Math.floor(Number(text) / 1000) * 1000
}

/**
 * freqtrade's `--timerange` syntax: `20240101-20240201`, `20240101-`, `-20240201`, the same with
 * epoch seconds (`1704067200-1706745600`) or epoch milliseconds.
 */
export function parseTimerange(text: string): TimeRange {
  const m = /^(\d{8}|\d{10}|\d{13})?-(\d{8}|\d{10}|\d{13})?$/.exec(text.trim())
  if (!m || (m[1] === undefined && m[2] === undefined)) {
    throw new Error(
      `Incorrect syntax for timerange "${text}": expected START-END, START- or -END with dates as YYYYMMDD or epoch seconds`,
    )
  }
  const range: TimeRange = {}
  if (m[1] !== undefined) range.startMs = parseSide(m[1], text)
  if (m[2] !== undefined) range.endMs = parseSide(m[2], text)
  if (range.startMs !== undefined && range.endMs !== undefined && range.startMs > range.endMs) {
    throw new Error(`Start date is after stop date for timerange "${text}"`)
  }
  return range
}

/** UTC midnight of the day `days` before `nowMs`: where `--days N` starts, as freqtrade does. */
export function daysBackStart(nowMs: number, days: number): number {
  const back = nowMs - days * DAY_MS
  return back - (((back % DAY_MS) + DAY_MS) % DAY_MS)
}
