import type { Frame } from '../src/frame/frame.ts'
import { bollinger, rsi } from '../src/indicators/index.ts'
import {
  type CustomStoplossContext,
  type PairMeta,
  type PlotConfig,
  Strategy,
  TagColumn,
} from '../src/strategy/index.ts'

/**
 * Mean reversion: buys an oversold close below the lower Bollinger band (20, 2) with RSI(14) under 30, sells at the
 * middle band or when RSI runs over 70. Once in profit the stop is pulled up behind the price.
 */
export default class RsiBollinger extends Strategy {
  timeframe = '5m'
  stoploss = -0.08
  override minimalRoi = { 0: 0.06, 60: 0.03, 180: 0.01 }
  override startupCandleCount = 20
  override useCustomStoploss = true
  override plotConfig: PlotConfig = {
    main_plot: {
      bb_upper: { color: 'grey' },
      bb_middle: { color: 'orange' },
      bb_lower: { color: 'grey', fill_to: 'bb_upper' },
    },
    subplots: { RSI: { rsi: { color: 'purple' } } },
  }

  populateIndicators(df: Frame, _meta: PairMeta): void {
    const close = df.col('close')
    df.set('rsi', rsi(close, 14))
    const bb = bollinger(close, 20, 2, 2)
    df.set('bb_upper', bb.upper)
    df.set('bb_middle', bb.middle)
    df.set('bb_lower', bb.lower)
  }

  populateEntryTrend(df: Frame, _meta: PairMeta): void {
    const close = df.col('close')
    const r = df.col('rsi')
    const lower = df.col('bb_lower')
    const volume = df.col('volume')
    const enter = new Float64Array(df.length)
    for (let i = 0; i < enter.length; i++) enter[i] = r[i] < 30 && close[i] < lower[i] && volume[i] > 0 ? 1 : 0
    df.set('enter_long', enter)
    TagColumn.of(df, 'enter_tag').fill(enter, 'rsi_bb_oversold')
  }

  populateExitTrend(df: Frame, _meta: PairMeta): void {
    const close = df.col('close')
    const r = df.col('rsi')
    const middle = df.col('bb_middle')
    const exit = new Float64Array(df.length)
    const tags = TagColumn.of(df, 'exit_tag')
    for (let i = 0; i < exit.length; i++) {
      if (r[i] > 70) {
        exit[i] = 1
        tags.set(i, 'rsi_overbought')
      } else if (close[i] > middle[i]) {
        exit[i] = 1
        tags.set(i, 'bb_middle')
      }
    }
    df.set('exit_long', exit)
  }

  /** Below +2% keep the stoploss; from +2% trail 3% behind the price, from +5% trail 1.5%. */
  override customStoploss(ctx: CustomStoplossContext): number | undefined {
    if (ctx.currentProfit >= 0.05) return -0.015
    if (ctx.currentProfit >= 0.02) return -0.03
    return undefined
  }
}
