import { listPluginsText, loadPlugins } from '../../plugins/index.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** `tern list-plugins`: every pairlist, protection and notifier plugin with its config keys. */
export async function listPluginsCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    ...COMMON_ARG_OPTIONS,
    'plugin-path': { type: 'string', multiple: true },
    json: { type: 'boolean' },
  })
  if (values.help) {
    console.log(COMMANDS['list-plugins']!.usage)
    return 0
  }
  const { config } = configFromArgs(values, { optional: true })
  const registry = await loadPlugins({ pluginPaths: [...config.plugin_paths, ...(values['plugin-path'] ?? [])] })
  for (const problem of registry.problems) console.error(`${problem.file}: ${problem.message}`)
  console.log(listPluginsText(registry, values.json ?? false))
  return 0
}
