import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'

export const Lock = t.Object({
  id: Type.Integer(),
  pair: t.String({ description: "a pair, or '*' for every pair" }),
  side: t.String({ description: "'long' | 'short' | '*'" }),
  reason: t.Union([t.String(), t.Null()]),
  lock_time: t.String({ description: 'display date, UTC' }),
  lock_timestamp: Type.Integer({ description: 'ms' }),
  lock_end_time: t.String(),
  lock_end_timestamp: Type.Integer(),
  active: t.Boolean(),
})
export type Lock = Static<typeof Lock>

export const Locks = t.Object({ lock_count: Type.Integer(), locks: t.Array(Lock) })
export type Locks = Static<typeof Locks>

export const LockRequest = t.Object({
  pair: t.String({ minLength: 1 }),
  until: t.String({ description: 'date with a time zone, e.g. 2024-10-25T12:00:00Z' }),
  side: t.Optional(t.Union([t.Literal('long'), t.Literal('short'), t.Literal('*')], { default: '*' })),
  reason: t.Optional(t.Union([t.String(), t.Null()])),
})
export type LockRequest = Static<typeof LockRequest>

export const DeleteLockRequest = t.Object({
  pair: t.Optional(t.Union([t.String(), t.Null()])),
  lockid: t.Optional(t.Union([t.Integer(), t.Null()])),
})
export type DeleteLockRequest = Static<typeof DeleteLockRequest>
