import { checkBasic, isTokenOfType, parseBasic, splitAuthorization } from './auth.ts'
import { HttpError } from './errors.ts'
import type { ApiServerSettings } from './settings.ts'

/** Verifies a JWT and returns its payload, or false (signature, expiry, shape). */
export type VerifyToken = (token: string) => Promise<unknown>

const BEARER_FAILED = () => new HttpError(401, 'Could not validate credentials', { 'www-authenticate': 'Bearer' })

/**
 * Checks the credentials of a private route (§3.2): Bearer access token first when present, else Basic.
 * Returns the user name, or throws the contract's 401.
 */
export async function authorize(request: Request, api: ApiServerSettings, verify: VerifyToken): Promise<string> {
  const auth = splitAuthorization(request.headers.get('authorization'))
  if (!auth) throw new HttpError(401, 'Unauthorized')
  if (auth.scheme === 'bearer') {
    const payload = await verify(auth.token)
    if (!isTokenOfType(payload, 'access')) throw BEARER_FAILED()
    return payload.identity.u
  }
  if (auth.scheme === 'basic') {
    const creds = parseBasic(auth.token)
    if (creds === 'malformed') {
      throw new HttpError(401, 'Invalid authentication credentials', { 'www-authenticate': 'Basic' })
    }
    if (!checkBasic(creds, api)) throw new HttpError(401, 'Unauthorized')
    return creds.username
  }
  throw new HttpError(401, 'Unauthorized')
}

/** `/token/login`: Basic only, with its own messages (§3.3). */
export function authorizeLogin(request: Request, api: ApiServerSettings): string {
  const auth = splitAuthorization(request.headers.get('authorization'))
  if (auth?.scheme !== 'basic') {
    throw new HttpError(401, 'Not authenticated', { 'www-authenticate': 'Basic' })
  }
  const creds = parseBasic(auth.token)
  if (creds === 'malformed') {
    throw new HttpError(401, 'Invalid authentication credentials', { 'www-authenticate': 'Basic' })
  }
  if (!checkBasic(creds, api)) throw new HttpError(401, 'Incorrect username or password')
  return creds.username
}

/** `/token/refresh`: a valid refresh token (§3.4). */
export async function authorizeRefresh(request: Request, verify: VerifyToken): Promise<string> {
  const auth = splitAuthorization(request.headers.get('authorization'))
  if (auth?.scheme !== 'bearer') throw BEARER_FAILED()
  const payload = await verify(auth.token)
  if (!isTokenOfType(payload, 'refresh')) throw BEARER_FAILED()
  return payload.identity.u
}
