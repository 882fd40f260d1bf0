import { Elysia } from 'elysia'
import { wallClock } from '../../util/clock.ts'
import { ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS, type TokenClaims } from '../auth.ts'
import { authorizeLogin, authorizeRefresh, type VerifyToken } from '../guard.ts'
import { AccessAndRefreshToken, AccessToken } from '../schemas/auth.ts'
import { DetailError, NoBody } from '../schemas/common.ts'
import type { ApiServerSettings } from '../settings.ts'

/** Signs a token of the given type and lifetime. */
export type SignToken = (claims: { identity: { u: string }; type: TokenClaims['type']; exp: number }) => Promise<string>

/** JWT login and refresh (§3.3, §3.4). */
export const authRoutes = (api: ApiServerSettings, sign: SignToken, verify: VerifyToken) => {
  const issue = (username: string, type: TokenClaims['type'], seconds: number) =>
    sign({ identity: { u: username }, type, exp: Math.floor(wallClock.now() / 1000) + seconds })
  return new Elysia({ tags: ['auth'] })
    .post(
      '/token/login',
      async ({ request }) => {
        const username = authorizeLogin(request, api)
        return {
          access_token: await issue(username, 'access', ACCESS_TOKEN_SECONDS),
          refresh_token: await issue(username, 'refresh', REFRESH_TOKEN_SECONDS),
        }
      },
      {
        body: NoBody,
        response: { 200: AccessAndRefreshToken, 401: DetailError },
        detail: { summary: 'Exchange Basic credentials for an access and a refresh token', security: [{ basic: [] }] },
      },
    )
    .post(
      '/token/refresh',
      async ({ request }) => {
        const username = await authorizeRefresh(request, verify)
        return { access_token: await issue(username, 'access', ACCESS_TOKEN_SECONDS) }
      },
      {
        body: NoBody,
        response: { 200: AccessToken, 401: DetailError },
        detail: { summary: 'A new access token for a refresh token', security: [{ bearer: [] }] },
      },
    )
}
