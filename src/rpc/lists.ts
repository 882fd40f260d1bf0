import type { Blacklist, Whitelist } from '../api/schemas/lists.ts'
import type { Config } from '../config/schema.ts'
import { expandPairlist } from '../plugins/expandPairlist.ts'

/** What the white- and blacklist views read of the bot. */
export interface PairListsView {
  readonly whitelist: string[]
  /** Mutable: `POST`/`DELETE /blacklist` change it in place until the next config reload. */
  readonly blacklist?: string[]
  /** The exchange's market symbols, when the engine knows them. */
  marketPairs?(): string[]
}

type Errors = Blacklist['errors']

const methods = (config: Config) => (config.pairlists ?? []).map((p) => p.method)

/** `/whitelist` (§10.1). */
export function whitelistView(bot: PairListsView, config: Config): Whitelist {
  return { whitelist: [...bot.whitelist], length: bot.whitelist.length, method: methods(config) }
}

/**
 * The pairs blacklist entries are expanded against: the exchange's markets when known, otherwise the pairs the bot
 * knows of (whitelist and the plain pair entries of the blacklist).
 */
function knownPairs(bot: PairListsView): string[] {
  if (bot.marketPairs) return bot.marketPairs()
  return [...new Set([...bot.whitelist, ...(bot.blacklist ?? []).filter((e) => /^[A-Za-z0-9:/-]+$/.test(e))])]
}

/** Each entry expanded on its own, so one broken entry does not hide the others. */
function expandEach(entries: string[], pairs: string[]): string[] {
  const out = new Set<string>()
  for (const entry of entries) {
    try {
      for (const p of expandPairlist([entry], pairs)) out.add(p)
    } catch {
      // an invalid pattern matches nothing
    }
  }
  return [...out]
}

/** `/blacklist` (§10.2) with the errors of the change that produced it. */
export function blacklistView(bot: PairListsView, config: Config, errors: Errors = {}): Blacklist {
  const list = bot.blacklist ?? []
  return {
    blacklist: [...list],
    blacklist_expanded: expandEach(list, knownPairs(bot)),
    length: list.length,
    method: methods(config),
    errors,
  }
}

/** `POST /blacklist` (§10.3): appends each new entry that is a valid pair or pattern; the rest go to `errors`. */
export function addToBlacklist(bot: PairListsView, config: Config, entries: string[]): Blacklist {
  const list = bot.blacklist
  const errors: Errors = {}
  if (list) {
    for (const entry of entries) {
      if (list.includes(entry)) {
        errors[entry] = { error_msg: `Pair ${entry} already in pairlist.` }
        continue
      }
      try {
        expandPairlist([entry], knownPairs(bot))
        list.push(entry)
      } catch {
        errors[entry] = { error_msg: `Pair ${entry} is not a valid wildcard.` }
      }
    }
  }
  return blacklistView(bot, config, errors)
}

/** `DELETE /blacklist` (§10.4): removes each listed entry; entries not in the blacklist go to `errors`. */
export function removeFromBlacklist(bot: PairListsView, config: Config, entries: string[]): Blacklist {
  const list = bot.blacklist
  const errors: Errors = {}
  for (const entry of entries) {
    const i = list ? list.indexOf(entry) : -1
    if (i < 0) errors[entry] = { error_msg: `Pair ${entry} is not in the current blacklist.` }
    else list?.splice(i, 1)
  }
  return blacklistView(bot, config, errors)
}
