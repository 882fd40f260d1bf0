import type { OrderView } from '../strategy/callbacks.ts'

/** One order of a trade, as far as the money math and the result files need it. */
export class Order {
  constructor(
    readonly id: number,
    /** `buy` or `sell` (spot, long only). */
    readonly side: 'buy' | 'sell',
    readonly amount: number,
    /** Limit (or fill) price. */
    readonly price: number,
    readonly createdMs: number,
    readonly tag: string | undefined,
    public filled = 0,
    public filledMs: number | undefined = undefined,
    public status: 'open' | 'closed' | 'canceled' = 'open',
  ) {}

  get isEntry(): boolean {
    return this.side === 'buy'
  }

  /** Marks the whole order filled at `ms`. */
  fill(ms: number): void {
    this.filled = this.amount
    this.filledMs = ms
    this.status = 'closed'
  }

  /** The order as strategy callbacks see it; a simulated order fills whole at its price. */
  view(): OrderView {
    return {
      side: this.side,
      price: this.price,
      amount: this.amount,
      filled: this.filled,
      remaining: this.amount - this.filled,
      createdMs: this.createdMs,
      status: this.status,
      ...(this.filled > 0 ? { average: this.price } : {}),
    }
  }

  /** The reduced order object of freqtrade's backtest result (`trades[].orders[]`). */
  toResultJson(): Record<string, unknown> {
    return {
      amount: this.amount,
      safe_price: this.price,
      ft_order_side: this.side,
      order_filled_timestamp: this.filledMs ?? null,
      ft_is_entry: this.isEntry,
      ft_order_tag: this.tag ?? null,
      cost: this.filled * this.price,
    }
  }
}
