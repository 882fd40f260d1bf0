import type { Exchange } from '../../exchange/exchange.ts'
import type { OhlcvColumns } from '../../frame/ohlcv.ts'
import { displayDate } from '../../util/dates.ts'
import { getLogger } from '../../util/logger.ts'
import type { IterationStep } from '../bot.ts'

const log = getLogger('tern.engine')

/** Keeps the closed candles of every whitelisted pair current; later steps read `latest`. */
export class RefreshCandlesStep implements IterationStep {
  readonly name = 'refresh candles'
  latest = new Map<string, OhlcvColumns>()
  private lastCandleMs = 0

  constructor(
    private readonly exchange: Exchange,
    private readonly pairs: () => string[],
    readonly timeframe: string,
  ) {}

  async run(): Promise<void> {
    this.latest = await this.exchange.refreshOhlcv(this.pairs(), this.timeframe)
    let newest = 0
    for (const candles of this.latest.values()) {
      const n = candles.date.length
      if (n > 0) newest = Math.max(newest, candles.date[n - 1]!)
    }
    if (newest > this.lastCandleMs) {
      this.lastCandleMs = newest
      log.info(`${this.latest.size} pairs have ${this.timeframe} candles up to ${displayDate(newest)}`)
    }
  }
}
