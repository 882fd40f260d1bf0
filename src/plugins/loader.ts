import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { getLogger } from '../util/logger.ts'
import { isPlugin } from './define.ts'
import { PluginRegistry } from './registry.ts'

/** The built-in plugins: `plugins/pairlists`, `plugins/protections`, `plugins/notifiers` at the repository root. */
export const BUILTIN_PLUGIN_DIR = resolve(import.meta.dir, '..', '..', 'plugins')

const log = getLogger('tern.plugins')

function isPluginFile(f: string): boolean {
  return f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts')
}

/** Plugin files under a folder (subfolders included), or the path itself when it is a file. */
function pluginFiles(path: string): string[] {
  if (!existsSync(path)) return []
  if (statSync(path).isFile()) return isPluginFile(path) ? [path] : []
  const out: string[] = []
  for (const entry of readdirSync(path).sort()) {
    const full = join(path, entry)
    if (statSync(full).isDirectory()) out.push(...pluginFiles(full))
    else if (isPluginFile(entry)) out.push(full)
  }
  return out
}

async function addFile(registry: PluginRegistry, file: string, builtin: boolean): Promise<void> {
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (err) {
    const message = `cannot load plugin file ${file}: ${err instanceof Error ? err.message : String(err)}`
    registry.problems.push({ file, message })
    log.error(message)
    return
  }
  const found = [...new Set(Object.values(mod).filter(isPlugin))]
  if (found.length === 0) {
    const message = `plugin file ${file} exports no plugin (use definePairList, defineProtection or defineNotifier)`
    registry.problems.push({ file, message })
    log.warn(message)
    return
  }
  for (const plugin of found) {
    if (!builtin && registry.has(plugin.kind, plugin.name)) {
      log.warn(`plugin ${plugin.name} from ${file} replaces the ${plugin.kind} of the same name`)
    }
    registry.add(plugin, file)
  }
}

/**
 * Loads the built-in plugins, then the user's from `plugin_paths` (files or folders, relative to the working
 * directory). A file that fails to import is logged with its path and recorded in `registry.problems`; the rest load.
 */
export async function loadPlugins(opts: { pluginPaths?: string[]; builtinDir?: string } = {}): Promise<PluginRegistry> {
  const registry = new PluginRegistry()
  for (const file of pluginFiles(opts.builtinDir ?? BUILTIN_PLUGIN_DIR)) await addFile(registry, file, true)
  for (const p of opts.pluginPaths ?? []) {
    const path = resolve(p)
    if (!existsSync(path)) {
      const message = `plugin path ${path} does not exist`
      registry.problems.push({ file: path, message })
      log.warn(message)
      continue
    }
    for (const file of pluginFiles(path)) await addFile(registry, file, false)
  }
  return registry
}
