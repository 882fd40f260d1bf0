/**
 * Whole-array technical indicators on Float64Array. Every function returns arrays of the input's length with NaN
 * exactly on TA-Lib's warm-up rows (its lookback), and uses TA-Lib's definitions, seeding and default parameters;
 * VWAP and Heikin-Ashi follow freqtrade's qtpylib instead, as TA-Lib has neither.
 *
 * All of them are own implementations. The npm packages on offer either bind the native TA-Lib library (a C build
 * step, no Float64Array in and out) or re-implement the indicators with other conventions: Tulip-style EMA seeded with
 * the first value, RSI and ATR seeded differently, MACD without TA-Lib's alignment of the fast EMA, sample instead of
 * population deviation, and per-element number[] or object outputs. Matching TA-Lib to 1e-9 is checked against
 * independently computed reference values (test/fixtures/indicators).
 */
export { ema, sma, tema, wma } from './averages.ts'
export { heikinAshi } from './candles.ts'
export { cci, mfi, rsi, stoch, stochf } from './oscillators.ts'
export { adx, macd, minusDi, plusDi, sar, trueRangeAt } from './trend.ts'
export { atr, bollinger, trueRange } from './volatility.ts'
export { obv, rollingVwap, vwap } from './volume.ts'
