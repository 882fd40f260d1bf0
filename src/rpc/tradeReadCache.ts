import { eq } from 'drizzle-orm'
import type { Db } from '../db/database.ts'
import { tradeChanges } from '../db/schema.ts'

interface Entry {
  changes: number
  value: Promise<unknown>
}

/**
 * Results of trade reads kept while the database's count of changes to trades and orders stays the same. The
 * count is bumped by triggers in the same transaction as each write, from any connection or process, so a hit
 * is exactly what a fresh read would return; a miss costs one small query more than reading. Requests that miss
 * together share one read.
 */
export class TradeReadCache {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly db: Db,
    private readonly maxEntries = 64,
  ) {}

  /** How many changes trades and orders have seen (−1 on a database without the counter). */
  async changes(): Promise<number> {
    const [row] = await this.db
      .select({ changes: tradeChanges.changes })
      .from(tradeChanges)
      .where(eq(tradeChanges.id, 1))
    return row?.changes ?? -1
  }

  /** The value `load` gave for `key` while nothing changed since, else a fresh one. Callers must not mutate it. */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const changes = await this.changes()
    const hit = this.entries.get(key)
    if (hit && hit.changes === changes && changes >= 0) return hit.value as Promise<T>
    const value = load()
    this.entries.delete(key)
    this.entries.set(key, { changes, value })
    // a failed read is not kept
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key)
    })
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
    return value
  }
}

const caches = new WeakMap<Db, TradeReadCache>()

/** The cache of reads of one database (one per database object, shared by every reader of it). */
export function tradeReadCache(db: Db): TradeReadCache {
  let cache = caches.get(db)
  if (!cache) {
    cache = new TradeReadCache(db)
    caches.set(db, cache)
  }
  return cache
}
