import { HttpError } from '../api/errors.ts'
import type { DataFrameResponse, PairCandlesRequest, PairHistoryRequest } from '../api/schemas/candles.ts'
import type { Config } from '../config/schema.ts'
import {
  type CandleType,
  candleCacheDir,
  configDatadir,
  DataFileError,
  loadPairHistory,
  NoDataError,
  parseTimerange,
  type TimeRange,
} from '../data/index.ts'
import { Frame } from '../frame/frame.ts'
import { lowerBound } from '../frame/ohlcv.ts'
import { analyze, informativeKey, startStrategy } from '../strategy/index.ts'
import { clock } from '../util/clock.ts'
import { timeframeToMs } from '../util/dates.ts'
import { dataFrameResponse } from './dataframe.ts'
import { loadStrategyOr502 } from './strategies.ts'

/** The engine's latest analysed frame of one pair/timeframe and when it was analysed. */
export interface AnalyzedFrame {
  frame: Frame
  /** ms UTC of the analysis. */
  lastAnalyzedMs: number
}

/** What the live engine offers `/pair_candles`: its newest analysed frame per pair, if it has one. */
export interface AnalyzedFrameSource {
  analyzed(pair: string, timeframe: string): AnalyzedFrame | undefined
}

/** The running bot, as far as `/pair_candles` reads it. */
export interface CandleBot {
  readonly strategyName: string | undefined
  readonly analyzedFrames?: AnalyzedFrameSource
}

/**
 * `/pair_candles`: the bot's analysed frame for the pair, its newest `limit` rows when `limit` > 0. A pair the engine
 * has not analysed gives an empty frame with status 200 (§14.5).
 */
export function pairCandles(config: Config, bot: CandleBot, req: PairCandlesRequest): DataFrameResponse {
  const strategy = bot.strategyName ?? config.strategy ?? ''
  const hit = bot.analyzedFrames?.analyzed(req.pair, req.timeframe)
  const base = { strategy, pair: req.pair, timeframe: req.timeframe, columns: req.columns }
  if (!hit) return dataFrameResponse({ ...base, frame: undefined, lastAnalyzedMs: 0 })
  const n = hit.frame.length
  const limit = req.limit ?? 0
  const start = limit > 0 ? Math.max(0, n - limit) : 0
  return dataFrameResponse({ ...base, frame: hit.frame, rows: { start, end: n }, lastAnalyzedMs: hit.lastAnalyzedMs })
}

/** The default candle type of the trading mode, as freqtrade's `CandleType.get_default`. */
export function defaultCandleType(config: Config): CandleType {
  return config.trading_mode === 'futures' ? 'futures' : 'spot'
}

/**
 * `/pair_history`: stored candles of the pair for the timerange plus the strategy's startup candles before it,
 * analysed by the named strategy and cut back to the timerange (both ends inclusive). Every failure is a 502 with
 * its text (§11.3).
 */
export async function pairHistory(config: Config, req: PairHistoryRequest): Promise<DataFrameResponse> {
  const { pair, timeframe } = req
  const strategy = await loadStrategyOr502(config, req.strategy)
  // the requested timeframe wins over the strategy's, as freqtrade puts it into the strategy's config
  strategy.timeframe = timeframe
  startStrategy(strategy)
  let range: TimeRange
  try {
    range = req.timerange ? parseTimerange(req.timerange) : {}
  } catch (err) {
    throw new HttpError(502, (err as Error).message)
  }
  const datadir = configDatadir(config)
  const cacheDir = candleCacheDir(config)
  const candleType = defaultCandleType(config)
  const startup = strategy.startupCandleCount
  const load = async (p: string, tf: string, r: TimeRange, startupCandles: number) => {
    const noData = new HttpError(502, `No data for ${p}, ${tf} in ${req.timerange || 'any timerange'} found.`)
    try {
      const candles = await loadPairHistory({
        datadir,
        cacheDir,
        pair: p,
        timeframe: tf,
        timerange: r,
        startupCandles,
        fillMissing: true,
        candleType,
        format: config.dataformat_ohlcv,
      })
      if (candles.date.length === 0) throw noData
      return candles
    } catch (err) {
      if (err instanceof NoDataError) throw noData
      if (err instanceof DataFileError) throw new HttpError(502, err.message)
      throw err
    }
  }

  const frame = Frame.fromOhlcv(await load(pair, timeframe, range, startup))
  // informative candles cover the same span, startup included, so merged indicators warm up alike
  const warmupStart = range.startMs === undefined ? undefined : range.startMs - startup * timeframeToMs(timeframe)
  const informative = new Map<string, Frame>()
  for (const [p, tf] of strategy.informativePairs([pair])) {
    const key = informativeKey(p, tf)
    if (informative.has(key)) continue
    informative.set(key, Frame.fromOhlcv(await load(p, tf, { startMs: warmupStart, endMs: range.endMs }, 0)))
  }

  let analyzed: Frame
  try {
    analyzed = analyze(strategy, frame, { pair, timeframe }, informative)
  } catch (err) {
    throw new HttpError(502, (err as Error).message)
  }
  const dates = analyzed.col('date')
  const start = range.startMs === undefined ? 0 : lowerBound(dates, range.startMs)
  const end = range.endMs === undefined ? dates.length : lowerBound(dates, range.endMs + 1)
  return dataFrameResponse({
    strategy: req.strategy,
    pair,
    timeframe,
    frame: analyzed,
    rows: { start, end: Math.max(start, end) },
    columns: req.columns,
    lastAnalyzedMs: clock.now(),
  })
}
