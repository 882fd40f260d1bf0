/** Date formats of the API contract (§1.4). All inputs are ms since the epoch, UTC. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** `YYYY-MM-DD HH:MM:SS` in UTC: the contract's "display date". */
export function displayDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** ISO-8601 UTC with microseconds, as freqtrade prints it: `2024-10-24T08:12:46.512000Z`. */
export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`
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
