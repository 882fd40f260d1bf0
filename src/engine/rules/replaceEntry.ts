import type { AdjustEntryPriceContext } from '../../strategy/callbacks.ts'
import { getLogger } from '../../util/logger.ts'
import { usableCustomPrice } from './customPrice.ts'
import { entryAmount, minPairStake, type StakeLimits } from './stake.ts'

const log = getLogger('tern.strategy')

/** The strategy callback that may move a resting entry order (a `Strategy` satisfies it). */
export interface AdjustEntryPriceCallback {
  adjustEntryPrice?(ctx: AdjustEntryPriceContext): number | null | undefined
}

/** What becomes of a resting entry order: kept, or cancelled and (with a `rate`) placed again there. */
export type EntryAdjustment = { keep: true } | { keep: false; rate: number | undefined }

/**
 * freqtrade's `check_order_replace` / `replace_order`, the one rule of the live engine and the backtester: the
 * strategy's `adjustEntryPrice` answering the order's own price keeps the order (as does no callback, or one that
 * throws: logged, freqtrade's `strategy_safe_wrapper`); any other answer cancels it, and a usable price (a finite
 * number above 0) is where the new order goes.
 */
export function adjustedEntry(
  strategy: (AdjustEntryPriceCallback & object) | undefined,
  ctx: AdjustEntryPriceContext,
): EntryAdjustment {
  const adjust = strategy?.adjustEntryPrice
  if (adjust === undefined) return { keep: true }
  let asked: unknown
  try {
    asked = adjust.call(strategy, ctx)
  } catch (err) {
    log.warn(
      `${strategy?.constructor.name}.adjustEntryPrice failed for ${ctx.pair}: ${(err as Error).message}; keeping the order`,
    )
    return { keep: true }
  }
  if (asked === ctx.currentOrderRate) return { keep: true }
  return { keep: false, rate: usableCustomPrice(asked) }
}

/**
 * The amount of the order that replaces a cancelled entry order: the same stake (what was left of it: remaining ×
 * old price) at the new `rate`, cut to the market's amount step; undefined when the market's minimum stake or step
 * leaves nothing to place. E.g. 2 left at 100, new rate 99, step 0.01: stake 200 → 2.02.
 */
export function replacementAmount(
  stake: number,
  rate: number,
  limits: StakeLimits,
  amountPrecision: number | undefined,
  precisionMode: number | undefined,
): number | undefined {
  const minStake = minPairStake(limits, rate, 0)
  if (!stake || (minStake && stake < minStake)) return undefined
  return entryAmount(stake, rate, amountPrecision, precisionMode) || undefined
}
