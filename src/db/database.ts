/**
 * Opens the libSQL database (an embedded file, memory, or a remote sqld/Turso server), prepares the
 * connection and brings the schema up to date with the migrations in `./migrations`.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { getLogger } from '../util/logger.ts'
import * as schema from './schema.ts'
import { gateTransactions } from './transaction-gate.ts'
import { filePathOf, MEMORY_URL, maskDbUrl } from './url.ts'

export type Db = LibSQLDatabase<typeof schema>

export interface Database {
  db: Db
  client: Client
  close(): void
}

export interface DbConnectTarget {
  url: string
  authToken?: string
}

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000

const MIGRATIONS_FOLDER = join(import.meta.dir, 'migrations')
const MIGRATIONS_TABLE = '__drizzle_migrations'
const RACE_ATTEMPTS = 8

const log = getLogger('tern.db')

export async function openDatabase(target: DbConnectTarget): Promise<Database> {
  const filePath = filePathOf(target.url)
  if (filePath !== undefined) mkdirSync(dirname(filePath), { recursive: true })

  // `timeout` is libSQL's busy timeout. It is given here rather than as a PRAGMA because the client
  // keeps a pool of connections and a PRAGMA would reach only one of them.
  const raw = createClient({ url: target.url, authToken: target.authToken, timeout: BUSY_TIMEOUT_MS })
  // A remote server runs each transaction on its own stream, so only local databases need the gate.
  const client = isLocal(target.url) ? gateTransactions(raw, BUSY_TIMEOUT_MS) : raw
  try {
    if (filePath !== undefined) await prepareFile(client)
    const db = drizzle(client, { schema })
    const recorded = await migrateWithRetry(db, client)
    log.info({ url: maskDbUrl(target.url), migrations: recorded }, 'database ready')
    return { db, client, close: () => client.close() }
  } catch (err) {
    raw.close()
    throw err
  }
}

function isLocal(url: string): boolean {
  return url.startsWith('file:') || url === MEMORY_URL
}

async function prepareFile(client: Client): Promise<void> {
  // WAL lets readers work while one process writes; the mode is stored in the file. Switching needs
  // the file to itself for a moment: another process opening it can make this fail with
  // SQLITE_BUSY, without waiting, or answer with the old mode.
  await retryRaces('journal mode', async () => {
    const mode = String((await client.execute('PRAGMA journal_mode=WAL')).rows[0]?.[0] ?? '').toLowerCase()
    if (mode !== 'wal') throw new Error(`SQLITE_BUSY: journal_mode stayed ${mode}`)
  })
  // libSQL builds with foreign keys on for every new connection (the pool opens more as needed);
  // saying so here keeps the intent visible and covers builds where the default differs.
  await client.execute('PRAGMA foreign_keys=ON')
}

/**
 * Runs drizzle's migrator, which applies all pending migrations in one transaction. Two processes
 * opening the same new file can both see it empty; the loser's transaction then fails on a table that
 * now exists (or on the lock), and running again finds the migrations recorded and does nothing.
 * Returns how many migrations the database has recorded.
 */
async function migrateWithRetry(db: Db, client: Client): Promise<number> {
  try {
    return await retryRaces('migration', async () => {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: MIGRATIONS_TABLE })
      return countMigrations(client)
    })
  } catch (err) {
    // Still there after the retries: the tables were made by something else (e.g. freqtrade itself).
    if (/already exists/i.test(errorText(err))) {
      throw new Error(`the database has tables that its migration history does not account for: ${errorText(err)}`, {
        cause: err,
      })
    }
    throw err
  }
}

/** Runs `step` again, after a short wait, while it fails because another process got there first. */
async function retryRaces<T>(what: string, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step()
    } catch (err) {
      if (attempt >= RACE_ATTEMPTS || !isRaceError(err)) throw err
      log.debug({ attempt, err: errorText(err) }, `${what} raced another process, retrying`)
      await pause(attempt)
    }
  }
}

async function countMigrations(client: Client): Promise<number> {
  const rows = await client.execute(`SELECT count(*) FROM ${MIGRATIONS_TABLE}`)
  return Number(rows.rows[0]?.[0] ?? 0)
}

function isRaceError(err: unknown): boolean {
  const text = errorText(err)
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked|already exists/i.test(text)
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : ''
  return `${typeof code === 'string' ? `${code}: ` : ''}${err.message}${cause}`
}

function pause(attempt: number): Promise<void> {
  // Lock waits are real time whatever the bot's clock says; a little jitter keeps racers apart.
  const ms = 25 * attempt + Math.floor(Math.random() * 25)
  return new Promise((resolve) => setTimeout(resolve, ms))
}
