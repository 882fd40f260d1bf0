import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Credential checks for the API (§3 of the contract): HTTP Basic compared in constant time, JWT access and
 * refresh tokens signed with HS256.
 */

export const ACCESS_TOKEN_SECONDS = 15 * 60
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600

/** Constant-time string comparison: both sides are hashed first so their lengths never leak. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

export type BasicCredentials = { username: string; password: string } | 'malformed'

/** Decodes `Basic base64(user:pass)`; 'malformed' when the payload is not valid base64 of `user:pass`. */
export function parseBasic(token: string): BasicCredentials {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) return 'malformed'
  const decoded = Buffer.from(token, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return 'malformed'
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

export interface Credentials {
  username: string
  password: string
}

/** True when Basic credentials match the configured user and password; an empty password never matches. */
export function checkBasic(given: { username: string; password: string }, expected: Credentials): boolean {
  if (expected.password === '') return false
  const userOk = safeEqual(given.username, expected.username)
  const passOk = safeEqual(given.password, expected.password)
  return userOk && passOk
}

/** Splits an Authorization header into scheme and token. */
export function splitAuthorization(header: string | null): { scheme: string; token: string } | undefined {
  if (!header) return undefined
  const space = header.indexOf(' ')
  if (space < 0) return { scheme: header.toLowerCase(), token: '' }
  return { scheme: header.slice(0, space).toLowerCase(), token: header.slice(space + 1).trim() }
}

/** The claims Tern puts in its tokens, as freqtrade does. */
export interface TokenClaims {
  identity: { u: string }
  type: 'access' | 'refresh'
}

export function isTokenOfType(payload: unknown, type: TokenClaims['type']): payload is TokenClaims {
  if (!payload || typeof payload !== 'object') return false
  const p = payload as Partial<TokenClaims>
  return p.type === type && typeof p.identity === 'object' && p.identity !== null && typeof p.identity.u === 'string'
}
