import { Elysia, t } from 'elysia'
import type { OpenAPIV3 } from 'openapi-types'
import { MessageSession } from '../../rpc/messageSession.ts'
import type { Rpc } from '../../rpc/rpc.ts'
import { isTokenOfType, safeEqual } from '../auth.ts'
import type { VerifyToken } from '../guard.ts'
import type { ApiServerSettings } from '../settings.ts'

/** A websocket token is the configured `ws_token` (or one of them) or a valid access JWT (§3.6). */
async function tokenAccepted(token: string | undefined, api: ApiServerSettings, verify: VerifyToken): Promise<boolean> {
  if (!token) return false
  const configured = api.ws_token === undefined ? [] : Array.isArray(api.ws_token) ? api.ws_token : [api.ws_token]
  let match = false
  for (const candidate of configured) if (candidate !== '' && safeEqual(token, candidate)) match = true
  return match || isTokenOfType(await verify(token), 'access')
}

/** The message websocket FreqUI listens on for live updates (§13). */
export const wsRoutes = (rpc: Rpc, api: ApiServerSettings, verify: VerifyToken) => {
  const sessions = new WeakMap<object, MessageSession>()
  return new Elysia({ tags: ['websocket'] }).ws('/message/ws', {
    query: t.Object({ token: t.Optional(t.String()) }),
    async beforeHandle({ query, set }) {
      if (!(await tokenAccepted(query.token, api, verify))) {
        set.status = 403
        return { detail: 'Could not validate credentials' }
      }
    },
    open(ws) {
      sessions.set(ws.raw, new MessageSession({ send: (m) => ws.send(JSON.stringify(m)) }, () => rpc.bot))
    },
    message(ws, message) {
      sessions.get(ws.raw)?.receive(message)
    },
    close(ws) {
      sessions.get(ws.raw)?.close()
      sessions.delete(ws.raw)
    },
    // a websocket has no OpenAPI method of its own: the document describes it as a GET upgrade (see app.ts)
    detail: { hide: true },
  })
}

/** The websocket as an OpenAPI path: a GET that upgrades. */
export const wsOpenapiPath: OpenAPIV3.PathsObject = {
  '/api/v1/message/ws': {
    get: {
      tags: ['websocket'],
      summary: 'Live bot events (WebSocket upgrade)',
      description:
        'Connect with ?token=<api_server.ws_token or an access JWT>. Send {"type": "subscribe", "data": [types]} and {"type": "whitelist"}; receive one JSON object per message (whitelist, new_candle, entry_fill, exit_fill, status, ...).',
      security: [],
      parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '101': { description: 'Switching Protocols: JSON text frames follow' },
        '403': { description: 'The token was refused' },
      },
    },
  },
}
