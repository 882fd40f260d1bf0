/**
 * Python's `str.format` for notification templates written for freqtrade: `{pair}`, `{profit_ratio:.2%}`,
 * `{amount:.4f}`, `{open_date:%Y-%m-%d %H:%M:%S}`, `{{` and `}}` for literal braces.
 */

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Python's `str(datetime)` of an aware UTC datetime: `2024-01-02 03:04:05+00:00` (microseconds when non-zero). */
export function pyDate(d: Date): string {
  const ms = d.getUTCMilliseconds()
  const base = d.toISOString().slice(0, 19).replace('T', ' ')
  return `${base}${ms ? `.${pad(ms, 3)}000` : ''}+00:00`
}

function strftime(d: Date, fmt: string): string {
  return fmt.replace(/%([YmdHMSfzZjy%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear())
      case 'y':
        return pad(d.getUTCFullYear() % 100)
      case 'm':
        return pad(d.getUTCMonth() + 1)
      case 'd':
        return pad(d.getUTCDate())
      case 'H':
        return pad(d.getUTCHours())
      case 'M':
        return pad(d.getUTCMinutes())
      case 'S':
        return pad(d.getUTCSeconds())
      case 'f':
        return `${pad(d.getUTCMilliseconds(), 3)}000`
      case 'z':
        return '+0000'
      case 'Z':
        return 'UTC'
      case 'j': {
        const start = Date.UTC(d.getUTCFullYear(), 0, 1)
        return pad(Math.floor((d.getTime() - start) / 86_400_000) + 1, 3)
      }
      default:
        return '%'
    }
  })
}

/** Python's `str()` of a value. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (v instanceof Date) return pyDate(v)
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

function withCommas(s: string): string {
  const [int, frac] = s.split('.') as [string, string | undefined]
  const sign = int.startsWith('-') ? '-' : ''
  const digits = sign ? int.slice(1) : int
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`
}

function formatSpec(v: unknown, spec: string): string {
  if (v instanceof Date) return strftime(v, spec)
  const m = /^(,)?(?:\.(\d+))?([f%egd])?$/.exec(spec)
  if (!m || typeof v !== 'number') return pyStr(v)
  const [, comma, prec, kind] = m
  const digits = prec !== undefined ? Number(prec) : 6
  let out: string
  if (kind === '%') return `${(v * 100).toFixed(digits)}%`
  if (kind === 'f') out = v.toFixed(digits)
  else if (kind === 'e') out = v.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2')
  else if (kind === 'd') out = Math.trunc(v).toString()
  else out = prec !== undefined ? String(Number(v.toPrecision(Math.max(1, digits)))) : String(v)
  return comma ? withCommas(out) : out
}

/** A placeholder whose key is not in the values; the message names it as Python's KeyError would. */
export class TemplateKeyError extends Error {
  override name = 'TemplateKeyError'
}

export function formatTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{|\}\}|\{([^{}:]+)(?::([^{}]*))?\}/g, (match, key: string | undefined, spec) => {
    if (match === '{{') return '{'
    if (match === '}}') return '}'
    const name = (key as string).trim()
    if (!(name in values)) throw new TemplateKeyError(`unknown placeholder '{${name}}'`)
    const v = values[name]
    return spec ? formatSpec(v, spec as string) : pyStr(v)
  })
}

/** Formats every string inside a (nested) template value. */
export function formatPayload(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') return formatTemplate(value, values)
  if (Array.isArray(value)) return value.map((v) => formatPayload(v, values))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, formatPayload(v, values)]))
  }
  return value
}
