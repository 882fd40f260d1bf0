import { clock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import type { PairListPlugin, PairlistContext, PairlistEnv, PairlistHandler } from './define.ts'
import { compileWildcard, expandPairlist } from './expandPairlist.ts'
import type { CandleSource, MarketInfo, PairPerformance, PrecisionMode, TickerInfo } from './inputs.ts'
import type { PluginRegistry } from './registry.ts'
import { blockLabel, PluginConfigError, validatePluginConfig } from './validate.ts'

/** Where a refresh gets its data; the exchange layer provides it live, tests build it by hand. */
export interface PairlistDataSource {
  markets(): Record<string, MarketInfo> | Promise<Record<string, MarketInfo>>
  tickers(): Record<string, TickerInfo> | Promise<Record<string, TickerInfo>>
  candles?: CandleSource
  /** Per-pair performance of closed trades of the last `minutes` (0 = all), for PerformanceFilter. */
  performance?(minutes: number): PairPerformance[]
}

export interface PairlistManagerOptions {
  stakeCurrency: string
  pairWhitelist?: string[]
  /** `exchange.pair_blacklist`: pairs, wildcards or regexes. */
  blacklist?: string[]
  timeframe?: string
  stoploss?: number
  precisionMode?: PrecisionMode
  backtest?: boolean
}

interface Step {
  plugin: PairListPlugin
  handler: PairlistHandler
}

const log = getLogger('tern.pairlist')
const LOG_ONCE_MS = 3_600_000

function noCandles(): never {
  throw new Error('no candle source was given to the pairlist manager')
}

/**
 * Runs the configured chain: the first handler generates, the others filter in order, the blacklist is applied last.
 * A refresh that fails (a handler throws) is logged with the handler's name and keeps the last good whitelist.
 */
export class PairlistManager {
  private current: string[] = []
  private blacklistEntries: string[]
  private readonly logged = new Map<string, number>()

  private constructor(
    private readonly steps: Step[],
    readonly stakeCurrency: string,
    blacklist: string[],
  ) {
    this.blacklistEntries = [...blacklist]
  }

  /** Validates every block against its plugin (message naming the block, plugin and key) and builds the chain. */
  static create(
    registry: PluginRegistry,
    blocks: ({ method: string } & Record<string, unknown>)[],
    opts: PairlistManagerOptions,
  ): PairlistManager {
    if (blocks.length === 0) throw new PluginConfigError('pairlists: at least one pairlist handler is required')
    for (const entry of opts.blacklist ?? []) {
      try {
        compileWildcard(entry)
      } catch (err) {
        throw new PluginConfigError(`exchange.pair_blacklist: ${(err as Error).message}`)
      }
    }
    const manager = new PairlistManager([], opts.stakeCurrency, opts.blacklist ?? [])
    blocks.forEach((block, i) => {
      const where = blockLabel('pairlists', i)
      const plugin = registry.get('pairlist', block.method)
      if (!plugin) {
        throw new PluginConfigError(
          `${where}: unknown pairlist '${block.method}'; available: ${registry.names('pairlist').join(', ')}`,
        )
      }
      if (i === 0 && !plugin.isGenerator) {
        throw new PluginConfigError(`${where} (${plugin.name}): the first pairlist handler must be a generator`)
      }
      const { config, unknownKeys } = validatePluginConfig(plugin, block, where)
      if (unknownKeys.length > 0) log.warn(`${where} (${plugin.name}): unknown keys ignored: ${unknownKeys.join(', ')}`)
      const pluginLog = getLogger(`tern.pairlist.${plugin.name}`)
      const env: PairlistEnv = {
        stakeCurrency: opts.stakeCurrency,
        pairWhitelist: opts.pairWhitelist ?? [],
        timeframe: opts.timeframe,
        stoploss: opts.stoploss,
        precisionMode: opts.precisionMode ?? 'tick_size',
        backtest: opts.backtest ?? false,
        log: pluginLog,
        logOnce: (message, level = 'info') => manager.logOnce(pluginLog, message, level),
      }
      let handler: PairlistHandler
      try {
        handler = plugin.create(config, env)
      } catch (err) {
        throw new PluginConfigError(`${where} (${plugin.name}): ${(err as Error).message}`)
      }
      manager.steps.push({ plugin, handler })
    })
    return manager
  }

  /** Handler names in chain order (the `method` of `/whitelist`). */
  get names(): string[] {
    return this.steps.map((s) => s.plugin.name)
  }

  get needsTickers(): boolean {
    return this.steps.some((s) => s.plugin.needsTickers)
  }

  get needsCandles(): boolean {
    return this.steps.some((s) => s.plugin.needsCandles)
  }

  /** The last good whitelist. */
  get whitelist(): string[] {
    return [...this.current]
  }

  /** Blacklist entries as configured or added (wildcards unexpanded). */
  get blacklist(): string[] {
    return [...this.blacklistEntries]
  }

  /** Replaces the blacklist entries (the API adds and removes; each entry must compile). */
  setBlacklist(entries: string[]): void {
    for (const e of entries) compileWildcard(e)
    this.blacklistEntries = [...entries]
  }

  /**
   * Adds entries as `POST /blacklist` does: an entry already present or not a valid wildcard is refused with
   * freqtrade's message. Returns the errors by entry.
   */
  addToBlacklist(entries: string[]): Record<string, { error_msg: string }> {
    const errors: Record<string, { error_msg: string }> = {}
    for (const entry of entries) {
      if (this.blacklistEntries.includes(entry)) {
        errors[entry] = { error_msg: `Pair ${entry} already in pairlist.` }
        continue
      }
      try {
        compileWildcard(entry)
        this.blacklistEntries.push(entry)
      } catch {
        errors[entry] = { error_msg: `Pair ${entry} is not a valid wildcard.` }
      }
    }
    return errors
  }

  /** Removes entries as `DELETE /blacklist` does; absent entries are reported. */
  removeFromBlacklist(entries: string[]): Record<string, { error_msg: string }> {
    const errors: Record<string, { error_msg: string }> = {}
    for (const entry of entries) {
      const i = this.blacklistEntries.indexOf(entry)
      if (i < 0) errors[entry] = { error_msg: `Pair ${entry} is not in the current blacklist.` }
      else this.blacklistEntries.splice(i, 1)
    }
    return errors
  }

  /** The markets the blacklist entries match. */
  expandedBlacklist(markets: Iterable<string>): string[] {
    return expandPairlist(this.blacklistEntries, markets)
  }

  /** Startup description of the chain. */
  describe(): string[] {
    return this.steps.map((s) => `${s.plugin.name}: ${s.handler.describe?.() ?? s.plugin.description}`)
  }

  /** Runs the chain and returns the new whitelist; throws when a handler fails (naming it). */
  async build(source: PairlistDataSource, nowMs: number = clock.now()): Promise<string[]> {
    const markets = await source.markets()
    const tickers = this.needsTickers ? await source.tickers() : {}
    // Expanded once per refresh: the regexes are matched against every market.
    let expanded: Set<string> | undefined
    const blacklisted = () => {
      expanded ??= new Set(this.expandedBlacklist(Object.keys(markets)))
      return expanded
    }
    const ctx: PairlistContext = {
      nowMs,
      markets,
      tickers,
      candles: source.candles ?? noCandles,
      performance: (minutes) => source.performance?.(minutes) ?? [],
      verifyBlacklist: (pairs) => {
        const bl = blacklisted()
        return pairs.filter((p) => {
          if (!bl.has(p)) return true
          this.logOnce(log, `Pair ${p} in your blacklist. Removing it from whitelist...`, 'info')
          return false
        })
      },
      whitelistForActiveMarkets: (pairs) => this.activeMarkets(pairs, markets),
    }
    let pairs: string[] = []
    for (const [i, step] of this.steps.entries()) {
      try {
        pairs =
          i === 0 && step.handler.generate
            ? await step.handler.generate(ctx)
            : await step.handler.filter([...pairs], ctx)
      } catch (err) {
        throw new Error(`pairlist ${step.plugin.name} failed: ${(err as Error).message}`, { cause: err })
      }
    }
    return [...new Set(ctx.verifyBlacklist(pairs))]
  }

  /** Runs the chain; on failure logs it and keeps the last good whitelist. */
  async refresh(source: PairlistDataSource, nowMs: number = clock.now()): Promise<string[]> {
    try {
      const next = await this.build(source, nowMs)
      if (next.join(',') !== this.current.join(',')) log.info(`Whitelist with ${next.length} pairs: ${next.join(', ')}`)
      this.current = next
    } catch (err) {
      log.error({ err }, `${(err as Error).message}; keeping the last whitelist (${this.current.length} pairs)`)
    }
    return this.whitelist
  }

  private activeMarkets(pairs: string[], markets: Record<string, MarketInfo>): string[] {
    const out: string[] = []
    const seen = new Set<string>()
    for (const pair of pairs) {
      const m = markets[pair]
      if (!m) {
        this.logOnce(log, `Pair ${pair} is not compatible with exchange. Removing it from whitelist..`, 'warn')
      } else if (m.quote !== this.stakeCurrency) {
        this.logOnce(log, `Pair ${pair} is not compatible with your stake currency ${this.stakeCurrency}. Removing it.`)
      } else if (!m.active) {
        this.logOnce(log, `Ignoring ${pair} from whitelist. Market is not active.`)
      } else if (!seen.has(pair)) {
        seen.add(pair)
        out.push(pair)
      }
    }
    return out
  }

  private logOnce(target: typeof log, message: string, level: 'info' | 'warn' = 'info'): void {
    const now = clock.now()
    const last = this.logged.get(message)
    if (last !== undefined && now - last < LOG_ONCE_MS) return
    if (this.logged.size > 5000) this.logged.clear()
    this.logged.set(message, now)
    target[level](message)
  }
}
