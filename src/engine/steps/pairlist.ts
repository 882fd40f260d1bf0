import type { PairlistDataSource, PairlistManager } from '../../plugins/pairlistManager.ts'
import type { Clock } from '../../util/clock.ts'
import type { Bot, IterationStep } from '../bot.ts'

/**
 * Refreshes the whitelist through the pairlist plugins: at the first iteration, every `refreshMs` of clock time, and
 * whenever the blacklist changed (the API edits `bot.blacklist` in place). A failing chain keeps the last whitelist.
 */
export class PairlistStep implements IterationStep {
  readonly name = 'refresh pairlist'
  private lastMs = Number.NEGATIVE_INFINITY
  private lastBlacklist = ''

  constructor(
    private readonly manager: PairlistManager,
    private readonly source: PairlistDataSource,
    private readonly clock: Clock,
    private readonly refreshMs = 60_000,
  ) {}

  async run(bot: Bot): Promise<void> {
    const now = this.clock.now()
    const blacklist = bot.blacklist.join('\n')
    if (now - this.lastMs < this.refreshMs && blacklist === this.lastBlacklist) return
    this.manager.setBlacklist(bot.blacklist)
    this.lastBlacklist = blacklist
    this.lastMs = now
    bot.setWhitelist(await this.manager.refresh(this.source, now))
  }
}
