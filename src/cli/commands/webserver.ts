import { buildApp } from '../../api/app.ts'
import { listen } from '../../api/server.ts'
import { Rpc } from '../../rpc/rpc.ts'
import { getLogger, logRing } from '../../util/logger.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs, setupLogging } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** `tern webserver`: the API without a trading engine. */
export async function webserverCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, COMMON_ARG_OPTIONS)
  if (values.help) {
    console.log(COMMANDS.webserver!.usage)
    return 0
  }
  setupLogging(values)
  const { config } = configFromArgs(values)
  const app = buildApp({ rpc: new Rpc({ config, runmode: 'webserver', logRing }), api: config.api_server })
  listen(app, config.api_server)
  const log = getLogger('tern')
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal} received, stopping`)
      resolve()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  await app.stop()
  return 0
}
