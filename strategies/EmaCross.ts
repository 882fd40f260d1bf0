import type { Frame } from '../src/frame/frame.ts'
import { crossedAbove, crossedBelow } from '../src/frame/ops.ts'
import { ema } from '../src/indicators/index.ts'
import { type PairMeta, type PlotConfig, Strategy, TagColumn } from '../src/strategy/index.ts'

/** Enters when EMA(12) crosses above EMA(26) on a candle that traded, exits when it crosses back down. */
export default class EmaCross extends Strategy {
  timeframe = '5m'
  stoploss = -0.05
  override minimalRoi = { 0: 0.04, 30: 0.02 }
  override startupCandleCount = 30
  override plotConfig: PlotConfig = {
    main_plot: { ema_fast: { color: 'orange' }, ema_slow: { color: 'blue' } },
  }

  override version(): string {
    return '1'
  }

  populateIndicators(df: Frame, _meta: PairMeta): void {
    const close = df.col('close')
    df.set('ema_fast', ema(close, 12))
    df.set('ema_slow', ema(close, 26))
  }

  populateEntryTrend(df: Frame, _meta: PairMeta): void {
    const up = crossedAbove(df.col('ema_fast'), df.col('ema_slow'))
    const volume = df.col('volume')
    // Only candles that traded: an empty candle's close is a copy of the previous one.
    for (let i = 0; i < up.length; i++) if (!(volume[i] > 0)) up[i] = 0
    df.set('enter_long', up)
    TagColumn.of(df, 'enter_tag').fill(up, 'ema_cross_up')
  }

  populateExitTrend(df: Frame, _meta: PairMeta): void {
    const down = crossedBelow(df.col('ema_fast'), df.col('ema_slow'))
    df.set('exit_long', down)
    TagColumn.of(df, 'exit_tag').fill(down, 'ema_cross_down')
  }
}
