import { amountToPrecision, TICK_SIZE } from '../../domain/precision.ts'
import type { MarketInfo } from '../../exchange/exchange.ts'

/** freqtrade's reserve on the minimum stake: 5 % plus room for the stop-loss. */
export const AMOUNT_RESERVE_PERCENT = 0.05

/** A wallet in the stake currency: what is free, what is tied up in open trades. */
export interface StakeWallet {
  /** Free stake currency (start + closed profit − open stakes). */
  free: number
  /** Σ stake_amount of open trades. */
  tiedUp: number
}

/**
 * What may be staked now: `(tied up + free) × tradable_balance_ratio − tied up`, never more than free
 * (freqtrade's `get_available_stake_amount`); with `available_capital`, that capital plus closed profit instead.
 */
export function availableStake(
  w: StakeWallet,
  tradableBalanceRatio: number,
  availableCapital?: number,
  closedProfit = 0,
): number {
  const total =
    availableCapital !== undefined ? availableCapital + closedProfit : (w.tiedUp + w.free) * tradableBalanceRatio
  return Math.min(total - w.tiedUp, w.free)
}

/**
 * The stake for a new trade (freqtrade's `get_trade_stake_amount`): the fixed amount, or for `unlimited` an equal share
 * of the tradable balance over `maxOpenTrades` slots, capped at what is available. Returns 0 when the balance does not
 * cover the stake (no trade).
 */
export function tradeStakeAmount(
  stakeAmount: number | 'unlimited',
  available: number,
  tiedUp: number,
  maxOpenTrades: number,
): number {
  let stake: number
  if (stakeAmount === 'unlimited') {
    if (maxOpenTrades === 0 || !Number.isFinite(maxOpenTrades) || maxOpenTrades < 0) stake = 0
    else stake = Math.min((available + tiedUp) / maxOpenTrades, available)
  } else stake = stakeAmount
  if (available < stake) return 0
  return Math.max(stake, 0)
}

/** Market limits the stake rules read (ccxt's `limits`). */
export interface StakeLimits {
  minCost?: number
  maxCost?: number
  minAmount?: number
  maxAmount?: number
}

/** A ccxt market's cost and amount limits as the stake rules read them. */
export function stakeLimitsOf(m: Pick<MarketInfo, 'limits'>): StakeLimits {
  return {
    minCost: m.limits.cost.min,
    maxCost: m.limits.cost.max,
    minAmount: m.limits.amount.min,
    maxAmount: m.limits.amount.max,
  }
}

/**
 * The smallest stake the market accepts at `price`, with freqtrade's reserve for the stop-loss
 * (`get_min_pair_stake_amount`); undefined when the market has no minimum.
 */
export function minPairStake(limits: StakeLimits, price: number, stoploss: number): number | undefined {
  const marginReserve = 1 + AMOUNT_RESERVE_PERCENT
  let slReserve = Math.abs(stoploss) !== 1 ? marginReserve / (1 - Math.abs(stoploss)) : 1.5
  slReserve = Math.max(Math.min(slReserve, 1.5), 1)
  const out: number[] = []
  if (limits.minCost !== undefined && limits.minCost !== null) out.push(limits.minCost * slReserve)
  if (limits.minAmount !== undefined && limits.minAmount !== null) out.push(limits.minAmount * price * marginReserve)
  return out.length === 0 ? undefined : Math.max(...out)
}

/** The largest stake the market accepts at `price` (`get_max_pair_stake_amount`). */
export function maxPairStake(limits: StakeLimits, price: number): number {
  const out: number[] = []
  if (limits.maxCost !== undefined && limits.maxCost !== null) out.push(limits.maxCost)
  if (limits.maxAmount !== undefined && limits.maxAmount !== null) out.push(limits.maxAmount * price)
  return out.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...out)
}

/**
 * freqtrade's `validate_stake_amount`: 0 when the minimum is above what may be staked, raised to the minimum when
 * below it (but not by more than 30 %, else 0), and lowered to what may be staked. An addition to a trade that already
 * holds `heldStake` may only take the position up to the market's maximum (beyond it, the trade could not be sold).
 */
export function validateStake(
  stake: number,
  minStake: number | undefined,
  maxStake: number,
  available: number,
  heldStake = 0,
): number {
  if (!stake) return 0
  const maxAllowed = Math.min(maxStake - heldStake, available)
  if (minStake !== undefined && minStake > maxAllowed) return 0
  let out = stake
  if (minStake !== undefined && out < minStake) {
    if (out * 1.3 < minStake) return 0
    out = minStake
  }
  if (out > maxAllowed) out = maxAllowed
  return out
}

/** Base amount for a stake at `rate`, cut to the market's step (0 when nothing is left). */
export function entryAmount(
  stake: number,
  rate: number,
  amountPrecision: number | undefined,
  mode = TICK_SIZE,
): number {
  return amountToPrecision(stake / rate, amountPrecision, mode)
}
