import type { AdjustTradePositionContext, PositionAdjustmentReply } from '../src/strategy/index.ts'
import EmaCross from './EmaCross.ts'

/**
 * EmaCross with position adjustment (DCA): each time the trade is down another 2 % per entry made, it buys the first
 * entry's stake again (at most twice), and once it is 3 % up it sells a third of the position (once). The entries,
 * exits, ROI and a stop wide enough for the additions are EmaCross's otherwise.
 */
export default class EmaCrossDca extends EmaCross {
  override stoploss = -0.2
  override positionAdjustmentEnable = true
  override maxEntryPositionAdjustment = 2

  override adjustTradePosition(ctx: AdjustTradePositionContext): PositionAdjustmentReply {
    const { trade, currentProfit, minStake, maxStake } = ctx
    if (currentProfit > 0.03 && trade.nrOfSuccessfulExits === 0) return [-trade.stakeAmount / 3, 'take_third']
    const entries = trade.filledOrders('buy')
    if (currentProfit > -0.02 * entries.length) return undefined
    const first = entries[0]
    const stake = first.filled * (first.average ?? first.price)
    // a stake the market or the wallet cannot take is left alone (the engine would refuse it anyway)
    if ((minStake !== undefined && stake < minStake) || stake > maxStake) return undefined
    return [stake, `dca_${entries.length}`]
  }
}
