import { isIP } from 'node:net'
import { getLogger } from '../util/logger.ts'
import type { App } from './app.ts'
import type { ApiServerSettings } from './settings.ts'

const log = getLogger('tern.api')

/** Passwords shipped in examples; never acceptable on a reachable address. */
export const EXAMPLE_PASSWORDS = new Set(['tern', 'change-this-password', 'SuperSecurePassword'])

export function isLoopback(address: string): boolean {
  if (address === 'localhost' || address === '::1') return true
  return isIP(address) === 4 && address.startsWith('127.')
}

/** Why the API must not listen with these settings, or undefined when it may. */
export function unsafeSetup(api: ApiServerSettings): string | undefined {
  if (isLoopback(api.listen_ip_address)) return undefined
  if (api.password === '') {
    return `api_server.password is empty and api_server.listen_ip_address is ${api.listen_ip_address}, which is reachable from other machines: set a password`
  }
  if (EXAMPLE_PASSWORDS.has(api.password)) {
    return `api_server.password is the example password and api_server.listen_ip_address is ${api.listen_ip_address}, which is reachable from other machines: choose your own password`
  }
  return undefined
}

export class UnsafeApiSetupError extends Error {
  override name = 'UnsafeApiSetupError'
}

/** Starts listening; refuses unsafe set-ups. Returns the bound port. */
export function listen(app: App, api: ApiServerSettings): number {
  const unsafe = unsafeSetup(api)
  if (unsafe) throw new UnsafeApiSetupError(`refusing to start the API: ${unsafe}`)
  if (api.password === '') log.warn('api_server.password is empty: every private route will answer 401')
  if (api.jwt_secret_key === 'super-secret')
    log.warn('api_server.jwt_secret_key is the well-known default: set your own')
  if (!isLoopback(api.listen_ip_address))
    log.warn(`the API listens on ${api.listen_ip_address}, reachable from other machines`)
  app.listen({ hostname: api.listen_ip_address, port: api.listen_port })
  const port = app.server?.port ?? api.listen_port
  log.info(`API listening on http://${api.listen_ip_address}:${port}/api/v1 (Swagger UI at /docs)`)
  return port
}
