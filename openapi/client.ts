/**
 * Tern's TypeScript SDK: typed calls for every route of the REST API. The types in `schema.d.ts` are generated
 * from `openapi.json` by `bun run sdk` (openapi-typescript); requests go through openapi-fetch.
 */
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema.d.ts'

export type { components, operations, paths } from './schema.d.ts'

export type Credentials = { username: string; password: string } | { accessToken: string }

export type TernClient = ReturnType<typeof createClient<paths>>

/** A client for the bot at `baseUrl` (e.g. `http://127.0.0.1:8080`), authenticated with Basic or a Bearer token. */
export function createTernClient(baseUrl: string, credentials?: Credentials): TernClient {
  const client = createClient<paths>({ baseUrl })
  if (credentials) {
    const header =
      'accessToken' in credentials
        ? `Bearer ${credentials.accessToken}`
        : `Basic ${btoa(`${credentials.username}:${credentials.password}`)}`
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set('authorization', header)
        return request
      },
    }
    client.use(auth)
  }
  return client
}

/** Logs in with Basic credentials and returns a client that uses the access token. */
export async function loginTernClient(
  baseUrl: string,
  username: string,
  password: string,
): Promise<{ client: TernClient; accessToken: string; refreshToken: string }> {
  const { data, error, response } = await createTernClient(baseUrl, { username, password }).POST(
    '/api/v1/token/login',
    { body: {} },
  )
  if (!data) throw new Error(`login failed: HTTP ${response.status} ${JSON.stringify(error)}`)
  return {
    client: createTernClient(baseUrl, { accessToken: data.access_token }),
    accessToken: data.access_token,
    refreshToken: data.refresh_token,
  }
}
