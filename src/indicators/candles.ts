import { newColumn } from '../frame/columns.ts'
import { sameLength } from './internal.ts'

/**
 * Heikin-Ashi candles as qtpylib.heikinashi: close = (o+h+l+c)/4, open = (previous ha open + previous ha close)/2
 * starting from (o+c)/2 on the first row, high = max(h, ha open, ha close), low = min(l, ha open, ha close).
 */
export function heikinAshi(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
): { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array } {
  const n = sameLength('heikinAshi', open, high, low, close)
  const haOpen = newColumn(n)
  const haHigh = newColumn(n)
  const haLow = newColumn(n)
  const haClose = newColumn(n)
  for (let i = 0; i < n; i++) {
    const c = (open[i] + high[i] + low[i] + close[i]) / 4
    const o = i === 0 ? (open[0] + close[0]) / 2 : (haOpen[i - 1] + haClose[i - 1]) / 2
    haOpen[i] = o
    haClose[i] = c
    haHigh[i] = Math.max(high[i], o, c)
    haLow[i] = Math.min(low[i], o, c)
  }
  return { open: haOpen, high: haHigh, low: haLow, close: haClose }
}
