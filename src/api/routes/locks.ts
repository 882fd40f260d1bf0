import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { privateErrors } from '../schemas/common.ts'
import { DeleteLockRequest, LockRequest, Locks } from '../schemas/locks.ts'

/** Pair locks (§10.5–10.8). */
export const lockRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['locks'] })
    .get('/locks', () => rpc.locks(), {
      response: { 200: Locks, ...privateErrors },
      detail: { summary: 'Active pair locks of every side' },
    })
    .post('/locks', ({ body }) => rpc.addLocks(body), {
      body: t.Array(LockRequest),
      response: { 200: Locks, ...privateErrors },
      detail: { summary: 'Lock pairs until a time (rounded up to the next candle)' },
    })
    .delete('/locks/:lockid', ({ params }) => rpc.deleteLock(params.lockid), {
      params: t.Object({ lockid: t.Integer() }),
      response: { 200: Locks, ...privateErrors },
      detail: { summary: 'Release one lock (unknown ids are ignored)' },
    })
    .post('/locks/delete', ({ body }) => rpc.deleteLocks(body), {
      body: DeleteLockRequest,
      response: { 200: Locks, ...privateErrors },
      detail: { summary: 'Release a lock by id, or every lock of a pair' },
    })
