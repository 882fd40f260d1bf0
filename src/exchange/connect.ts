import type { Config } from '../config/schema.ts'
import { type SimExchange, startSimExchange } from '../sim/server.ts'
import { AcceleratedClock, type Clock, clock as processClock, RealClock, setClock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import type { Broker } from './broker.ts'
import { DryRunBroker } from './dryRunBroker.ts'
import { Exchange } from './exchange.ts'
import { LiveBroker } from './liveBroker.ts'

const log = getLogger('tern.exchange')

export interface Connection {
  exchange: Exchange
  broker: Broker
  /** The embedded simulated exchange, when `exchange.name` is `sim`. */
  sim?: SimExchange
  close(): Promise<void>
}

/**
 * The clock of a run against the embedded simulator: `exchange.sim.speed` times real time from `exchange.sim.start`
 * (or now). It becomes the process clock, so the bot and the simulator agree on what time it is.
 */
export function simClock(config: Config, real: Clock = new RealClock()): Clock {
  const sim = config.exchange.sim ?? {}
  const speed = sim.speed ?? 1
  const start = sim.start ? Date.parse(sim.start) : real.now()
  if (Number.isNaN(start)) throw new Error(`exchange.sim.start: got "${sim.start}", expected an ISO date`)
  if (speed === 1 && !sim.start) return real
  return new AcceleratedClock(start, speed)
}

/**
 * Connects to the configured exchange: starts the embedded simulator for `sim`, loads and validates markets and the
 * whitelist, and picks the broker (simulated wallet in dry-run, real orders live).
 */
export async function connectExchange(config: Config): Promise<Connection> {
  let sim: SimExchange | undefined
  let clock: Clock = processClock
  // `exchange.sim.url`: a simulator running elsewhere (`tern sim`), which keeps its own clock and books
  const externalSim = (config.exchange.sim as { url?: string } | undefined)?.url
  if (config.exchange.name === 'sim' && !externalSim) {
    clock = simClock(config)
    setClock(clock)
    sim = await startSimExchange({
      clock,
      seed: config.exchange.sim?.seed ?? 42,
      extraPairs: config.exchange.pair_whitelist,
      balances: config.exchange.sim?.balances,
      port: config.exchange.sim?.port ?? 0,
    })
    log.info(
      `simulated exchange at ${sim.url} (seed ${config.exchange.sim?.seed ?? 42}, ${config.exchange.sim?.speed ?? 1}x)`,
    )
  }
  const exchange = new Exchange({
    name: config.exchange.name,
    key: config.exchange.key || (sim || externalSim ? 'sim-key' : undefined),
    secret: config.exchange.secret || (sim || externalSim ? 'sim-secret' : undefined),
    password: config.exchange.password || undefined,
    ccxtConfig: config.exchange.ccxt_config,
    stakeCurrency: config.stake_currency,
    simUrl: sim?.url ?? externalSim,
    clock,
  })
  try {
    await exchange.loadMarkets()
    exchange.validatePairs(config.exchange.pair_whitelist)
  } catch (err) {
    await exchange.close()
    await sim?.stop()
    throw err
  }
  const broker = config.dry_run
    ? new DryRunBroker(exchange, { dryRunWallet: config.dry_run_wallet, clock })
    : new LiveBroker(exchange)
  log.info(
    `connected to ${config.exchange.name}: ${config.exchange.pair_whitelist.length} whitelisted pairs, ${config.dry_run ? `dry-run wallet ${config.dry_run_wallet} ${config.stake_currency}` : 'live orders'}`,
  )
  return {
    exchange,
    broker,
    sim,
    close: async () => {
      await exchange.close()
      await sim?.stop()
    },
  }
}
