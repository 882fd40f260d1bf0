/** Python's `str(timedelta(seconds=s))` for whole seconds ≥ 0: `H:MM:SS` or `N day(s), H:MM:SS`. */
export function timedeltaText(seconds: number): string {
  const s = Math.floor(seconds)
  const days = Math.floor(s / 86_400)
  const rest = s - days * 86_400
  const h = Math.floor(rest / 3600)
  const m = Math.floor((rest % 3600) / 60)
  const sec = rest % 60
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
  return days === 0 ? hms : `${days} day${days === 1 ? '' : 's'}, ${hms}`
}

/** Python's `round(x)`: to the nearest whole number, ties to even. */
export function pyRound(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r
}

/** Python's `round(x, n)` on a float (ties on exact binary halves are vanishingly rare). */
export function roundN(x: number, n: number): number {
  return Number.isFinite(x) ? Number(x.toFixed(n)) : x
}

/** Sum in order, as pandas/Python add. */
export function sum(values: Iterable<number>): number {
  let s = 0
  if (isArrayLike(values)) {
    // indexed: iterating a typed array through its iterator is several times slower
    for (let i = 0; i < values.length; i++) s += values[i]
  } else for (const v of values) s += v
  return s
}

function isArrayLike(values: Iterable<number>): values is Iterable<number> & ArrayLike<number> {
  return Array.isArray(values) || ArrayBuffer.isView(values)
}

/** Mean, 0 for none. */
export function mean(values: ArrayLike<number> & Iterable<number>): number {
  return values.length === 0 ? 0 : sum(values) / values.length
}

/** Median (pandas: mean of the two middle values), 0 for none. */
export function median(values: ArrayLike<number> & Iterable<number>): number {
  if (values.length === 0) return 0
  // a typed-array sort is numeric and native; a NaN or a zero in the middle (where −0 and 0 may have swapped places)
  // take the generic sort so that the result is the same value, sign included
  const s = Float64Array.from(values).sort()
  const mid = s.length >> 1
  const odd = s.length % 2 === 1
  if (Number.isNaN(s[s.length - 1]) || s[mid] === 0 || (!odd && s[mid - 1] === 0)) {
    const g = Array.from(values).sort((a, b) => a - b)
    return odd ? g[mid] : (g[mid - 1] + g[mid]) / 2
  }
  return odd ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Population standard deviation (numpy's `np.std`); NaN for none. */
export function stdPop(values: ArrayLike<number> & Iterable<number>): number {
  if (values.length === 0) return Number.NaN
  const m = mean(values)
  let acc = 0
  for (let i = 0; i < values.length; i++) acc += (values[i] - m) ** 2
  return Math.sqrt(acc / values.length)
}

/** Sample standard deviation (pandas' `Series.std`); NaN for fewer than two. */
export function stdSample(values: ArrayLike<number> & Iterable<number>): number {
  if (values.length < 2) return Number.NaN
  const m = mean(values)
  let acc = 0
  for (let i = 0; i < values.length; i++) acc += (values[i] - m) ** 2
  return Math.sqrt(acc / (values.length - 1))
}
