import type { Static, TObject } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { AnyPlugin } from './define.ts'

/** A plugin config block that does not fit: the message names the block, the plugin and the key. */
export class PluginConfigError extends Error {
  override name = 'PluginConfigError'
}

/** A config block, e.g. `{"method": "AgeFilter", "min_days_listed": 10}`. */
export type PluginBlock = { method: string } & Record<string, unknown>

/**
 * Validates one config block against its plugin's schema and fills the defaults. `where` says where the block sits
 * (`pairlists[1]`). Keys the schema does not know are returned so the caller can warn about typos.
 */
export function validatePluginConfig<S extends TObject>(
  plugin: { name: string; config: S; check?: (cfg: Static<S>) => string | undefined },
  block: Record<string, unknown>,
  where: string,
): { config: Static<S>; unknownKeys: string[] } {
  const { method: _method, ...rest } = block
  const cfg = Value.Default(plugin.config, Value.Clone(rest)) as Record<string, unknown>
  const first = Value.Errors(plugin.config, cfg).First()
  if (first) {
    const key = first.path.replace(/^\//, '').replaceAll('/', '.') || '(block)'
    throw new PluginConfigError(
      `${where} (${plugin.name}): key '${key}': ${first.message}${first.value === undefined ? '' : ` (got ${JSON.stringify(first.value)})`}`,
    )
  }
  const problem = plugin.check?.(cfg as Static<S>)
  if (problem) throw new PluginConfigError(`${where} (${plugin.name}): ${problem}`)
  const known = new Set(Object.keys(plugin.config.properties))
  return { config: cfg as Static<S>, unknownKeys: Object.keys(rest).filter((k) => !known.has(k)) }
}

/** `where` label for a block of a config list. */
export function blockLabel(list: string, index: number): string {
  return `${list}[${index}]`
}

export type { AnyPlugin }
