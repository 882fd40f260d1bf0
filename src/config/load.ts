import { existsSync, readFileSync } from 'node:fs'
import { Kind, type TObject, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser'
import { describeExpected } from './describe.ts'
import { ConfigError } from './errors.ts'
import { type Config, ConfigSchema } from './schema.ts'
import { isSecretKey, REDACTED } from './secrets.ts'

export const ENV_PREFIX = 'TERN__'

type Json = Record<string, unknown>

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** freqtrade's merge: objects merge key by key, anything else (arrays too) is replaced by the later file. */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base }
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Json, v) : v
  }
  return out
}

/** Line and column (1-based) of an offset, for JSON error messages. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n')
  return `line ${before.length} column ${before[before.length - 1]!.length + 1}`
}

/** Reads one config file; JSON with comments and trailing commas, as freqtrade accepts. */
export function readConfigFile(path: string): Json {
  if (!existsSync(path)) throw new ConfigError([`config file '${path}' does not exist`])
  const text = readFileSync(path, 'utf8')
  const errors: ParseError[] = []
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false })
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map(
        (e) => `config file '${path}': invalid JSON at ${position(text, e.offset)}: ${printParseErrorCode(e.error)}`,
      ),
    )
  }
  if (!isPlainObject(value)) throw new ConfigError([`config file '${path}': expected a JSON object at the top level`])
  return value
}

/** The child schema of an object schema for a key, matched without regard to case (env names are upper case). */
function childKey(schema: TSchema | undefined, key: string): { name: string; schema?: TSchema } {
  if (schema && schema[Kind] === 'Object') {
    const props = (schema as TObject).properties
    const name = Object.keys(props).find((p) => p.toLowerCase() === key.toLowerCase())
    if (name) return { name, schema: props[name] }
  }
  return { name: key.toLowerCase() }
}

/** `TERN__SECTION__KEY=value` overrides; values are parsed as JSON when they are JSON, else taken as strings. */
export function envOverrides(env: Record<string, string | undefined>): Json {
  let out: Json = {}
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue
    const parts = name.slice(ENV_PREFIX.length).split('__').filter(Boolean)
    if (parts.length === 0) continue
    let value: unknown = raw
    try {
      value = JSON.parse(raw)
    } catch {
      // a plain string
    }
    let schema: TSchema | undefined = ConfigSchema
    const path: string[] = []
    for (const part of parts) {
      const child = childKey(schema, part)
      path.push(child.name)
      schema = child.schema
    }
    // a value that looks numeric but belongs to a string key stays a string (e.g. a password of digits)
    if (schema?.[Kind] === 'String' && typeof value !== 'string') value = raw
    const patch: Json = {}
    let cursor = patch
    path.forEach((p, i) => {
      if (i === path.length - 1) cursor[p] = value
      else cursor = cursor[p] = {} as Json
    })
    out = deepMerge(out, patch)
  }
  return out
}

function showValue(path: string, value: unknown): string {
  if (value === undefined) return 'missing'
  const key = path.split('.').pop() ?? ''
  if (isSecretKey(key)) return REDACTED
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** One message per problem: the key path, the value and what was expected. */
export function validationProblems(value: unknown): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const e of Value.Errors(ConfigSchema, value)) {
    const path = e.path.slice(1).split('/').join('.') || '(top level)'
    if ([...seen].some((p) => path === p || path.startsWith(`${p}.`))) continue
    seen.add(path)
    const expected = e.message.startsWith('Unexpected property')
      ? 'no such key here'
      : e.schema[Kind] === 'Record'
        ? `${describeExpected(e.schema)} of minutes to ratios`
        : describeExpected(e.schema)
    problems.push(`${path}: got ${showValue(path, e.value)}, expected ${expected}`)
  }
  return problems
}

/** ROI keys are minutes; the schema's key pattern is not enforced by every validator, so check here. */
function roiKeyProblems(roi: unknown): string[] {
  if (!isPlainObject(roi)) return []
  return Object.keys(roi)
    .filter((k) => !/^[0-9]+(\.[0-9]+)?$/.test(k))
    .map((k) => `minimal_roi.${k}: got key "${k}", expected a number of minutes like "0" or "30"`)
}

/** Cross-key checks the schema cannot express. */
function semanticProblems(c: Config): string[] {
  const problems: string[] = []
  if (c.trailing_stop_positive_offset !== undefined && c.trailing_stop_positive !== undefined) {
    if (c.trailing_stop_positive_offset > 0 && c.trailing_stop_positive_offset <= c.trailing_stop_positive) {
      problems.push(
        `trailing_stop_positive_offset: got ${c.trailing_stop_positive_offset}, expected a number greater than trailing_stop_positive (${c.trailing_stop_positive})`,
      )
    }
  }
  if (c.exchange.name !== 'sim' && !c.dry_run && (!c.exchange.key || !c.exchange.secret)) {
    problems.push('exchange.key: live trading (dry_run: false) needs exchange.key and exchange.secret')
  }
  return problems
}

export interface LoadedConfig {
  config: Config
  files: string[]
}

/** Reads and merges the files left to right, applies env overrides, fills defaults and validates. */
export function loadConfig(files: string[], env: Record<string, string | undefined> = process.env): LoadedConfig {
  let merged: Json = {}
  const problems: string[] = []
  for (const file of files) {
    try {
      merged = deepMerge(merged, readConfigFile(file))
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems)
      else throw e
    }
  }
  if (problems.length) throw new ConfigError(problems)
  return { config: configFromObject(deepMerge(merged, envOverrides(env))), files }
}

/** Defaults and validation for an already merged object (also used by tests and reload). */
export function configFromObject(raw: Json): Config {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw)) as Json
  const problems = [...validationProblems(withDefaults), ...roiKeyProblems(withDefaults.minimal_roi)]
  if (problems.length) throw new ConfigError(problems)
  const config = withDefaults as unknown as Config
  const semantic = semanticProblems(config)
  if (semantic.length) throw new ConfigError(semantic)
  return config
}
