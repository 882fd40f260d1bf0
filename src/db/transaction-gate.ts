/**
 * Keeps one process from locking itself out of its own embedded database.
 *
 * The embedded libSQL client is synchronous and pools connections: a transaction holds one
 * connection (and the file's write lock) across `await`s, while any other statement runs on another
 * connection. If that statement writes, SQLite's busy wait blocks the whole thread, so the open
 * transaction can never finish: the process freezes for the busy timeout and the statement fails with
 * SQLITE_BUSY. (An in-memory database has a single connection; there the statement fails at once.)
 *
 * The gate queues work instead: transactions of this process run one at a time, and a statement
 * outside a transaction waits until the transactions already begun or queued have ended. Other
 * processes are still handled by SQLite's own locking and busy timeout.
 */
import type { Client, Transaction, TransactionMode } from '@libsql/client'

/** Client methods that run a whole unit of work on a connection without yielding in between. */
const PLAIN = new Set<PropertyKey>(['execute', 'batch', 'migrate', 'executeMultiple'])

export function gateTransactions(client: Client, waitLimitMs: number): Client {
  // Settles once every transaction started or queued so far has ended.
  let tail: Promise<void> = Promise.resolve()
  // Transactions begun or queued and not yet ended; with none, statements go straight through.
  let pending = 0

  async function waitFor(previous: Promise<void>, what: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `${what} waited ${waitLimitMs} ms for a transaction of this process to end ` +
                '(is code inside a transaction using the database instead of the transaction?)',
            ),
          ),
        waitLimitMs,
      )
    })
    try {
      await Promise.race([previous, limit])
    } finally {
      clearTimeout(timer)
    }
  }

  async function transaction(mode?: TransactionMode): Promise<Transaction> {
    const previous = tail
    let settle!: () => void
    const ended = new Promise<void>((resolve) => {
      settle = resolve
    })
    let released = false
    const release = () => {
      if (released) return
      released = true
      pending--
      settle()
    }
    pending++
    tail = previous.then(() => ended)
    try {
      await waitFor(previous, 'a transaction')
      return releasing(await client.transaction(mode), release)
    } catch (err) {
      release()
      throw err
    }
  }

  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'transaction') return transaction
      const value = Reflect.get(target, prop)
      if (typeof value !== 'function') return value
      if (!PLAIN.has(prop)) return value.bind(target)
      const run = value as (...a: unknown[]) => Promise<unknown>
      return async (...args: unknown[]) => {
        if (pending > 0) await waitFor(tail, `a statement (${String(prop)})`)
        return run.apply(target, args)
      }
    },
  })
}

/** `tx`, calling `release` once it commits, rolls back or closes. */
function releasing(tx: Transaction, release: () => void): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      const value = Reflect.get(target, prop)
      if (typeof value !== 'function') return value
      if (prop === 'commit' || prop === 'rollback') {
        return async () => {
          try {
            return await (value as () => Promise<void>).call(target)
          } finally {
            release()
          }
        }
      }
      if (prop === 'close') {
        return () => {
          try {
            ;(value as () => void).call(target)
          } finally {
            release()
          }
        }
      }
      return value.bind(target)
    },
  })
}
