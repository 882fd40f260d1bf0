import { describe, expect, test } from 'bun:test'
import { Frame } from '../../../src/frame/frame.ts'
import { AnalysisError, analyze, informativeKey, type PairMeta, Strategy } from '../../../src/strategy/index.ts'
import { makeCandles } from './candles.ts'

const meta: PairMeta = { pair: 'ETH/USDT', timeframe: '5m' }

/** A strategy whose three steps are given by the test. */
class Scripted extends Strategy {
  timeframe = '5m'
  stoploss = -0.1
  constructor(
    private readonly steps: {
      indicators?: (df: Frame, s: Scripted) => Frame | undefined
      entry?: (df: Frame) => void
      exit?: (df: Frame) => void
    },
  ) {
    super()
  }
  populateIndicators(df: Frame) {
    return this.steps.indicators?.(df, this)
  }
  populateEntryTrend(df: Frame) {
    if (this.steps.entry) this.steps.entry(df)
    else df.set('enter_long', new Float64Array(df.length))
  }
  populateExitTrend(df: Frame) {
    if (this.steps.exit) this.steps.exit(df)
    else df.set('exit_long', new Float64Array(df.length))
  }
  /** The protected accessor, for the test. */
  inf(pair: string, tf: string): Frame {
    return this.informative(pair, tf)
  }
}

function analysisError(fn: () => unknown): AnalysisError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisError)
    return err as AnalysisError
  }
  throw new Error('expected an AnalysisError')
}

describe('analyze', () => {
  test('runs indicators, entries, exits in order on the given frame', () => {
    const order: string[] = []
    const s = new Scripted({
      indicators: (df) => {
        order.push('indicators')
        df.set('x', new Float64Array(df.length).fill(2))
        return undefined
      },
      entry: (df) => {
        order.push(`entry saw x=${df.col('x')[0]}`)
        df.set('enter_long', new Float64Array(df.length).fill(1))
      },
      exit: (df) => {
        order.push('exit')
        df.set('exit_long', new Float64Array(df.length))
      },
    })
    const df = makeCandles({ n: 10 })
    const out = analyze(s, df, meta)
    expect(out).toBe(df)
    expect(order).toEqual(['indicators', 'entry saw x=2', 'exit'])
    expect(out.col('enter_long')[9]).toBe(1)
  })

  test('a strategy that forgets enter_long or exit_long fails naming strategy, pair and column', () => {
    const noEntry = analysisError(() => analyze(new Scripted({ entry: () => {} }), makeCandles({ n: 10 }), meta))
    expect(noEntry.message).toBe(
      "strategy Scripted failed on ETH/USDT: the analyzed frame has no 'enter_long' column (set it in populate*Trend)",
    )
    expect(noEntry.strategy).toBe('Scripted')
    expect(noEntry.pair).toBe('ETH/USDT')
    const noExit = analysisError(() => analyze(new Scripted({ exit: () => {} }), makeCandles({ n: 10 }), meta))
    expect(noExit.problem).toContain("no 'exit_long' column")
  })

  test('a signal column of the wrong length fails the pair', () => {
    const s = new Scripted({ entry: (df) => df.set('enter_long', new Float64Array(df.length - 1)) })
    const err = analysisError(() => analyze(s, makeCandles({ n: 10 }), meta))
    expect(err.problem).toBe("populateEntryTrend threw: column 'enter_long' has length 9, the frame has length 10")
  })

  test('a throwing strategy fails with the step and the cause', () => {
    const boom = new Error('division by zero')
    const s = new Scripted({
      indicators: () => {
        throw boom
      },
    })
    const err = analysisError(() => analyze(s, makeCandles({ n: 10 }), meta))
    expect(err.problem).toBe('populateIndicators threw: division by zero')
    expect(err.cause).toBe(boom)
  })

  test('a replacement frame is used, but must keep the length and the candles', () => {
    const longer = new Scripted({ indicators: () => new Frame(11) })
    expect(analysisError(() => analyze(longer, makeCandles({ n: 10 }), meta)).problem).toBe(
      'populateIndicators returned a frame of length 11, the candles have 10',
    )
    const changed = new Scripted({
      indicators: (df) => {
        const out = new Frame(df.length)
        for (const c of df.columns()) out.set(c, df.col(c).slice())
        out.col('close')[df.length - 1] += 1
        return out
      },
    })
    expect(analysisError(() => analyze(changed, makeCandles({ n: 10 }), meta)).problem).toBe(
      'the last close price changed during analysis',
    )
    const ok = new Scripted({
      indicators: (df) => {
        const out = new Frame(df.length)
        for (const c of df.columns()) out.set(c, df.col(c).slice())
        out.set('extra', new Float64Array(df.length))
        return out
      },
    })
    const df = makeCandles({ n: 10 })
    const result = analyze(ok, df, meta)
    expect(result).not.toBe(df)
    expect(result.has('extra')).toBe(true)
  })

  test('informative frames are reachable during analysis only, as copies the strategy may extend', () => {
    const hourly = makeCandles({ n: 3, timeframe: '1h' })
    let seen: number | undefined
    const s = new Scripted({
      indicators: (_df, self) => {
        const inf = self.inf('BTC/USDT', '1h')
        seen = inf.col('close')[2]
        inf.set('mine', new Float64Array(3))
        expect(() => self.inf('BTC/USDT', '4h')).toThrow(
          'Scripted: no informative candles for BTC/USDT|4h (given: BTC/USDT|1h); list it in informativePairs()',
        )
        return undefined
      },
    })
    analyze(s, makeCandles({ n: 10 }), meta, new Map([[informativeKey('BTC/USDT', '1h'), hourly]]))
    expect(seen).toBe(hourly.col('close')[2])
    expect(hourly.has('mine')).toBe(false)
    expect(() => s.inf('BTC/USDT', '1h')).toThrow('only available during analysis')
  })
})
