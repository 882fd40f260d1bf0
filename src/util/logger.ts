import { Writable } from 'node:stream'
import type { Logger } from 'pino'
import { localLogDate } from './dates.ts'

/** One row of `/api/v1/logs`: [local date, epoch ms (float), logger name, level, message]. */
export type LogRow = [string, number, string, string, string]

const LEVEL_NAMES: Record<number, string> = {
  10: 'DEBUG',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
}

/** Config keys whose values must never be printed. */
export const SECRET_KEYS = ['key', 'secret', 'password', 'jwt_secret_key', 'ws_token', 'token', 'auth_token']

/** Fixed-size buffer of the newest log rows, oldest first. */
export class LogRing {
  private readonly rows: LogRow[] = []
  constructor(readonly capacity = 1000) {}
  push(row: LogRow): void {
    this.rows.push(row)
    if (this.rows.length > this.capacity) this.rows.splice(0, this.rows.length - this.capacity)
  }
  /** The newest `limit` rows (all when limit is undefined), oldest first. */
  last(limit?: number): LogRow[] {
    if (limit === undefined) return this.rows.slice()
    if (limit <= 0) return []
    return this.rows.slice(-limit)
  }
}

interface PinoLine {
  time: number
  level: number
  name?: string
  msg?: string
  err?: { stack?: string; message?: string }
}

/** A pino destination that parses each JSON line into the ring. */
function ringStream(ring: LogRing): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      try {
        const line = JSON.parse(String(chunk)) as PinoLine
        let message = line.msg ?? ''
        if (line.err?.stack) message = `${message}\n${line.err.stack}`
        ring.push([localLogDate(line.time), line.time, line.name ?? 'tern', LEVEL_NAMES[line.level] ?? 'INFO', message])
      } catch {
        // a line that is not JSON is not ours to keep
      }
      done()
    },
  })
}

export interface LoggerOptions {
  /** `pretty` for a human on a terminal, `json` for machines; default: pretty on a TTY. */
  format?: 'pretty' | 'json'
  level?: string
  /** Where lines go (default stdout); tests pass a sink. */
  destination?: NodeJS.WritableStream
}

export const logRing = new LogRing(1000)

/** The root logger: stdout (pretty or JSON) plus the ring behind `/logs`. Secrets are redacted. */
export function createRootLogger(opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? (process.stdout.isTTY ? 'pretty' : 'json')
  const destination = opts.destination ?? process.stdout
  // pino and its pretty printer are loaded when a logger is first made: most modules take a logger at load time, and
  // analysis workers that never log should not pay for the import
  const pino: typeof import('pino').default = require('pino')
  const out =
    format === 'pretty'
      ? (require('pino-pretty') as typeof import('pino-pretty'))({
          destination,
          colorize: process.stdout.isTTY,
          ignore: 'pid,hostname',
          sync: true,
        })
      : destination
  return pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      redact: {
        paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
        censor: '[REDACTED]',
      },
    },
    pino.multistream([
      { stream: out, level: 'trace' },
      { stream: ringStream(logRing), level: 'trace' },
    ]),
  )
}

/** The root logger in force; made on first use unless the CLI (or a test) set one first. */
let root: Logger | undefined

function rootLogger(): Logger {
  root ??= createRootLogger({ format: process.env.TERN_LOG_FORMAT === 'json' ? 'json' : undefined })
  return root
}

/** Replace the root logger (the CLI does, once it knows the wanted format and level). */
export function setRootLogger(next: Logger): void {
  root = next
}

const children = new Map<string, { root: Logger; child: Logger }>()

function childOf(name: string): Logger {
  const current = rootLogger()
  const cached = children.get(name)
  if (cached?.root === current) return cached.child
  const child = current.child({ name })
  children.set(name, { root: current, child })
  return child
}

/**
 * A named logger, e.g. `getLogger('tern.api')`. Modules take theirs at load time, before the CLI has chosen the
 * format and level, so each call is forwarded to a child of the root logger in force at that moment.
 */
export function getLogger(name: string): Logger {
  return new Proxy({} as Logger, {
    get(_target, prop) {
      const child = childOf(name)
      const value = Reflect.get(child, prop, child)
      return typeof value === 'function' ? value.bind(child) : value
    },
  })
}
