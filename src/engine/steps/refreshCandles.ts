import type { Exchange } from '../../exchange/exchange.ts'
import type { OhlcvColumns } from '../../frame/ohlcv.ts'
import { displayDate } from '../../util/dates.ts'
import { getLogger } from '../../util/logger.ts'
import type { Bot, IterationStep } from '../bot.ts'

const log = getLogger('tern.engine')

/**
 * Keeps the closed candles of every whitelisted pair current; later steps read `latest`. Announces each pair's new
 * candle as a `new_candle` event (FreqUI then reloads that pair's chart).
 */
export class RefreshCandlesStep implements IterationStep {
  readonly name = 'refresh candles'
  latest = new Map<string, OhlcvColumns>()
  private readonly lastCandle = new Map<string, number>()
  private newest = 0

  constructor(
    private readonly exchange: Exchange,
    readonly timeframe: string,
    /** More pairs to keep current, e.g. those of open trades that left the whitelist. */
    private readonly extraPairs: () => string[] = () => [],
  ) {}

  async run(bot: Bot): Promise<void> {
    this.latest = await this.exchange.refreshOhlcv(
      [...new Set([...bot.whitelist, ...this.extraPairs()])],
      this.timeframe,
    )
    for (const [pair, candles] of this.latest) {
      const n = candles.date.length
      if (n === 0) continue
      const last = candles.date[n - 1]!
      if (last > (this.lastCandle.get(pair) ?? 0)) {
        this.lastCandle.set(pair, last)
        bot.events.emit({ type: 'new_candle', data: [pair, this.timeframe, 'spot'] })
      }
      if (last > this.newest) {
        this.newest = last
        log.info(`${this.latest.size} pairs have ${this.timeframe} candles up to ${displayDate(last)}`)
      }
    }
  }
}
