import { and, asc, eq, gt, or } from 'drizzle-orm'
import type { Db } from '../db/database.ts'
import { type PairLockRow, pairlocks } from '../db/schema.ts'

export type LockSide = 'long' | 'short' | '*'

/**
 * Pair locks in the database: a lock holds from `lock_time` to `lock_end_time` while active; pair `*` locks every
 * pair. Writes go straight to the database so a restart keeps them.
 */
export class PairLocks {
  constructor(private readonly db: Db) {}

  /** Active locks that have not ended at `nowMs`, oldest first. */
  active(nowMs: number, pair?: string): Promise<PairLockRow[]> {
    const current = and(eq(pairlocks.active, true), gt(pairlocks.lockEndTime, nowMs))
    return this.db
      .select()
      .from(pairlocks)
      .where(pair === undefined ? current : and(current, eq(pairlocks.pair, pair)))
      .orderBy(asc(pairlocks.id))
  }

  async lock(
    pair: string,
    untilMs: number,
    nowMs: number,
    reason: string | null,
    side: LockSide = '*',
  ): Promise<number> {
    const [row] = await this.db
      .insert(pairlocks)
      .values({ pair, side, reason, lockTime: nowMs, lockEndTime: untilMs, active: true })
      .returning({ id: pairlocks.id })
    return row!.id
  }

  /** Releases one lock (unknown ids are ignored): inactive, ending now. */
  async unlockById(id: number, nowMs: number): Promise<void> {
    await this.db.update(pairlocks).set({ active: false, lockEndTime: nowMs }).where(eq(pairlocks.id, id))
  }

  /** Releases every current lock of a pair, all sides. */
  async unlockPair(pair: string, nowMs: number): Promise<void> {
    await this.db
      .update(pairlocks)
      .set({ active: false, lockEndTime: nowMs })
      .where(and(eq(pairlocks.pair, pair), eq(pairlocks.active, true), gt(pairlocks.lockEndTime, nowMs)))
  }

  /** Whether entries on `pair` and `side` are blocked at `nowMs` by a lock of that pair or a global one. */
  async isLocked(pair: string, side: Exclude<LockSide, '*'>, nowMs: number): Promise<boolean> {
    const rows = await this.db
      .select({ id: pairlocks.id })
      .from(pairlocks)
      .where(
        and(
          eq(pairlocks.active, true),
          gt(pairlocks.lockEndTime, nowMs),
          or(eq(pairlocks.pair, pair), eq(pairlocks.pair, '*')),
          or(eq(pairlocks.side, side), eq(pairlocks.side, '*')),
        ),
      )
      .limit(1)
    return rows.length > 0
  }
}
