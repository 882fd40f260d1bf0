/** Date formats of the API contract (§1.4). All inputs are ms since the epoch, UTC. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

const DAY_MS = 86_400_000
/** Two-digit texts `00`..`99`. */
const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)))
/** The range where `toISOString` writes a four-digit year (0000-01-01 to 9999-12-31): formatted by hand. */
const FIRST_MS = -62_167_219_200_000
const END_MS = 253_402_300_800_000

/**
 * Year, month (1–12) and day of month of a day number (days since 1970-01-01, proleptic Gregorian calendar), by
 * integer arithmetic (H. Hinnant's `civil_from_days`).
 */
export function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

/** The day number (days since 1970-01-01) of a calendar date; month 1–12 (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468
}

// a backtest formats tens of thousands of dates on a few hundred days and candle times: the texts of days and of
// times of day are cached (days in a small direct-mapped table, times of day by second)
const DAY_SLOTS = 1024
const slotDay = new Float64Array(DAY_SLOTS).fill(Number.NaN)
const slotText: string[] = new Array(DAY_SLOTS).fill('')
const timeTexts: string[] = new Array(86_400)

/** `YYYY-MM-DD` of a day number (years 0..9999). */
export function dayText(days: number): string {
  const slot = days & (DAY_SLOTS - 1)
  if (slotDay[slot] === days) return slotText[slot]
  const [y, m, d] = civilFromDays(days)
  const text = `${y >= 1000 ? y : String(y).padStart(4, '0')}-${TWO[m]}-${TWO[d]}`
  slotDay[slot] = days
  slotText[slot] = text
  return text
}

/** `HH:MM:SS` of a second of the day (0..86399). */
function timeText(s: number): string {
  const cached = timeTexts[s]
  if (cached !== undefined) return cached
  const text = `${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}`
  timeTexts[s] = text
  return text
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: the contract's "display date" (fractions of a second are cut, as the ISO text's). */
export function displayDate(ms: number): string {
  const t = Math.trunc(ms) // what `new Date(ms)` keeps
  if (!(t >= FIRST_MS && t < END_MS)) return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
  const day = Math.floor(t / DAY_MS)
  return `${dayText(day)} ${timeText(Math.floor((t - day * DAY_MS) / 1000))}`
}

/** ISO-8601 UTC with microseconds, as freqtrade prints it: `2024-10-24T08:12:46.512000Z`. */
export function isoUtc(ms: number): string {
  const t = Math.trunc(ms)
  if (!(t >= FIRST_MS && t < END_MS)) return `${new Date(ms).toISOString().slice(0, 23)}000Z`
  const day = Math.floor(t / DAY_MS)
  const inDay = t - day * DAY_MS
  const s = Math.floor(inDay / 1000)
  const milli = inDay - s * 1000
  const frac = milli >= 100 ? String(milli) : `0${TWO[milli]}`
  return `${dayText(day)}T${timeText(s)}.${frac}000Z`
}

/** `YYYY-MM-DD HH:MM:SS` in the server's local time zone, for log rows. */
export function localLogDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Timeframe string (`5m`, `1h`, `1d`, `1w`, `1M`) to milliseconds; throws on anything else. */
export function timeframeToMs(timeframe: string): number {
  const m = /^(\d+)([smhdwM])$/.exec(timeframe)
  if (!m) throw new Error(`invalid timeframe '${timeframe}': expected a number and one of s, m, h, d, w, M (e.g. 5m)`)
  const n = Number(m[1])
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000 }[
    m[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'M'
  ]
  if (n <= 0) throw new Error(`invalid timeframe '${timeframe}': the number must be positive`)
  return n * unit
}

/** The first candle boundary of `timeframeMs` strictly after `ms` (12:00 and 12:03 both give 12:05 for 5m). */
export function nextCandleAfter(ms: number, timeframeMs: number): number {
  return (Math.floor(ms / timeframeMs) + 1) * timeframeMs
}

/**
 * Parses an API datetime that must carry a time zone (`2024-10-25T12:00:00Z`, `2024-10-25 12:00:00+02:00`);
 * undefined for naive or malformed values.
 */
export function parseZonedDate(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return undefined
  const ms = Date.parse(text.trim().replace(' ', 'T'))
  return Number.isNaN(ms) ? undefined : ms
}
