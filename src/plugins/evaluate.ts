import { displayDate } from '../util/dates.ts'
import type { ProtectionTriggerEvent } from './events.ts'
import type { ProtectionLock } from './inputs.ts'
import { type PairlistDataSource, PairlistManager, type PairlistManagerOptions } from './pairlistManager.ts'
import type { PluginRegistry } from './registry.ts'

/** The body of `POST /pairlists/evaluate` (api-contract §12.6). */
export interface PairlistEvaluateRequest {
  pairlists: ({ method: string } & Record<string, unknown>)[]
  blacklist: string[]
  stake_currency: string
}

/** The `result` of a finished evaluation. */
export interface PairlistEvaluateResult {
  method: string[]
  length: number
  whitelist: string[]
}

/**
 * Builds the whitelist of a pairlist configuration once, as FreqUI's pairlist builder asks: the given blacklist
 * replaces the configured one. Throws (config or handler errors, with their messages) so the job can report `failed`.
 */
export async function evaluatePairlists(
  registry: PluginRegistry,
  req: PairlistEvaluateRequest,
  source: PairlistDataSource,
  opts: Omit<PairlistManagerOptions, 'stakeCurrency' | 'blacklist'> & { nowMs?: number } = {},
): Promise<PairlistEvaluateResult> {
  const manager = PairlistManager.create(registry, req.pairlists, {
    ...opts,
    stakeCurrency: req.stake_currency,
    blacklist: req.blacklist,
  })
  const whitelist = await manager.build(source, opts.nowMs)
  return { method: manager.names, length: whitelist.length, whitelist }
}

/** The notifier event for a lock a protection set (`id` is the stored lock's id, when stored). */
export function protectionTriggerEvent(
  lock: ProtectionLock,
  nowMs: number,
  id: number | null = null,
): ProtectionTriggerEvent {
  const global = lock.pair === '*'
  return {
    type: global ? 'protection_trigger_global' : 'protection_trigger',
    id,
    pair: lock.pair,
    base_currency: global ? null : (lock.pair.split('/')[0] ?? null),
    side: lock.side,
    reason: lock.reason,
    lock_time: displayDate(nowMs),
    lock_timestamp: nowMs,
    lock_end_time: displayDate(lock.untilMs),
    lock_end_timestamp: lock.untilMs,
    active: true,
  }
}
