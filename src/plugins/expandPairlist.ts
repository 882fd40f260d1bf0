/**
 * Expands wildcard/regex entries (`.*∕BTC`, `BTC/.*`, `ETH/USDT`) against the available pairs, as freqtrade's
 * `expand_pairlist`: each entry is a case-insensitive regex that must match a whole pair name.
 * With `keepInvalid`, an entry that matches nothing is kept when it is a plain pair name (it may be listed later).
 * Throws `Wildcard error in <entry>, <reason>` for an entry that is not a valid regex.
 */
export function expandPairlist(wildcards: string[], availablePairs: Iterable<string>, keepInvalid = false): string[] {
  const available = [...availablePairs]
  const out: string[] = []
  const seen = new Set<string>()
  const push = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p)
      out.push(p)
    }
  }
  for (const wc of wildcards) {
    const re = compileWildcard(wc)
    const matched = available.filter((p) => re.test(p))
    if (matched.length > 0) for (const p of matched) push(p)
    else if (keepInvalid && /^[A-Za-z0-9:/-]+$/.test(wc)) push(wc)
  }
  return out
}

/** The regex of one entry, anchored on both ends; throws a message naming the entry. */
export function compileWildcard(entry: string): RegExp {
  try {
    return new RegExp(`^(?:${entry})$`, 'i')
  } catch (err) {
    throw new Error(`Wildcard error in ${entry}, ${(err as Error).message}`)
  }
}
