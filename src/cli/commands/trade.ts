import { buildApp } from '../../api/app.ts'
import { listen } from '../../api/server.ts'
import { openDatabase } from '../../db/database.ts'
import { resolveDbUrl } from '../../db/url.ts'
import { Bot } from '../../engine/bot.ts'
import { RefreshCandlesStep } from '../../engine/steps/refreshCandles.ts'
import { connectExchange } from '../../exchange/connect.ts'
import { Rpc } from '../../rpc/rpc.ts'
import { clock } from '../../util/clock.ts'
import { getLogger, logRing } from '../../util/logger.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs, setupLogging } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** `tern trade`: the bot loop plus, when enabled, the API server. Stops cleanly on SIGINT/SIGTERM. */
export async function tradeCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, COMMON_ARG_OPTIONS)
  if (values.help) {
    console.log(COMMANDS.trade!.usage)
    return 0
  }
  setupLogging(values)
  const log = getLogger('tern')
  const { config, files } = configFromArgs(values)
  const runmode = config.dry_run ? 'dry_run' : 'live'
  log.info(`starting in ${runmode} mode with ${files.join(', ')}`)

  const connection = await connectExchange(config)
  const database = await openDatabase(
    resolveDbUrl(config.db_url, { dryRun: config.dry_run, userDataDir: config.user_data_dir }),
  )
  const refresh = new RefreshCandlesStep(
    connection.exchange,
    () => config.exchange.pair_whitelist,
    config.timeframe ?? '5m',
  )
  const bot = await Bot.create({ config, db: database.db, clock, steps: [refresh] })
  const rpc = new Rpc({ config, runmode, logRing, bot })
  const app = config.api_server.enabled ? buildApp({ rpc, api: config.api_server }) : undefined
  if (app) listen(app, config.api_server)

  const shutdown = (signal: string) => {
    log.info(`${signal} received, stopping`)
    bot.shutdown()
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  await bot.run()
  await app?.stop()
  await connection.close()
  database.close()
  return 0
}
