import { SECRET_KEYS } from '../util/logger.ts'

const SECRETS = new Set(SECRET_KEYS)
export const REDACTED = '[REDACTED]'

export function isSecretKey(key: string): boolean {
  return SECRETS.has(key)
}

/** A deep copy with every secret value replaced, for printing or serving a config. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && typeof v === 'string' && v !== '' ? REDACTED : redactSecrets(v)
    }
    return out as T
  }
  return value
}
