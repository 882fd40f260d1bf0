import { join } from 'node:path'
import { buildApp } from '../../src/api/app.ts'
import { listen } from '../../src/api/server.ts'
import { configFromObject } from '../../src/config/load.ts'
import type { Config } from '../../src/config/schema.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { resolveDbUrl } from '../../src/db/url.ts'
import { Bot } from '../../src/engine/bot.ts'
import { Rpc } from '../../src/rpc/rpc.ts'
import { type Clock, RealClock } from '../../src/util/clock.ts'
import { logRing } from '../../src/util/logger.ts'
import { tempDir } from './tmp.ts'

export const USER = 'tern-user'
export const PASSWORD = 'correct horse battery staple'
export const BASIC = `Basic ${btoa(`${USER}:${PASSWORD}`)}`

export interface TestServer {
  base: string
  url: (path: string) => string
  config: Config
  bot?: Bot
  rpc: Rpc
  database?: Database
  dir: string
  stop: () => Promise<void>
}

export interface TestServerOptions {
  mode?: 'trade' | 'webserver'
  config?: Record<string, unknown>
  clock?: Clock
}

/**
 * A real API server on a random loopback port. In trade mode it also has a real libSQL file in a temp dir and a
 * Bot (not looping; tests drive `bot.iterate()` themselves).
 */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = tempDir()
  const raw = opts.config ?? {}
  const config = configFromObject({
    ...raw,
    user_data_dir: join(dir.path, 'user_data'),
    api_server: {
      enabled: true,
      listen_ip_address: '127.0.0.1',
      listen_port: 0,
      username: USER,
      password: PASSWORD,
      jwt_secret_key: 'test-secret-key-0123456789',
      ...((raw.api_server as Record<string, unknown>) ?? {}),
    },
  })
  let database: Database | undefined
  let bot: Bot | undefined
  if (opts.mode !== 'webserver') {
    database = await openDatabase(
      resolveDbUrl(undefined, { dryRun: config.dry_run, userDataDir: config.user_data_dir }),
    )
    bot = await Bot.create({ config, db: database.db, clock: opts.clock ?? new RealClock() })
  }
  const runmode = opts.mode === 'webserver' ? 'webserver' : config.dry_run ? 'dry_run' : 'live'
  const rpc = new Rpc({ config, runmode, logRing, bot })
  const app = buildApp({ rpc, api: config.api_server })
  const port = listen(app, config.api_server)
  const base = `http://127.0.0.1:${port}`
  return {
    base,
    url: (path) => `${base}/api/v1${path}`,
    config,
    bot,
    rpc,
    database,
    dir: dir.path,
    stop: async () => {
      await app.stop(true)
      database?.close()
      dir.cleanup()
    },
  }
}
