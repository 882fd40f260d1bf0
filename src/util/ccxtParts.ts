/**
 * ccxt's modules, one at a time. The package's entry point imports all of its ~100 exchange classes, which costs
 * about 75 MB of memory in every process that touches ccxt; the bot needs one exchange class, the error classes and
 * the precision helpers. They are loaded from ccxt's own files next to its entry point (the package exports only the
 * entry), so they are the very modules the entry would load, and `instanceof` checks agree with it.
 */
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as Ccxt from 'ccxt'

const require = createRequire(import.meta.url)
const SRC = join(dirname(fileURLToPath(import.meta.resolve('ccxt'))), 'src')

/** ccxt's `Precise` (decimal string arithmetic). */
export const Precise: typeof Ccxt.Precise = require(join(SRC, 'base', 'Precise.js')).Precise

/** ccxt's helper functions (`decimalToPrecision`, counting modes ...). */
export const functions: typeof Ccxt.functions = require(join(SRC, 'base', 'functions.js'))

/** ccxt's error classes (`NetworkError`, `InsufficientFunds` ...). */
export const ccxtErrors: typeof Ccxt.errors = require(join(SRC, 'base', 'errors.js'))

/** Every ccxt exchange id, sorted. */
export function exchangeIds(): string[] {
  return readdirSync(SRC)
    .filter((f) => /^[a-z0-9]+\.js$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort()
}

export type CcxtExchange = Ccxt.Exchange
export type CcxtExchangeClass = new (config?: Record<string, unknown>) => CcxtExchange

/** The class of one ccxt exchange id, or undefined when there is no such exchange. */
export function exchangeClass(id: string): CcxtExchangeClass | undefined {
  if (!/^[a-z0-9]+$/.test(id)) return undefined
  const file = join(SRC, `${id}.js`)
  if (!existsSync(file)) return undefined
  const cls = require(file).default
  return typeof cls === 'function' ? (cls as CcxtExchangeClass) : undefined
}
