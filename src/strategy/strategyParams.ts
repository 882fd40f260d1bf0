import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { getLogger } from '../util/logger.ts'
import { StrategyParameter } from './parameters.ts'
import type { RoiTable, Strategy } from './strategy.ts'

const log = getLogger('tern.strategy')

/** The parameter file of a strategy file: the same path with `.json` (freqtrade's hyperopt export). */
export function parameterFileOf(strategyFile: string): string {
  return strategyFile.replace(/\.[cm]?[jt]s$/, '.json')
}

/** `buy_rsi` → `buyRsi` (freqtrade names members in snake_case, Tern strategies in camelCase). */
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** A member of the strategy by its file name, as written or in camelCase. */
function memberName(strategy: Strategy, name: string): string | undefined {
  const s = strategy as unknown as Record<string, unknown>
  if (name in s) return name
  const c = camel(name)
  return c in s ? c : undefined
}

/**
 * Applies freqtrade's strategy parameter file (`<StrategyFile>.json`, written by its hyperopt) to a new instance, as
 * freqtrade does on loading: the values of `params.buy` / `sell` / `protection` go to the strategy's parameters
 * (`IntParameter` … members, named as in the file or in camelCase, those with `load` only), `params.roi` replaces
 * `minimalRoi`, `params.stoploss` and `params.trailing` set the stop and trailing members. The config's keys still win
 * over these (`applyConfigOverrides` runs after). A file made for another strategy class is ignored with a warning; a
 * value a parameter cannot take fails the load, naming the file and the key. Returns the file applied, if any.
 */
export function applyParameterFile(strategy: Strategy, strategyFile: string): string | undefined {
  const file = parameterFileOf(strategyFile)
  if (file === strategyFile || !existsSync(file)) return undefined
  const name = strategy.constructor.name
  let doc: { strategy_name?: unknown; params?: Record<string, Record<string, unknown> | undefined> }
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`parameter file ${file}: not valid JSON (${(err as Error).message})`)
  }
  if (doc.strategy_name !== name) {
    log.warn(`parameter file ${basename(file)} is for ${String(doc.strategy_name)}, not ${name}: not applied`)
    return undefined
  }
  const params = doc.params ?? {}
  const s = strategy as unknown as Record<string, unknown>
  for (const space of ['buy', 'sell', 'protection'] as const) {
    for (const [key, value] of Object.entries(params[space] ?? {})) {
      const member = memberName(strategy, key)
      const p = member === undefined ? undefined : s[member]
      if (!(p instanceof StrategyParameter)) {
        log.warn(`parameter file ${basename(file)}: ${name} has no parameter '${key}'; ignored`)
        continue
      }
      if (!p.load) continue
      try {
        p.set(value)
      } catch (err) {
        throw new Error(`parameter file ${file}: params.${space}.${key}: ${(err as Error).message}`)
      }
    }
  }
  if (params.roi) {
    const roi: RoiTable = {}
    for (const [minutes, ratio] of Object.entries(params.roi)) {
      if (!Number.isFinite(Number(minutes)) || typeof ratio !== 'number') {
        throw new Error(`parameter file ${file}: params.roi: expected minutes to ratios, got "${minutes}": ${ratio}`)
      }
      roi[Number(minutes)] = ratio
    }
    strategy.minimalRoi = roi
  }
  const stop = params.stoploss?.stoploss
  if (stop !== undefined) {
    if (typeof stop !== 'number' || !(stop < 0)) {
      throw new Error(`parameter file ${file}: params.stoploss.stoploss: expected a negative ratio, got ${stop}`)
    }
    strategy.stoploss = stop
  }
  const trailing = params.trailing ?? {}
  if (typeof trailing.trailing_stop === 'boolean') strategy.trailingStop = trailing.trailing_stop
  if (typeof trailing.trailing_stop_positive === 'number' || trailing.trailing_stop_positive === null) {
    strategy.trailingStopPositive = trailing.trailing_stop_positive ?? undefined
  }
  if (typeof trailing.trailing_stop_positive_offset === 'number') {
    strategy.trailingStopPositiveOffset = trailing.trailing_stop_positive_offset
  }
  if (typeof trailing.trailing_only_offset_is_reached === 'boolean') {
    strategy.trailingOnlyOffsetIsReached = trailing.trailing_only_offset_is_reached
  }
  log.info(`${name}: parameters loaded from ${basename(file)}`)
  return file
}
