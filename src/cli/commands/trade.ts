import { buildApp } from '../../api/app.ts'
import { listen } from '../../api/server.ts'
import type { Config } from '../../config/schema.ts'
import { type Db, openDatabase } from '../../db/database.ts'
import { resolveDbUrl } from '../../db/url.ts'
import { Bot } from '../../engine/bot.ts'
import { buildTradingBot } from '../../engine/build.ts'
import { dryRunBalances } from '../../engine/dryRunWallet.ts'
import { EventBus } from '../../engine/events.ts'
import { startNotifications } from '../../engine/notifications.ts'
import { RefreshCandlesStep } from '../../engine/steps/refreshCandles.ts'
import { TradeStore } from '../../engine/tradeStore.ts'
import { type Connection, connectExchange } from '../../exchange/connect.ts'
import { DryRunBroker } from '../../exchange/dryRunBroker.ts'
import { Rpc } from '../../rpc/rpc.ts'
import { telegramCommands } from '../../rpc/telegram.ts'
import { clock } from '../../util/clock.ts'
import { getLogger, logRing } from '../../util/logger.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs, setupLogging } from '../args.ts'
import { COMMANDS } from '../usage.ts'

const log = getLogger('tern')

/**
 * `tern trade`: the bot loop plus, when enabled, the API server. `/reload_config` ends the loop; the config files are
 * read again and a new bot is built over the same database and exchange connection. Stops cleanly on SIGINT/SIGTERM.
 */
export async function tradeCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, COMMON_ARG_OPTIONS)
  if (values.help) {
    console.log(COMMANDS.trade!.usage)
    return 0
  }
  setupLogging(values)
  let { config, files } = configFromArgs(values)
  const runmode = config.dry_run ? 'dry_run' : 'live'
  log.info(`starting in ${runmode} mode with ${files.join(', ')}`)

  const connection = await connectExchange(config)
  const database = await openDatabase(
    resolveDbUrl(config.db_url, { dryRun: config.dry_run, userDataDir: config.user_data_dir }),
  )
  // the simulated wallet lives in memory: rebuild it from the trades so a restarted dry run can exit what it holds
  if (connection.broker instanceof DryRunBroker) {
    connection.broker.restore(await dryRunBalances(config, new TradeStore(database.db)))
  }
  const rpc = new Rpc({ config, runmode, logRing })
  const app = config.api_server.enabled ? buildApp({ rpc, api: config.api_server }) : undefined
  if (app) listen(app, config.api_server)

  const events = new EventBus()
  const notifications = await startNotifications(config, events, telegramCommands(rpc))
  let bot: Bot | undefined
  let stopping = false
  const shutdown = (signal: string) => {
    log.info(`${signal} received, stopping`)
    stopping = true
    bot?.shutdown()
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))

  try {
    while (!stopping) {
      bot = await buildBot(config, connection, database.db, events)
      rpc.attach(bot, config)
      await bot.run()
      if (!bot.reloadRequested || stopping) break
      rpc.attach(undefined)
      config = reloadConfig(values, config)
    }
  } finally {
    await notifications.stop()
    await app?.stop()
    await connection.close()
    database.close()
  }
  return 0
}

/** The trading bot for the configured strategy; without a strategy, a bot that only keeps candles current. */
async function buildBot(config: Config, connection: Connection, db: Db, events: EventBus): Promise<Bot> {
  if (config.strategy) {
    const { bot } = await buildTradingBot({
      config,
      db,
      exchange: connection.exchange,
      broker: connection.broker,
      clock,
      events,
    })
    return bot
  }
  log.warn('no strategy configured: the bot keeps candles current but does not trade')
  const refresh = new RefreshCandlesStep(connection.exchange, config.timeframe ?? '5m')
  const bot = await Bot.create({ config, db, clock, events, steps: [refresh] })
  bot.wallet = { balances: () => connection.broker.fetchBalance() }
  bot.marketPairs = () => connection.exchange.symbols()
  return bot
}

/** The re-read configuration; a broken file keeps the running one (and says why) rather than stopping the bot. */
function reloadConfig(values: Parameters<typeof configFromArgs>[0], current: Config): Config {
  try {
    const next = configFromArgs(values).config
    for (const key of ['exchange.name', 'api_server', 'db_url', 'dry_run'] as const) {
      const [a, b] = key === 'exchange.name' ? [current.exchange.name, next.exchange.name] : [current[key], next[key]]
      if (JSON.stringify(a) !== JSON.stringify(b)) log.warn(`${key} changed: it takes effect after a restart`)
    }
    log.info('configuration reloaded')
    // these are bound to the open connection, database and port until a restart
    return {
      ...next,
      exchange: { ...next.exchange, name: current.exchange.name },
      api_server: current.api_server,
      db_url: current.db_url,
      dry_run: current.dry_run,
    }
  } catch (err) {
    log.error(`configuration reload failed, keeping the running configuration: ${(err as Error).message}`)
    return current
  }
}
