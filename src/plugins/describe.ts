import type { TObject, TSchema } from '@sinclair/typebox'
import type { PairListPlugin } from './define.ts'
import type { PluginRegistry } from './registry.ts'

/** One parameter as FreqUI's pairlist builder wants it (api-contract §12.5). */
export interface PairlistParam {
  type: 'string' | 'number' | 'boolean' | 'option' | 'list'
  default: unknown
  description: string
  help: string
  options?: string[]
}

export interface PairlistAvailable {
  name: string
  description: string
  is_pairlist_generator: boolean
  params: Record<string, PairlistParam>
}

function literalOptions(s: TSchema): string[] | undefined {
  const variants = (s.anyOf as TSchema[] | undefined) ?? (s.const !== undefined ? [s] : undefined)
  if (!variants?.every((v) => v.const !== undefined)) return undefined
  return variants.map((v) => String(v.const))
}

function paramOf(s: TSchema): PairlistParam {
  const options = literalOptions(s)
  const type: PairlistParam['type'] = options
    ? 'option'
    : s.type === 'boolean'
      ? 'boolean'
      : s.type === 'number' || s.type === 'integer'
        ? 'number'
        : s.type === 'array'
          ? 'list'
          : 'string'
  const description = String(s.description ?? '')
  return {
    type,
    default: s.default ?? null,
    description,
    help: String(s.help ?? description),
    ...(options ? { options } : {}),
  }
}

/** The parameters of a config schema in FreqUI's form. */
export function schemaParams(schema: TObject): Record<string, PairlistParam> {
  const out: Record<string, PairlistParam> = {}
  for (const [key, s] of Object.entries(schema.properties)) out[key] = paramOf(s)
  return out
}

/** `GET /pairlists/available`: every pairlist plugin, sorted by name. */
export function pairlistsAvailable(registry: PluginRegistry): { pairlists: PairlistAvailable[] } {
  return {
    pairlists: registry.list('pairlist').map((p: PairListPlugin) => ({
      name: p.name,
      description: p.description,
      is_pairlist_generator: p.isGenerator,
      params: schemaParams(p.config),
    })),
  }
}

/** Text of `tern list-plugins`: each plugin, its kind, description, needs and config keys. */
export function listPluginsText(registry: PluginRegistry, json = false): string {
  if (json) {
    return JSON.stringify(
      registry.all().map((p) => ({ name: p.name, kind: p.kind, description: p.description, config: p.config })),
      null,
      2,
    )
  }
  const lines: string[] = []
  for (const p of registry.all()) {
    const needs: string[] = []
    if (p.kind === 'pairlist') {
      needs.push(p.isGenerator ? 'generator' : 'filter')
      if (p.needsTickers) needs.push('tickers')
      if (p.needsCandles) needs.push('candles')
    }
    lines.push(`${p.kind.padEnd(10)} ${p.name}${needs.length ? ` [${needs.join(', ')}]` : ''} — ${p.description}`)
    const required = new Set(p.config.required ?? [])
    for (const [key, s] of Object.entries(p.config.properties)) {
      const param = paramOf(s)
      const type = param.options ? param.options.map((o) => JSON.stringify(o)).join('|') : String(s.type ?? param.type)
      const dflt = s.default !== undefined ? ` = ${JSON.stringify(s.default)}` : required.has(key) ? ' (required)' : ''
      lines.push(`             ${key}: ${type}${dflt}${param.description ? `  ${param.description}` : ''}`)
    }
  }
  for (const problem of registry.problems) lines.push(`!! ${problem.message}`)
  return lines.join('\n')
}
