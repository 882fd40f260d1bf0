import type { Frame } from '../src/frame/frame.ts'
import { crossedAbove, crossedBelow, mergeInformative } from '../src/frame/ops.ts'
import { ema } from '../src/indicators/index.ts'
import { type InformativePair, type PairMeta, type PlotConfig, Strategy, TagColumn } from '../src/strategy/index.ts'

/**
 * 5m EMA(9)/EMA(21) crosses, taken only while the pair's close is above its 1h EMA(50): the 1h trend filters the
 * faster signal. The 1h candles come in through informativePairs() and are merged without look-ahead.
 */
export default class InformativeTrend extends Strategy {
  timeframe = '5m'
  stoploss = -0.06
  override minimalRoi = { 0: 0.05, 60: 0.025, 240: 0 }
  override startupCandleCount = 50 * 12
  readonly informativeTimeframe = '1h'
  override plotConfig: PlotConfig = {
    main_plot: { ema_fast: { color: 'orange' }, ema_slow: { color: 'blue' }, ema_trend_1h: { color: 'red' } },
  }

  override informativePairs(whitelist: readonly string[] = []): InformativePair[] {
    return whitelist.map((pair) => [pair, this.informativeTimeframe])
  }

  populateIndicators(df: Frame, meta: PairMeta): void {
    const close = df.col('close')
    df.set('ema_fast', ema(close, 9))
    df.set('ema_slow', ema(close, 21))

    const hourly = this.informative(meta.pair, this.informativeTimeframe)
    hourly.set('ema_trend', ema(hourly.col('close'), 50))
    const merged = mergeInformative(df, hourly, meta.timeframe, this.informativeTimeframe)
    df.set('ema_trend_1h', merged.col('ema_trend_1h'))
    df.set('close_1h', merged.col('close_1h'))
  }

  populateEntryTrend(df: Frame, _meta: PairMeta): void {
    const cross = crossedAbove(df.col('ema_fast'), df.col('ema_slow'))
    const close1h = df.col('close_1h')
    const trend = df.col('ema_trend_1h')
    const volume = df.col('volume')
    const enter = new Float64Array(df.length)
    for (let i = 0; i < enter.length; i++) enter[i] = cross[i] && close1h[i] > trend[i] && volume[i] > 0 ? 1 : 0
    df.set('enter_long', enter)
    TagColumn.of(df, 'enter_tag').fill(enter, 'cross_in_1h_uptrend')
  }

  populateExitTrend(df: Frame, _meta: PairMeta): void {
    const cross = crossedBelow(df.col('ema_fast'), df.col('ema_slow'))
    const close1h = df.col('close_1h')
    const trend = df.col('ema_trend_1h')
    const exit = new Float64Array(df.length)
    const tags = TagColumn.of(df, 'exit_tag')
    for (let i = 0; i < exit.length; i++) {
      if (close1h[i] < trend[i]) {
        exit[i] = 1
        tags.set(i, 'lost_1h_trend')
      } else if (cross[i]) {
        exit[i] = 1
        tags.set(i, 'cross_down')
      }
    }
    df.set('exit_long', exit)
  }
}
