const MINUTE = 60
const HOUR = 3600
const DAY = 86_400

/**
 * How long ago `thenMs` was, in the English phrases of Python's `arrow.humanize` that `/profit` shows
 * ("now", "44 seconds ago", "an hour ago", "24 days ago", "a month ago", "2 years ago").
 */
export function humanizeAgo(thenMs: number, nowMs: number): string {
  const delta = Math.floor(Math.abs(nowMs - thenMs) / 1000)
  const say = (phrase: string) => (nowMs >= thenMs ? `${phrase} ago` : `in ${phrase}`)
  if (delta < 10) return 'now'
  if (delta < 45) return say(`${delta} seconds`)
  if (delta < 90) return say('a minute')
  if (delta < 45 * MINUTE) return say(`${Math.max(Math.floor(delta / MINUTE), 2)} minutes`)
  if (delta < 90 * MINUTE) return say('an hour')
  if (delta < 22 * HOUR) return say(`${Math.max(Math.floor(delta / HOUR), 2)} hours`)
  if (delta < 36 * HOUR) return say('a day')
  if (delta < 30 * DAY) return say(`${Math.max(Math.floor(delta / DAY), 2)} days`)
  if (delta < 45 * DAY) return say('a month')
  if (delta < 365 * DAY) return say(`${Math.max(Math.floor(delta / (30 * DAY)), 2)} months`)
  if (delta < 2 * 365 * DAY) return say('a year')
  return say(`${Math.floor(delta / (365 * DAY))} years`)
}
