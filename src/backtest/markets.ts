import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Config } from '../config/schema.ts'
import { TICK_SIZE } from '../domain/precision.ts'
import { stakeLimitsOf } from '../engine/rules/index.ts'
import { Exchange, type MarketInfo } from '../exchange/exchange.ts'
import { DEFAULT_SIM_MARKETS, defaultMinNotional, nearestPowerOfTen, resolveMarket } from '../sim/markets.ts'
import { getLogger } from '../util/logger.ts'
import type { MarketRules } from './simulate.ts'

const log = getLogger('tern.backtest')

/** Market rules and the taker fee of each pair. */
export interface PairMarkets {
  rules: Record<string, MarketRules>
  fees: Record<string, number>
}

/** Market rules from a ccxt-style market (tick/step precision, limits). */
export function rulesFromMarket(m: MarketInfo): MarketRules {
  return {
    pricePrecision: m.precision.price,
    amountPrecision: m.precision.amount,
    precisionMode: TICK_SIZE,
    limits: stakeLimitsOf(m),
  }
}

/**
 * The simulator's rules for `pairs`: its default markets, or for other pairs the rules the simulator generates for a
 * market at the price level `prices[pair]` (e.g. the candles' close), so ticks and steps fit the data.
 */
export function simMarkets(pairs: readonly string[], seed = 42, prices: Record<string, number> = {}): PairMarkets {
  const out: PairMarkets = { rules: {}, fees: {} }
  for (const pair of pairs) {
    const price = prices[pair]
    const spec = DEFAULT_SIM_MARKETS.find((s) => s.symbol === pair) ?? {
      symbol: pair,
      ...(price !== undefined && price > 0 ? { price, stepSize: stepFor(pair, price) } : {}),
    }
    try {
      const m = resolveMarket(spec, seed)
      out.rules[pair] = {
        pricePrecision: m.tickSize,
        amountPrecision: m.stepSize,
        precisionMode: TICK_SIZE,
        limits: { minCost: m.minNotional, minAmount: m.minQty, maxAmount: m.maxQty },
      }
      out.fees[pair] = m.takerFee
    } catch {
      out.rules[pair] = { limits: {} }
    }
  }
  return out
}

/**
 * An amount step that lets a stake of a few minimum orders buy a whole number of steps: a hundredth of the minimum
 * order in base units, as a power of ten, at most 1 (the simulator's own default targets dollar-quoted pairs).
 */
function stepFor(pair: string, price: number): number {
  const quote = pair.split('/')[1] ?? ''
  return Math.min(1, nearestPowerOfTen(defaultMinNotional(quote) / price / 100))
}

/** `<user_data_dir>/markets/<exchange>.json`. */
export function marketsCacheFile(userDataDir: string, exchange: string): string {
  return join(userDataDir, 'markets', `${exchange.toLowerCase()}.json`)
}

/**
 * Market rules for a backtest: with `exchange.name: "sim"` from the simulator's market definitions; otherwise from
 * the markets cached under `<user_data_dir>/markets/<exchange>.json`, fetched through ccxt (and cached) when there is
 * no cache yet, so that a re-run works offline.
 */
export async function loadMarkets(
  config: Config,
  pairs: readonly string[],
  prices: Record<string, number> = {},
): Promise<PairMarkets> {
  const name = config.exchange.name
  if (name === 'sim') return simMarkets(pairs, config.exchange.sim?.seed ?? 42, prices)
  const file = marketsCacheFile(config.user_data_dir, name)
  let markets: Record<string, MarketInfo>
  if (existsSync(file)) {
    markets = JSON.parse(await readFile(file, 'utf8'))
  } else {
    log.info(`loading markets of ${name} (cached in ${file} for later runs)`)
    const ex = new Exchange({ name, stakeCurrency: config.stake_currency, ccxtConfig: config.exchange.ccxt_config })
    try {
      markets = await ex.loadMarkets()
    } catch (e) {
      throw new Error(
        `cannot load the markets of ${name} (${(e as Error).message}); backtesting needs them once, then works offline from ${file}`,
      )
    }
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(markets))
  }
  const out: PairMarkets = { rules: {}, fees: {} }
  for (const pair of pairs) {
    const m = markets[pair]
    if (m === undefined) throw new Error(`pair '${pair}' is not available on ${name}`)
    out.rules[pair] = rulesFromMarket(m)
    out.fees[pair] = m.taker
  }
  return out
}
