import { listStrategiesCommandText, strategySearchOf } from '../../strategy/index.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** `tern list-strategies`: every strategy class found, with its timeframe and whether it loads. */
export async function listStrategiesCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, { ...COMMON_ARG_OPTIONS, 'strategy-path': { type: 'string' } })
  if (values.help) {
    console.log(COMMANDS['list-strategies']!.usage)
    return 0
  }
  const { config } = configFromArgs(values, { optional: true })
  console.log(
    await listStrategiesCommandText({
      ...strategySearchOf(config),
      strategyPath: values['strategy-path'] ?? config.strategy_path,
    }),
  )
  return 0
}
