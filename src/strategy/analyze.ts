import { Frame } from '../frame/frame.ts'
import {
  type InformativeFrames,
  type PairMeta,
  type PopulateResult,
  type Strategy,
  withInformative,
} from './strategy.ts'
import { attachTagDictionaries, tagDictionaries } from './tags.ts'

/** A strategy failed on one pair: it threw, or left the frame without valid signal columns. */
export class AnalysisError extends Error {
  override name = 'AnalysisError'

  constructor(
    readonly strategy: string,
    readonly pair: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`strategy ${strategy} failed on ${pair}: ${problem}`, options)
  }
}

/** Columns every analyzed frame must carry, one value per candle. */
export const SIGNAL_COLUMNS = ['enter_long', 'exit_long'] as const

const STEPS = ['populateIndicators', 'populateEntryTrend', 'populateExitTrend'] as const

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Runs a strategy over one pair's candles: indicators, entry signals, exit signals. Informative frames are keyed by
 * `informativeKey(pair, timeframe)` and reachable from the strategy through `this.informative(pair, tf)`.
 *
 * The given frame is worked on in place (and returned, unless a populate method returned a replacement). Throws an
 * AnalysisError naming strategy, pair and problem when the strategy throws, returns something that is not a frame of
 * the same length, changes the candles' last date or close, or does not set `enter_long` / `exit_long`.
 */
export function analyze(
  strategy: Strategy,
  frame: Frame,
  meta: PairMeta,
  informative: InformativeFrames = new Map(),
): Frame {
  const name = strategy.constructor.name
  const fail = (problem: string, cause?: unknown) => new AnalysisError(name, meta.pair, problem, { cause })
  const n = frame.length
  const lastDate = n > 0 && frame.has('date') ? frame.col('date')[n - 1] : undefined
  const lastClose = n > 0 && frame.has('close') ? frame.col('close')[n - 1] : undefined

  let df = frame
  withInformative(strategy, informative, () => {
    for (const step of STEPS) {
      let out: PopulateResult
      try {
        out = strategy[step](df, meta)
      } catch (err) {
        throw fail(`${step} threw: ${describe(err)}`, err)
      }
      if (out === undefined || out === df) continue
      if (!(out instanceof Frame)) throw fail(`${step} returned ${typeof out}, expected a Frame or nothing`)
      if (out.length !== n) throw fail(`${step} returned a frame of length ${out.length}, the candles have ${n}`)
      // A replacement frame (e.g. from mergeInformative) keeps the tag dictionaries set so far.
      if (Object.keys(tagDictionaries(out)).length === 0) attachTagDictionaries(out, tagDictionaries(df))
      df = out
    }
  })

  // Frame.set refuses columns of another length, so a present column always has one value per candle.
  for (const col of SIGNAL_COLUMNS) {
    if (!df.has(col)) throw fail(`the analyzed frame has no '${col}' column (set it in populate*Trend)`)
  }
  if (lastDate !== undefined && !Object.is(df.has('date') ? df.col('date')[n - 1] : undefined, lastDate)) {
    throw fail('the last candle date changed during analysis')
  }
  if (lastClose !== undefined && !Object.is(df.has('close') ? df.col('close')[n - 1] : undefined, lastClose)) {
    throw fail('the last close price changed during analysis')
  }
  return df
}
