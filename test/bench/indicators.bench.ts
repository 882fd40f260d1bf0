// Indicator throughput: each indicator over 100 series of 100,000 candles, one line per indicator in M values/s.
// Run: bun run test/bench/indicators.bench.ts
import { atr, ema, macd, rsi, sma } from '../../src/indicators/index.ts'

const SERIES = 100
const LENGTH = 100_000

// A deterministic random walk (LCG), so every run measures the same data.
let state = 12345
const next = () => {
  state = (Math.imul(1664525, state) + 1013904223) >>> 0
  return state / 2 ** 32
}
const high = new Float64Array(LENGTH)
const low = new Float64Array(LENGTH)
const close = new Float64Array(LENGTH)
let price = 100
for (let i = 0; i < LENGTH; i++) {
  price *= 1 + 0.02 * (next() - 0.5)
  close[i] = price
  high[i] = price + next()
  low[i] = price - next()
}

const cases: [string, () => unknown][] = [
  ['sma(30)', () => sma(close, 30)],
  ['ema(30)', () => ema(close, 30)],
  ['rsi(14)', () => rsi(close, 14)],
  ['macd(12,26,9)', () => macd(close)],
  ['atr(14)', () => atr(high, low, close, 14)],
]

let sink = 0
for (const [name, run] of cases) {
  for (let i = 0; i < 5; i++) run() // warm up the JIT
  const t0 = Bun.nanoseconds()
  for (let i = 0; i < SERIES; i++) if (run() !== undefined) sink++
  const seconds = (Bun.nanoseconds() - t0) / 1e9
  const mps = (SERIES * LENGTH) / seconds / 1e6
  console.log(
    `${name.padEnd(14)} ${mps.toFixed(1).padStart(8)} M values/s  (${SERIES} x ${LENGTH} in ${seconds.toFixed(3)} s)`,
  )
}
if (sink < 0) console.log(sink)
