import type { LoadPairHistoryOptions } from '../data/readPair.ts'
import { loadPairCandlesSync } from '../data/readPair.ts'
import { Frame } from '../frame/frame.ts'
import type { InformativeFrames } from './strategy.ts'

/**
 * Where a backtest's informative candles are read from: the data directory and the span of the analysed candles
 * (startup candles included), so that merged indicators warm up alike.
 */
export type InformativeSource = Pick<
  LoadPairHistoryOptions,
  'datadir' | 'format' | 'candleType' | 'timerange' | 'cacheDir'
> & {
  /** Tells one backtest's reads from the next one's, so that a later run reads the files again. */
  run?: string
}

/**
 * Informative frames of a backtest, read from the data directory when the strategy first asks for them (freqtrade's
 * DataProvider reads them the same way in backtesting: any pair and timeframe, not only those of
 * `informativePairs()`), then kept for the other pairs analysed on this thread. Gaps are filled as for the analysed
 * candles. A pair without stored candles fails the analysis with the data error (naming pair, timeframe and folder).
 */
export class StoredInformative implements InformativeFrames {
  private readonly frames = new Map<string, Frame>()
  private bytes = 0
  /** Buffers of the frames held: not to be recycled, whatever columns a strategy made of them. */
  readonly buffers = new Set<ArrayBufferLike>()

  constructor(
    readonly source: InformativeSource,
    private readonly maxBytes = INFORMATIVE_CACHE_BYTES,
  ) {}

  get(key: string): Frame | undefined {
    let frame = this.frames.get(key)
    if (frame !== undefined) return frame
    const cut = key.lastIndexOf('|')
    if (cut < 0) return undefined
    const { run: _run, ...where } = this.source
    const { candles } = loadPairCandlesSync({
      ...where,
      pair: key.slice(0, cut),
      timeframe: key.slice(cut + 1),
      fillMissing: true,
    })
    frame = Frame.fromOhlcv(candles)
    this.hold(key, frame)
    return frame
  }

  /**
   * Keeps a frame read, forgetting the oldest ones beyond `maxBytes` (a strategy reading a same-
   * timeframe informative frame of its own pair would otherwise keep all pairs' candles twice). A forgotten frame is
   * read again when asked for; its buffers stay with whatever columns the pairs analysed before made of them.
   */
  private hold(key: string, frame: Frame): void {
    this.frames.set(key, frame)
    for (const name of frame.columns()) this.buffers.add(frame.col(name).buffer)
    this.bytes += frameBytes(frame)
    for (const [old, f] of this.frames) {
      if (this.bytes <= this.maxBytes || old === key) break
      this.frames.delete(old)
      for (const name of f.columns()) this.buffers.delete(f.col(name).buffer)
      this.bytes -= frameBytes(f)
    }
  }

  keys(): Iterable<string> {
    return this.frames.keys()
  }
}

/** Informative candles kept per thread at most (older frames are read again when asked for). */
export const INFORMATIVE_CACHE_BYTES = 256 * 2 ** 20

const frameBytes = (f: Frame): number => f.columns().reduce((n, name) => n + f.col(name).byteLength, 0)

let current: { id: string; frames: StoredInformative } | undefined

/**
 * The informative frames of `source` on this thread: the same object for every pair of one backtest (the frames
 * are read once per thread), a new one when another backtest's source (or run) comes.
 */
export function storedInformative(source: InformativeSource): StoredInformative {
  const id = JSON.stringify(source)
  if (current?.id !== id) current = { id, frames: new StoredInformative(source) }
  return current.frames
}

/** Lets go of the informative frames of `source` on this thread (a backtest done analysing). */
export function forgetStoredInformative(source: InformativeSource): void {
  if (current?.id === JSON.stringify(source)) current = undefined
}
