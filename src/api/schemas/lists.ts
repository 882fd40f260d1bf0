import { Type } from '@sinclair/typebox'
import { type Static, t } from 'elysia'

/** `/whitelist` (§10.1). */
export const Whitelist = t.Object({
  whitelist: t.Array(t.String()),
  length: Type.Integer(),
  method: t.Array(t.String(), { description: 'the configured pairlist handlers, in order' }),
})
export type Whitelist = Static<typeof Whitelist>

/** `/blacklist` (§10.2–10.4); `errors` names the rejected entries of a change. */
export const Blacklist = t.Object({
  blacklist: t.Array(t.String(), { description: 'entries as configured or added; may be wildcards/regex' }),
  blacklist_expanded: t.Array(t.String(), { description: 'markets matched by the entries' }),
  length: Type.Integer(),
  method: t.Array(t.String()),
  errors: t.Record(t.String(), t.Object({ error_msg: t.String() })),
})
export type Blacklist = Static<typeof Blacklist>

export const BlacklistRequest = t.Object({ blacklist: t.Array(t.String()) })
export type BlacklistRequest = Static<typeof BlacklistRequest>
