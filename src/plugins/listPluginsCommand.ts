import { parseArgs } from 'node:util'
import { loadConfig } from '../config/load.ts'
import { listPluginsText } from './describe.ts'
import { loadPlugins } from './loader.ts'

const USAGE = `Usage: tern list-plugins [--config PATH] [--plugin-path DIR] [--json]

Lists the pairlist, protection and notifier plugins (built-in and from plugin_paths) with their config keys.

  -c, --config PATH       config file whose plugin_paths are searched
      --plugin-path DIR   another file or folder of plugins (repeatable)
      --json              print the plugins with their full JSON schemas
  -h, --help              this help`

/** `tern list-plugins`: prints every plugin with its config schema. */
export async function listPluginsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c', multiple: true },
      'plugin-path': { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const fromConfig = values.config ? loadConfig(values.config, process.env).config.plugin_paths : []
  const registry = await loadPlugins({ pluginPaths: [...fromConfig, ...(values['plugin-path'] ?? [])] })
  console.log(listPluginsText(registry, values.json ?? false))
  return 0
}
