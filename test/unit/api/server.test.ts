import { describe, expect, test } from 'bun:test'
import { buildApp } from '../../../src/api/app.ts'
import { isLoopback, listen, UnsafeApiSetupError, unsafeSetup } from '../../../src/api/server.ts'
import { configFromObject } from '../../../src/config/load.ts'
import { Rpc } from '../../../src/rpc/rpc.ts'
import { logRing } from '../../../src/util/logger.ts'

const api = (over: Record<string, unknown>) => configFromObject({ api_server: { listen_port: 0, ...over } }).api_server

describe('refusing unsafe set-ups', () => {
  test('loopback addresses are recognised', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(isLoopback(a)).toBe(true)
    for (const a of ['0.0.0.0', '192.168.1.5', '::', 'example.com']) expect(isLoopback(a)).toBe(false)
  })

  test('a non-loopback address with an empty or example password is refused, naming the keys', () => {
    expect(unsafeSetup(api({ listen_ip_address: '0.0.0.0', password: '' }))).toContain('api_server.password is empty')
    for (const password of ['tern', 'SuperSecurePassword', 'change-this-password']) {
      expect(unsafeSetup(api({ listen_ip_address: '0.0.0.0', password }))).toContain('example password')
    }
    expect(unsafeSetup(api({ listen_ip_address: '0.0.0.0', password: 'a-real-secret-9f2' }))).toBeUndefined()
    expect(unsafeSetup(api({ listen_ip_address: '127.0.0.1', password: '' }))).toBeUndefined()
  })

  test('listen() throws instead of binding', () => {
    const settings = api({ listen_ip_address: '0.0.0.0', password: 'tern' })
    const config = configFromObject({})
    const app = buildApp({ rpc: new Rpc({ config, runmode: 'webserver', logRing }), api: settings })
    expect(() => listen(app, settings)).toThrow(UnsafeApiSetupError)
    expect(app.server).toBeNull()
  })
})
