import { expect, test } from 'bun:test'
import { entryConfirmed, exitConfirmed } from '../../../../src/engine/rules/index.ts'
import type {
  ConfirmTradeEntryContext,
  ConfirmTradeExitContext,
  TradeView,
} from '../../../../src/strategy/callbacks.ts'
import { Strategy } from '../../../../src/strategy/strategy.ts'

class Asking extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  readonly entries: ConfirmTradeEntryContext[] = []
  readonly exits: ConfirmTradeExitContext[] = []
  answer = true
  populateIndicators(): void {}
  populateEntryTrend(): void {}
  populateExitTrend(): void {}
  override confirmTradeEntry(ctx: ConfirmTradeEntryContext): boolean {
    this.entries.push(ctx)
    return this.answer
  }
  override confirmTradeExit(ctx: ConfirmTradeExitContext): boolean {
    this.exits.push(ctx)
    return this.answer
  }
}

const order = { pair: 'A/USDT', nowMs: 1_000, orderType: 'limit' as const, amount: 2, rate: 50 }

test('both engines ask alike: GTC long orders, true without a callback, only false refuses', () => {
  expect(entryConfirmed(undefined, { ...order, entryTag: 'x' })).toBe(true)
  const s = new Asking()
  expect(entryConfirmed(s, { ...order, entryTag: 'x' })).toBe(true)
  expect(s.entries[0]).toEqual({ ...order, entryTag: 'x', timeInForce: 'GTC', side: 'long' })
  const trade = { id: 7 } as TradeView
  expect(exitConfirmed(s, { ...order, trade, exitReason: 'roi' })).toBe(true)
  expect(s.exits[0]).toEqual({ ...order, trade, exitReason: 'roi', timeInForce: 'GTC' })
  s.answer = false
  expect(entryConfirmed(s, { ...order, entryTag: undefined })).toBe(false)
  expect(exitConfirmed(s, { ...order, trade, exitReason: 'roi' })).toBe(false)
})
