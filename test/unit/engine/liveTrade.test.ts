import { describe, expect, test } from 'bun:test'
import type { OrderRow, TradeRow } from '../../../src/db/schema.ts'
import { applyOrderInfo, LiveTrade } from '../../../src/engine/liveTrade.ts'

function tradeRow(over: Partial<TradeRow> = {}): TradeRow {
  return {
    id: 1,
    exchange: 'sim',
    pair: 'ETH/USDT',
    baseCurrency: 'ETH',
    stakeCurrency: 'USDT',
    isOpen: true,
    feeOpen: 0.001,
    feeOpenCost: null,
    feeOpenCurrency: null,
    feeClose: 0.001,
    feeCloseCost: null,
    feeCloseCurrency: null,
    openRate: 100,
    openRateRequested: 100,
    openTradeValue: null,
    closeRate: null,
    closeRateRequested: null,
    realizedProfit: 0,
    closeProfit: null,
    closeProfitAbs: null,
    stakeAmount: 300,
    maxStakeAmount: null,
    amount: 3,
    amountRequested: 3,
    openDate: 0,
    closeDate: null,
    stopLoss: 0,
    stopLossPct: null,
    initialStopLoss: 0,
    initialStopLossPct: null,
    isStopLossTrailing: false,
    stoplossLastUpdate: null,
    maxRate: null,
    minRate: null,
    exitReason: null,
    exitOrderStatus: null,
    strategy: 'S',
    enterTag: null,
    timeframe: 5,
    tradingMode: 'spot',
    amountPrecision: 0.001,
    pricePrecision: 0.01,
    precisionMode: 4,
    precisionModePrice: 4,
    contractSize: null,
    leverage: 1,
    isShort: false,
    liquidationPrice: null,
    interestRate: 0,
    fundingFees: null,
    recordVersion: 0,
    ...over,
  }
}

let nextId = 1
function order(side: 'buy' | 'sell', filled: number, average: number, over: Partial<OrderRow> = {}): OrderRow {
  return {
    id: nextId++,
    ftTradeId: 1,
    ftOrderSide: side,
    ftPair: 'ETH/USDT',
    ftIsOpen: false,
    ftAmount: filled,
    ftPrice: average,
    ftCancelReason: null,
    ftOrderTag: null,
    orderId: `o${nextId}`,
    status: 'closed',
    symbol: 'ETH/USDT',
    orderType: 'limit',
    side,
    price: average,
    average,
    amount: filled,
    filled,
    remaining: 0,
    cost: filled * average,
    stopPrice: null,
    orderDate: 0,
    orderFilledDate: 0,
    orderUpdateDate: 0,
    fundingFee: null,
    ftFeeBase: null,
    ...over,
  }
}

describe('LiveTrade money from its orders', () => {
  test('two entry fills average the open rate: 2 @ 100 + 1 @ 103 → 3 @ 101, stake 303, open value 303.303', () => {
    const t = new LiveTrade(tradeRow(), [order('buy', 2, 100), order('buy', 1, 103)])
    t.recalc()
    expect(t.row.amount).toBe(3)
    expect(t.row.openRate).toBeCloseTo(101, 12)
    expect(t.row.stakeAmount).toBe(303)
    expect(t.row.openTradeValue).toBe(303.303)
    expect(t.row.maxStakeAmount).toBe(303)
    // entry fee 0.1 % of 303 paid in quote
    expect(t.row.feeOpenCost).toBe(0.303)
  })

  test('a single full exit: 3 @ 101 sold @ 110 → 329.67 − 303.303 = 26.367, ratio 26.367 / 303.303', () => {
    const t = new LiveTrade(tradeRow(), [order('buy', 3, 101), order('sell', 3, 110)])
    t.close(110, 1000, 'roi')
    expect(t.row.isOpen).toBe(false)
    expect(t.row.closeProfitAbs).toBe(26.367)
    expect(t.row.closeProfit!).toBeCloseTo(26.367 / 303.303, 12)
    expect(t.row.realizedProfit).toBe(26.367)
    expect(t.row.closeRate).toBe(110)
    expect(t.row.exitReason).toBe('roi')
  })

  test('a partial exit realises its share; the final exit closes with the sum (8.789 − 12.392 = −3.603)', () => {
    const buys = [order('buy', 2, 100), order('buy', 1, 103)]
    const first = order('sell', 1, 110)
    const t = new LiveTrade(tradeRow(), [...buys, first])
    const { realized, held } = t.recalc()
    // 1 × 110 × 0.999 − 1 × 101 × 1.001 = 109.89 − 101.101
    expect(realized).toBe(8.789)
    expect(held).toBe(2)
    expect(t.row.amount).toBe(2)
    expect(t.row.realizedProfit).toBe(8.789)
    t.orders.push(order('sell', 2, 95))
    t.close(95, 2000, 'stop_loss')
    // 2 × 95 × 0.999 − 2 × 101 × 1.001 = 189.81 − 202.202 = −12.392
    expect(t.row.closeProfitAbs).toBe(-3.603)
    // over the entry value incl. fees: 2 × 100 × 1.001 + 1 × 103 × 1.001 = 303.303
    expect(t.row.closeProfit!).toBeCloseTo(-3.603 / 303.303, 12)
  })

  test('a fee paid in the base currency reduces the amount held: 1 ETH bought, 0.001 ETH fee → 0.999', () => {
    const t = new LiveTrade(tradeRow({ amount: 1 }), [order('buy', 1, 100, { ftFeeBase: 0.001 })])
    t.recalc()
    expect(t.row.amount).toBe(0.999)
    expect(t.row.feeOpenCost).toBe(0.1)
    expect(t.row.stakeAmount).toBe(99.9)
  })

  test('applyOrderInfo records fills, the average and a base-currency fee with its rate', () => {
    const o = order('buy', 0, 100, { status: 'open', ftIsOpen: true, average: null, filled: 0, cost: 0 })
    const { changed, feeRate } = applyOrderInfo(
      o,
      {
        id: '42',
        pair: 'ETH/USDT',
        status: 'closed',
        type: 'limit',
        side: 'buy',
        price: 100,
        amount: 2,
        filled: 2,
        remaining: 0,
        cost: 199,
        fee: { cost: 0.002, currency: 'ETH' },
        timestamp: 5,
        lastTradeTimestamp: 9,
      },
      'ETH',
      10,
    )
    expect(changed).toBe(true)
    expect(o.average).toBe(99.5)
    expect(o.ftFeeBase).toBe(0.002)
    expect(feeRate).toBe(0.001)
    expect(o.ftIsOpen).toBe(false)
    expect(o.orderFilledDate).toBe(9)
    expect(o.orderId).toBe('42')
  })
})
