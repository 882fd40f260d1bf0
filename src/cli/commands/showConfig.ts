import { redactSecrets } from '../../config/secrets.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** `tern show-config`: the effective configuration, secrets hidden. */
export function showConfigCommand(argv: string[]): number {
  const values = parseCommandArgs(argv, COMMON_ARG_OPTIONS)
  if (values.help) {
    console.log(COMMANDS['show-config']!.usage)
    return 0
  }
  const { config } = configFromArgs(values)
  console.log(JSON.stringify(redactSecrets(config), null, 2))
  return 0
}
