/** Exit and entry decisions shared by the live engine and the backtester; pure functions. */

export { type PositionChange, type PositionFacts, positionChange } from './adjustPosition.ts'
export { entryConfirmed, exitConfirmed } from './confirmOrder.ts'
export {
  CUSTOM_PRICE_MAX_DISTANCE_RATIO,
  customPriceWithin,
  limitOrderFills,
  usableCustomPrice,
} from './customPrice.ts'
export { isOrderTimedOut, type OrderTimeoutCallbacks, orderTimedOut, type UnfilledTimeout } from './orderTimeout.ts'
export {
  type AdjustEntryPriceCallback,
  adjustedEntry,
  type EntryAdjustment,
  replacementAmount,
} from './replaceEntry.ts'
export {
  type CandlePrices,
  compileRoi,
  ROI_PRICE_RULES,
  type RoiPriceRules,
  type RoiSteps,
  roiExitPrice,
  roiRate,
  roiStepIndex,
  roiThreshold,
  tradeAgeMinutes,
} from './roi.ts'
export { exitSignalAllowed, isEntrySignal, roiApplies } from './signals.ts'
export {
  AMOUNT_RESERVE_PERCENT,
  availableStake,
  entryAmount,
  maxPairStake,
  minPairStake,
  type StakeLimits,
  type StakeWallet,
  stakeLimitsOf,
  tradeStakeAmount,
  validateStake,
} from './stake.ts'
export {
  adjustStopAfterFill,
  checkStoploss,
  type StopHit,
  type StoplossSettings,
  stoplossExitPrice,
  updateTrailingStop,
} from './stoploss.ts'
