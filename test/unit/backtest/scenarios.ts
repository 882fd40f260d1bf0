import type { PairInput, SimulationOptions } from '../../../src/backtest/simulate.ts'
import type { StrategySettings } from '../../../src/strategy/settings.ts'

/** 2024-01-01 00:00 UTC; candle i opens at T0 + i × 5 min. */
export const T0 = Date.UTC(2024, 0, 1)
export const M5 = 300_000
export const at = (i: number) => T0 + i * M5

/** One candle: [open, high, low, close], optional signals of that candle. */
export interface Bar {
  o: number
  h: number
  l: number
  c: number
  enter?: 1
  exit?: 1
  exitTag?: string
}

export const flat = (p: number, extra: Partial<Bar> = {}): Bar => ({ o: p, h: p, l: p, c: p, ...extra })

/** A pair's simulation input from candles (no precision unless given). */
export function pairInput(pair: string, bars: Bar[], market: PairInput['market'] = { limits: {} }): PairInput {
  const n = bars.length
  const col = (f: (b: Bar) => number) => Float64Array.from(bars.map(f))
  const exitTags = [...new Set(bars.flatMap((b) => (b.exitTag ? [b.exitTag] : [])))]
  return {
    pair,
    date: Float64Array.from({ length: n }, (_, i) => at(i)),
    open: col((b) => b.o),
    high: col((b) => b.h),
    low: col((b) => b.l),
    close: col((b) => b.c),
    enter: Uint8Array.from(bars, (b) => b.enter ?? 0),
    exit: Uint8Array.from(bars, (b) => b.exit ?? 0),
    exitTag: Int32Array.from(bars, (b) => (b.exitTag ? exitTags.indexOf(b.exitTag) : -1)),
    exitTagNames: exitTags,
    market,
  }
}

export function settings(s: Partial<StrategySettings> = {}): StrategySettings {
  return {
    timeframe: '5m',
    minimalRoi: {},
    stoploss: -0.1,
    trailingStop: false,
    trailingStopPositive: undefined,
    trailingStopPositiveOffset: 0,
    trailingOnlyOffsetIsReached: false,
    useExitSignal: true,
    exitProfitOnly: false,
    ignoreRoiIfEntrySignal: false,
    useCustomStoploss: false,
    orderTypes: {
      entry: 'limit',
      exit: 'limit',
      stoploss: 'limit',
      stoploss_on_exchange: false,
      stoploss_on_exchange_interval: 60,
    },
    startupCandleCount: 0,
    processOnlyNewCandles: true,
    positionAdjustmentEnable: false,
    maxEntryPositionAdjustment: -1,
    ...s,
  }
}

/** Options for pairs of equal length: stake 100 of 1000, 3 slots, no fee. */
export function options(pairs: PairInput[], o: Partial<SimulationOptions> = {}): SimulationOptions {
  const n = pairs[0].date.length
  return {
    settings: settings(),
    stakeAmount: 100,
    maxOpenTrades: 3,
    startingBalance: 1000,
    tradableBalanceRatio: 0.99,
    fee: 0,
    timeframeMs: M5,
    startMs: at(0),
    endMs: at(n - 1),
    ...o,
  }
}
