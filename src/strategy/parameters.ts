/**
 * freqtrade's strategy parameters (`IntParameter`, `DecimalParameter`, `RealParameter`, `CategoricalParameter`,
 * `BooleanParameter`): a value a strategy reads as `this.buyRsi.value`, its default unless a parameter file
 * (`<StrategyFile>.json`, see `strategyParams.ts`) sets another. Tern has no hyperopt: the ranges only validate the
 * values given.
 */

/** The search spaces freqtrade groups parameters in (a parameter file has one object per space). */
export type ParameterSpace = 'buy' | 'sell' | 'protection'

interface ParameterOptions<T> {
  default: T
  space?: ParameterSpace
  /** freqtrade's `optimize` / `load`: whether hyperopt tunes it, whether a parameter file may set it. */
  optimize?: boolean
  load?: boolean
}

export abstract class StrategyParameter<T> {
  value: T
  readonly default: T
  readonly space: ParameterSpace | undefined
  readonly optimize: boolean
  readonly load: boolean

  constructor(opts: ParameterOptions<T>) {
    this.default = opts.default
    this.value = opts.default
    this.space = opts.space
    this.optimize = opts.optimize ?? true
    this.load = opts.load ?? true
  }

  /** Why `v` cannot be this parameter's value, or undefined when it can. */
  abstract problem(v: unknown): string | undefined

  /** Sets the value, or throws naming what is wrong with it. */
  set(v: unknown): void {
    const p = this.problem(v)
    if (p !== undefined) throw new RangeError(p)
    this.value = v as T
  }
}

abstract class RangeParameter extends StrategyParameter<number> {
  constructor(
    readonly low: number,
    readonly high: number,
    opts: ParameterOptions<number>,
  ) {
    super(opts)
    if (!(low <= high)) throw new RangeError(`a parameter's range needs low <= high, got ${low} .. ${high}`)
    const p = this.problem(opts.default)
    if (p !== undefined) throw new RangeError(`default: ${p}`)
  }

  problem(v: unknown): string | undefined {
    if (typeof v !== 'number' || !Number.isFinite(v)) return `expected a number, got ${JSON.stringify(v)}`
    if (v < this.low || v > this.high) return `${v} is outside ${this.low} .. ${this.high}`
    return undefined
  }
}

/** A whole number in [low, high]. */
export class IntParameter extends RangeParameter {
  override problem(v: unknown): string | undefined {
    if (typeof v === 'number' && !Number.isInteger(v)) return `expected a whole number, got ${v}`
    return super.problem(v)
  }
}

/** A number in [low, high] (freqtrade rounds it to `decimals` places, default 3). */
export class DecimalParameter extends RangeParameter {
  readonly decimals: number

  constructor(low: number, high: number, opts: ParameterOptions<number> & { decimals?: number }) {
    super(low, high, opts)
    this.decimals = opts.decimals ?? 3
    this.value = round(opts.default, this.decimals)
  }

  override set(v: unknown): void {
    super.set(v)
    this.value = round(this.value, this.decimals)
  }
}

/** A number in [low, high], not rounded. */
export class RealParameter extends RangeParameter {}

/** One of `categories` (default: the first). */
export class CategoricalParameter<T extends string | number | boolean> extends StrategyParameter<T> {
  constructor(
    readonly categories: readonly T[],
    opts: Partial<ParameterOptions<T>> = {},
  ) {
    if (categories.length === 0) throw new RangeError('a categorical parameter needs at least one category')
    super({ ...opts, default: opts.default ?? (categories[0] as T) })
    const p = this.problem(this.default)
    if (p !== undefined) throw new RangeError(`default: ${p}`)
  }

  problem(v: unknown): string | undefined {
    return this.categories.includes(v as T)
      ? undefined
      : `${JSON.stringify(v)} is not one of ${this.categories.map((c) => JSON.stringify(c)).join(', ')}`
  }
}

/** true or false. */
export class BooleanParameter extends StrategyParameter<boolean> {
  constructor(opts: Partial<ParameterOptions<boolean>> = {}) {
    super({ ...opts, default: opts.default ?? true })
  }

  problem(v: unknown): string | undefined {
    return typeof v === 'boolean' ? undefined : `expected true or false, got ${JSON.stringify(v)}`
  }
}

const round = (x: number, decimals: number): number => Number(x.toFixed(decimals))
