/**
 * Turns the config's `db_url` into what the libSQL client needs. Accepts freqtrade's SQLAlchemy
 * sqlite URLs as well as libSQL's own, so an existing freqtrade config keeps working.
 */
import { isAbsolute, resolve } from 'node:path'

export type DbKind = 'file' | 'remote' | 'memory'

export interface DbTarget {
  url: string
  authToken?: string
  kind: DbKind
}

export interface ResolveDbUrlOptions {
  dryRun: boolean
  /** The user data directory; the default database file lives there. */
  userDataDir: string
  /** Base for relative paths; defaults to the process's working directory. */
  cwd?: string
  /** Where auth tokens may come from; defaults to the process environment. */
  env?: Record<string, string | undefined>
}

export const MEMORY_URL = ':memory:'

const ACCEPTED_FORMS = [
  'file:<path>',
  'sqlite:///<relative path>',
  'sqlite:////<absolute path>',
  'sqlite:// (in memory)',
  ':memory:',
  'libsql://<host>',
  'http(s)://<host>',
  'ws(s)://<host>',
].join(', ')

const REMOTE_SCHEMES = new Set(['libsql:', 'http:', 'https:', 'ws:', 'wss:'])

export function resolveDbUrl(dbUrl: string | undefined, opts: ResolveDbUrlOptions): DbTarget {
  const cwd = opts.cwd ?? process.cwd()
  const value = dbUrl?.trim() ?? ''

  if (value === '') return fileTarget(defaultDbPath(opts.userDataDir, opts.dryRun, cwd))
  if (value === MEMORY_URL || value === 'file::memory:' || value === 'sqlite://' || value === 'sqlite:///:memory:') {
    return { url: MEMORY_URL, kind: 'memory' }
  }

  if (value.startsWith('sqlite:')) {
    // SQLAlchemy: after 'sqlite://' comes an empty host, then '/', then the path as written,
    // so three slashes mean a relative path and four an absolute one.
    if (value.startsWith('sqlite:///') && value.length > 'sqlite:///'.length) {
      const path = value.slice('sqlite:///'.length)
      if (!path.includes('?')) return fileTarget(resolve(cwd, path))
    }
    throw invalid(value)
  }

  if (value.startsWith('file:')) {
    let path = value.slice('file:'.length)
    // file:///abs and file://localhost/abs both name /abs.
    if (path.startsWith('//')) {
      const slash = path.indexOf('/', 2)
      const host = slash < 0 ? path.slice(2) : path.slice(2, slash)
      if (slash < 0 || (host !== '' && host !== 'localhost')) throw invalid(value)
      path = path.slice(slash)
    }
    if (path === '' || path.includes('?') || path.includes('#')) throw invalid(value)
    return fileTarget(isAbsolute(path) ? path : resolve(cwd, path))
  }

  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw invalid(value)
  }
  if (!REMOTE_SCHEMES.has(parsed.protocol) || parsed.hostname === '') throw invalid(value)

  const env = opts.env ?? process.env
  const { url, token } = takeAuthToken(value)
  const authToken = token || env.TERN_DB_AUTH_TOKEN || env.LIBSQL_AUTH_TOKEN || undefined
  return authToken ? { url, authToken, kind: 'remote' } : { url, kind: 'remote' }
}

/** Removes the `authToken` query parameter, keeping the rest of the URL as written. */
function takeAuthToken(value: string): { url: string; token?: string } {
  const hashAt = value.indexOf('#')
  const beforeHash = hashAt < 0 ? value : value.slice(0, hashAt)
  const hash = hashAt < 0 ? '' : value.slice(hashAt)
  const queryAt = beforeHash.indexOf('?')
  if (queryAt < 0) return { url: value }
  let token: string | undefined
  const kept = beforeHash
    .slice(queryAt + 1)
    .split('&')
    .filter((part) => {
      if (!part.startsWith('authToken=')) return part !== ''
      token = decodeURIComponent(part.slice('authToken='.length))
      return false
    })
  const base = beforeHash.slice(0, queryAt)
  return { url: `${base}${kept.length > 0 ? `?${kept.join('&')}` : ''}${hash}`, token }
}

/** The file path of a `file:` URL made by `resolveDbUrl`, or undefined for memory and remote URLs. */
export function filePathOf(url: string): string | undefined {
  if (!url.startsWith('file:') || url === 'file::memory:') return undefined
  return decodeURIComponent(url.slice('file:'.length))
}

/** `value` with auth tokens and passwords replaced, for messages and logs. */
export function maskDbUrl(value: string): string {
  return value
    .replace(/([?&]authToken=)[^&#]*/gi, '$1***')
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, '$1***@')
}

function fileTarget(absolutePath: string): DbTarget {
  // libSQL percent-decodes the path, so characters with meaning in a URL must be escaped.
  const escaped = absolutePath.replace(/[%?#]/g, (c) => encodeURIComponent(c))
  return { url: `file:${escaped}`, kind: 'file' }
}

function invalid(value: string): Error {
  return new Error(`db_url: unsupported value '${maskDbUrl(value)}'; accepted forms: ${ACCEPTED_FORMS}`)
}

/** The absolute path of the default database file in `userDataDir`. */
export function defaultDbPath(userDataDir: string, dryRun: boolean, cwd = process.cwd()): string {
  return resolve(cwd, userDataDir, dryRun ? 'tradesv3.dryrun.sqlite' : 'tradesv3.sqlite')
}
