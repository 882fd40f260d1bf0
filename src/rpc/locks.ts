import { ValidationFailure } from '../api/errors.ts'
import type { DeleteLockRequest, Lock, LockRequest, Locks } from '../api/schemas/locks.ts'
import type { PairLockRow } from '../db/schema.ts'
import type { PairLocks } from '../engine/pairLocks.ts'
import { displayDate, nextCandleAfter, parseZonedDate, timeframeToMs } from '../util/dates.ts'

/** A lock row in the contract's shape (§6.3). */
export function lockView(row: PairLockRow): Lock {
  return {
    id: row.id,
    pair: row.pair,
    side: row.side,
    reason: row.reason,
    lock_time: displayDate(row.lockTime),
    lock_timestamp: row.lockTime,
    lock_end_time: displayDate(row.lockEndTime),
    lock_end_timestamp: row.lockEndTime,
    active: row.active,
  }
}

/** `/locks`: every active lock of any side that has not ended. */
export async function listLocks(locks: PairLocks, nowMs: number): Promise<Locks> {
  const rows = await locks.active(nowMs)
  return { lock_count: rows.length, locks: rows.map(lockView) }
}

/**
 * `POST /locks`: each lock starts now and ends at the next candle boundary of the bot's timeframe strictly after
 * `until`. A date without a time zone is refused (422) before anything is written.
 */
export async function addLocks(
  locks: PairLocks,
  requests: LockRequest[],
  timeframe: string,
  nowMs: number,
): Promise<Locks> {
  const untils = requests.map((r) => parseZonedDate(r.until))
  const bad = untils.flatMap((u, i) =>
    u === undefined
      ? [
          {
            type: 'timezone_aware',
            loc: ['body', i, 'until'],
            msg: 'Input should have timezone info',
            input: requests[i]!.until,
          },
        ]
      : [],
  )
  if (bad.length) throw new ValidationFailure(bad)
  const tf = timeframeToMs(timeframe)
  for (const [i, r] of requests.entries()) {
    await locks.lock(r.pair, nextCandleAfter(untils[i]!, tf), nowMs, r.reason ?? null, r.side ?? '*')
  }
  return listLocks(locks, nowMs)
}

/** `POST /locks/delete`: by id (wins), else every current lock of the pair; neither: nothing. */
export async function deleteLocks(locks: PairLocks, req: DeleteLockRequest, nowMs: number): Promise<Locks> {
  if (req.lockid !== undefined && req.lockid !== null) await locks.unlockById(req.lockid, nowMs)
  else if (req.pair) await locks.unlockPair(req.pair, nowMs)
  return listLocks(locks, nowMs)
}
