import { amountToPrecision, preciseMul, TICK_SIZE } from '../../domain/precision.ts'
import type { AdjustTradePositionContext } from '../../strategy/callbacks.ts'
import type { Strategy } from '../../strategy/strategy.ts'
import { getLogger } from '../../util/logger.ts'

/** A change of an open trade's position the strategy asked for: stake to add, or base amount to sell. */
export type PositionChange =
  | { kind: 'increase'; stake: number; tag: string | undefined }
  | { kind: 'decrease'; amount: number; tag: string | undefined }

/** What the rule needs to know of the trade and its market besides the callback's arguments. */
export interface PositionFacts {
  /** Filled entry orders so far. */
  entries: number
  /** Base amount held and quote stake tied up (the trade's `amount` and `stake_amount`). */
  amount: number
  stakeAmount: number
  amountPrecision: number | undefined
  precisionMode?: number
  /** The smallest stake the market takes at the exit rate (a partial exit may not leave less behind). */
  minExitStake: number | undefined
}

/**
 * freqtrade's position adjustment (`_adjust_trade_position_internal` and what both engines do with its answer), live
 * and in a backtest, asked by both when `positionAdjustmentEnable` is on: the strategy's `adjustTradePosition`. A positive stake
 * adds to the trade while it has had at most `maxEntryPositionAdjustment` additions (−1: no limit); the caller still
 * holds the stake within the market's and the wallet's limits. A negative stake sells `|stake| × amount / stake_amount`
 * of the position, cut to the market's step (at most all of it); nothing when that is 0 or when what it would leave
 * behind is worth less than the market's minimum stake. A callback that throws is logged and changes nothing.
 */
export function positionChange(
  strategy: Strategy,
  ctx: AdjustTradePositionContext,
  facts: PositionFacts,
): PositionChange | undefined {
  if (strategy.adjustTradePosition === undefined) return undefined
  let reply: ReturnType<NonNullable<Strategy['adjustTradePosition']>>
  try {
    reply = strategy.adjustTradePosition(ctx)
  } catch (err) {
    getLogger('tern.strategy').warn(
      `${strategy.constructor.name}.adjustTradePosition failed for ${ctx.pair}: ${(err as Error)?.message ?? err}`,
    )
    return undefined
  }
  const [stake, tag] = Array.isArray(reply) ? reply : [reply, undefined]
  if (typeof stake !== 'number' || !Number.isFinite(stake) || stake === 0) return undefined
  const orderTag = typeof tag === 'string' && tag !== '' ? tag : undefined
  if (stake > 0) {
    const max = strategy.maxEntryPositionAdjustment
    if (max > -1 && facts.entries > max) return undefined
    return { kind: 'increase', stake, tag: orderTag }
  }
  if (!(facts.stakeAmount > 0)) return undefined
  const wanted = Math.min(facts.amount, Math.abs(preciseMul(stake, facts.amount) / facts.stakeAmount))
  const amount = amountToPrecision(wanted, facts.amountPrecision, facts.precisionMode ?? TICK_SIZE)
  if (!(amount > 0)) return undefined
  const remaining = (facts.amount - amount) * ctx.currentExitRate
  if (facts.minExitStake && remaining !== 0 && remaining < facts.minExitStake) return undefined
  return { kind: 'decrease', amount, tag: orderTag }
}
