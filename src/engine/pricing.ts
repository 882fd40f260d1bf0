import type { Config } from '../config/schema.ts'
import type { OrderBook, Ticker } from '../exchange/exchange.ts'

export type PricingConfig = NonNullable<Config['entry_pricing']>

/**
 * The side of the book a long's entry or exit is priced from (freqtrade's `get_rate`): `same` is the side the order
 * rests on (bid for an entry, ask for an exit), `other` the side it would take.
 */
export function bookSide(kind: 'entry' | 'exit', priceSide: PricingConfig['price_side']): 'bid' | 'ask' {
  const side = priceSide ?? 'same'
  if (side === 'bid' || side === 'ask') return side
  if (kind === 'entry') return side === 'same' ? 'bid' : 'ask'
  return side === 'same' ? 'ask' : 'bid'
}

/**
 * The rate for an entry or exit of a long per `entry_pricing` / `exit_pricing`: the `order_book_top`-th level of the
 * book side when `use_order_book`, else the ticker's side moved towards `last` by `price_last_balance` (only when
 * that is the better price). Undefined when the market gives no price.
 */
export function pricingRate(
  kind: 'entry' | 'exit',
  cfg: PricingConfig,
  ticker: Ticker | undefined,
  book: OrderBook | undefined,
): number | undefined {
  const side = bookSide(kind, cfg.price_side)
  if (cfg.use_order_book !== false && book) {
    const levels = side === 'bid' ? book.bids : book.asks
    const top = Math.max(1, cfg.order_book_top ?? 1)
    const level = levels[Math.min(top, levels.length) - 1]
    if (level) return level[0]
  }
  if (!ticker) return undefined
  const rate = side === 'bid' ? ticker.bid : ticker.ask
  const last = ticker.last
  if (rate === undefined || rate === null) return last ?? undefined
  const balance = cfg.price_last_balance ?? 0
  if (last === undefined || last === null || balance === 0) return rate
  if (kind === 'entry' ? rate > last : rate < last) return rate + balance * (last - rate)
  return rate
}
