import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { privateErrors } from '../schemas/common.ts'
import { Blacklist, BlacklistRequest, Whitelist } from '../schemas/lists.ts'

/** The whitelist and the editable blacklist (§10.1–10.4). */
export const listRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['lists'] })
    .get('/whitelist', () => rpc.whitelist(), {
      response: { 200: Whitelist, ...privateErrors },
      detail: { summary: 'The pairs the bot trades now' },
    })
    .get('/blacklist', () => rpc.blacklist(), {
      response: { 200: Blacklist, ...privateErrors },
      detail: { summary: 'Blacklist entries and the markets they match' },
    })
    .post('/blacklist', ({ body }) => rpc.addBlacklist(body.blacklist), {
      body: BlacklistRequest,
      response: { 200: Blacklist, ...privateErrors },
      detail: { summary: 'Add pairs or patterns to the blacklist (until the next config reload)' },
    })
    .delete('/blacklist', ({ query }) => rpc.deleteBlacklist(query.pairs_to_delete ?? []), {
      query: t.Object({ pairs_to_delete: t.Optional(t.Array(t.String())) }),
      response: { 200: Blacklist, ...privateErrors },
      detail: { summary: 'Remove entries from the blacklist (repeat pairs_to_delete)' },
    })
