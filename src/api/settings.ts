import type { Config } from '../config/schema.ts'

/** The `api_server` block after defaults. */
export type ApiServerSettings = Config['api_server']

/** Paths under the API that need no credentials (the token routes check their own). */
export const PUBLIC_PATHS = new Set([
  '/api/v1/ping',
  '/api/v1/token/login',
  '/api/v1/token/refresh',
  '/api/v1/message/ws',
])

export const API_PREFIX = '/api/v1'
