import { getLogger } from '../util/logger.ts'
import type { ProtectionHandler, ProtectionPlugin, ProtectionQuery, ProtectionResult } from './define.ts'
import type { ClosedTradeInfo, ProtectionLock, TradeSide } from './inputs.ts'
import { isGlobalLocked, isPairLocked, type LockLike } from './locks.ts'
import type { PluginRegistry } from './registry.ts'
import { blockLabel, PluginConfigError, validatePluginConfig } from './validate.ts'

interface Step {
  plugin: ProtectionPlugin
  handler: ProtectionHandler
}

const log = getLogger('tern.protections')

function queryOf(trades: ClosedTradeInfo[], nowMs: number, side: TradeSide): ProtectionQuery {
  return {
    nowMs,
    side,
    trades: ({ pair, closedAfterMs }) =>
      trades.filter((t) => t.closeDateMs > closedAfterMs && (pair === undefined || t.pair === pair)),
  }
}

/**
 * Runs the configured protections. Pure: given the closed trades, the time and the locks already in force, it returns
 * the new locks; storing them is the caller's (the pair-lock table live, a list in a backtest). A protection that
 * throws is logged with its name and skipped.
 */
export class ProtectionManager {
  private constructor(private readonly steps: Step[]) {}

  static create(
    registry: PluginRegistry,
    blocks: ({ method: string } & Record<string, unknown>)[],
    env: { timeframe?: string } = {},
  ): ProtectionManager {
    const steps: Step[] = []
    blocks.forEach((block, i) => {
      const where = blockLabel('protections', i)
      const plugin = registry.get('protection', block.method)
      if (!plugin) {
        throw new PluginConfigError(
          `${where}: unknown protection '${block.method}'; available: ${registry.names('protection').join(', ')}`,
        )
      }
      const { config, unknownKeys } = validatePluginConfig(plugin, block, where)
      if (unknownKeys.length > 0) log.warn(`${where} (${plugin.name}): unknown keys ignored: ${unknownKeys.join(', ')}`)
      try {
        steps.push({
          plugin,
          handler: plugin.create(config, {
            timeframe: env.timeframe,
            log: getLogger(`tern.protections.${plugin.name}`),
          }),
        })
      } catch (err) {
        throw new PluginConfigError(`${where} (${plugin.name}): ${(err as Error).message}`)
      }
    })
    return new ProtectionManager(steps)
  }

  get names(): string[] {
    return this.steps.map((s) => s.plugin.name)
  }

  describe(): string[] {
    return this.steps.map((s) => `${s.plugin.name}: ${s.handler.describe()}`)
  }

  /** New per-pair locks for `pair` after a trade of `side` closed. */
  stopPerPair(
    pair: string,
    side: TradeSide,
    trades: ClosedTradeInfo[],
    nowMs: number,
    activeLocks: LockLike[] = [],
  ): ProtectionLock[] {
    const q = queryOf(trades, nowMs, side)
    const known = [...activeLocks]
    const out: ProtectionLock[] = []
    for (const step of this.steps) {
      if (!step.handler.hasLocalStop || !step.handler.stopPerPair) continue
      const res = this.run(step, () => step.handler.stopPerPair?.(pair, q))
      if (!res) continue
      const lock: ProtectionLock = { pair, untilMs: res.untilMs, reason: res.reason, side: res.side ?? '*' }
      // A lock already in force until at least that time makes this one redundant.
      if (isPairLocked(known, pair, lock.untilMs, lock.side)) continue
      known.push(lock)
      out.push(lock)
    }
    return out
  }

  /** New global (`*`) locks after a trade of `side` closed. */
  globalStop(
    side: TradeSide,
    trades: ClosedTradeInfo[],
    nowMs: number,
    activeLocks: LockLike[] = [],
  ): ProtectionLock[] {
    const q = queryOf(trades, nowMs, side)
    const known = [...activeLocks]
    const out: ProtectionLock[] = []
    for (const step of this.steps) {
      if (!step.handler.hasGlobalStop || !step.handler.globalStop) continue
      const res = this.run(step, () => step.handler.globalStop?.(q))
      if (!res) continue
      const lock: ProtectionLock = { pair: '*', untilMs: res.untilMs, reason: res.reason, side: res.side ?? '*' }
      if (isGlobalLocked(known, lock.untilMs, lock.side)) continue
      known.push(lock)
      out.push(lock)
    }
    return out
  }

  /** Both checks after a trade closed, as freqtrade does: per-pair first, then global. */
  afterTradeClosed(
    trade: Pick<ClosedTradeInfo, 'pair' | 'isShort'>,
    trades: ClosedTradeInfo[],
    nowMs: number,
    activeLocks: LockLike[] = [],
  ): ProtectionLock[] {
    const side: TradeSide = trade.isShort ? 'short' : 'long'
    const perPair = this.stopPerPair(trade.pair, side, trades, nowMs, activeLocks)
    const global = this.globalStop(side, trades, nowMs, [...activeLocks, ...perPair])
    return [...perPair, ...global]
  }

  private run(step: Step, fn: () => ProtectionResult | undefined): ProtectionResult | undefined {
    try {
      return fn()
    } catch (err) {
      log.error({ err }, `protection ${step.plugin.name} failed: ${(err as Error).message}`)
      return undefined
    }
  }
}

/** Per-pair performance of closed trades closed after `sinceMs` (PerformanceFilter's input). */
export function performanceFromTrades(trades: ClosedTradeInfo[], sinceMs = Number.NEGATIVE_INFINITY) {
  const byPair = new Map<string, { pair: string; profitRatio: number; profitAbs: number; count: number }>()
  for (const t of trades) {
    if (t.closeDateMs <= sinceMs) continue
    const row = byPair.get(t.pair) ?? { pair: t.pair, profitRatio: 0, profitAbs: 0, count: 0 }
    row.profitRatio += t.profitRatio
    row.profitAbs += t.profitAbs
    row.count++
    byPair.set(t.pair, row)
  }
  return [...byPair.values()]
}
