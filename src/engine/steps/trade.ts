import type { Bot, IterationStep } from '../bot.ts'
import type { Trader } from '../trader.ts'

/**
 * Before anything else after a start: open trades and their open orders are loaded and brought up to date with the
 * exchange. Until that succeeds, no later step of the iteration runs.
 */
export class ReconcileStep implements IterationStep {
  readonly name = 'reconcile open trades'
  readonly critical = true

  constructor(private readonly trader: Trader) {}

  async run(_bot: Bot): Promise<void> {
    if (!this.trader.reconciled) await this.trader.exclusive(() => this.trader.reconcile())
  }
}

/** Polls open orders (fills, partial fills, cancels) and cancels those past `unfilledtimeout`. */
export class ManageOrdersStep implements IterationStep {
  readonly name = 'manage orders'
  readonly critical = true

  constructor(private readonly trader: Trader) {}

  async run(_bot: Bot): Promise<void> {
    this.trader.timings.db = 0
    this.trader.opts.strategy.botLoopStart?.({ nowMs: this.trader.opts.clock.now() })
    await this.trader.refreshPrices()
    await this.trader.exclusive(() => this.trader.manageOrders())
  }
}

/**
 * Position adjustments (`adjustTradePosition`, with `positionAdjustmentEnable`) of open trades without open orders,
 * before their exits, as freqtrade's `process_open_trade_positions`.
 */
export class AdjustPositionsStep implements IterationStep {
  readonly name = 'position adjustments'
  readonly critical = true

  constructor(private readonly trader: Trader) {}

  async run(_bot: Bot): Promise<void> {
    // nothing to take the trader's turn for when the strategy does not adjust positions
    if (this.trader.adjustsPositions) await this.trader.exclusive(() => this.trader.adjustPositions())
  }
}

/**
 * Exits for open trades: stop-loss (trailing, custom), ROI, exit signal, custom exit; with `stoploss_on_exchange`
 * also the stop-loss orders on the exchange (followed, placed, re-placed, trailed up).
 */
export class ExitsStep implements IterationStep {
  readonly name = 'exits'
  readonly critical = true

  constructor(private readonly trader: Trader) {}

  async run(_bot: Bot): Promise<void> {
    await this.trader.exclusive(() => this.trader.exitPositions())
  }
}

/** Entries on fresh signals while the bot is running and slots, locks and wallet allow. */
export class EntriesStep implements IterationStep {
  readonly name = 'entries'
  readonly critical = true

  constructor(private readonly trader: Trader) {}

  async run(_bot: Bot): Promise<void> {
    await this.trader.exclusive(() => this.trader.enterPositions())
  }
}
