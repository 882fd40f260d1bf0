import { and, eq } from 'drizzle-orm'
import type { Db } from '../../src/db/database.ts'
import { type NewOrderRow, orders, trades } from '../../src/db/schema.ts'
import { Trade } from '../../src/domain/index.ts'
import { EngineRefusal, type MarketPrices, type TradeCommands } from '../../src/engine/commands.ts'
import type { BotView } from '../../src/rpc/rpc.ts'
import type { Wallet } from '../../src/rpc/stats.ts'
import type { TestServer } from './server.ts'

export const FEE = 0.001

export interface TradeSpec {
  pair: string
  amount: number
  openRate: number
  openMs: number
  /** When the entry order filled; undefined = the entry order is still open, unfilled. */
  fillMs?: number
  closeRate?: number
  closeMs?: number
  exitReason?: string
  enterTag?: string
  /** Stop price and its ratio (−0.10). */
  stopLoss?: number
  stopLossPct?: number
}

const quoteOf = (pair: string) => pair.split('/')[1] ?? ''

function order(tradeId: number, spec: TradeSpec, side: 'buy' | 'sell', price: number, ms: number, fillMs?: number) {
  const filled = fillMs === undefined ? 0 : spec.amount
  return {
    ftTradeId: tradeId,
    ftOrderSide: side,
    ftPair: spec.pair,
    ftIsOpen: fillMs === undefined,
    ftAmount: spec.amount,
    ftPrice: price,
    ftOrderTag: side === 'buy' ? (spec.enterTag ?? null) : null,
    orderId: `dry_run_${side}_${spec.pair}_${ms}`,
    status: fillMs === undefined ? 'open' : 'closed',
    symbol: spec.pair,
    orderType: 'limit',
    side,
    price,
    average: fillMs === undefined ? null : price,
    amount: spec.amount,
    filled,
    remaining: spec.amount - filled,
    cost: filled * price,
    orderDate: ms,
    orderFilledDate: fillMs ?? null,
    orderUpdateDate: fillMs ?? ms,
  } satisfies NewOrderRow
}

/**
 * Writes a trade and its orders as the engine does: an entry order (filled at `fillMs`, or open), and for a closed
 * trade an exit order filled at `closeMs` with the realised profit computed by the domain's money math.
 */
export async function insertTrade(db: Db, spec: TradeSpec): Promise<number> {
  const position = new Trade({
    id: 0,
    pair: spec.pair,
    openDateMs: spec.openMs,
    openRate: spec.openRate,
    amount: spec.amount,
    feeOpen: FEE,
    feeClose: FEE,
  })
  const closed = spec.closeRate !== undefined && spec.closeMs !== undefined
  if (closed) position.close(spec.closeRate as number, spec.closeMs as number, spec.exitReason ?? 'roi')
  const filled = spec.fillMs !== undefined
  const [row] = await db
    .insert(trades)
    .values({
      exchange: 'binance',
      pair: spec.pair,
      baseCurrency: spec.pair.split('/')[0],
      stakeCurrency: quoteOf(spec.pair),
      isOpen: !closed,
      feeOpen: FEE,
      feeOpenCost: filled ? spec.amount * spec.openRate * FEE : null,
      feeOpenCurrency: filled ? quoteOf(spec.pair) : null,
      feeClose: FEE,
      feeCloseCost: closed ? spec.amount * (spec.closeRate as number) * FEE : null,
      feeCloseCurrency: closed ? quoteOf(spec.pair) : null,
      openRate: spec.openRate,
      openRateRequested: spec.openRate,
      openTradeValue: position.openTradeValue,
      closeRate: spec.closeRate ?? null,
      closeRateRequested: spec.closeRate ?? null,
      realizedProfit: closed ? (position.closeProfitAbs as number) : 0,
      closeProfit: position.closeProfit ?? null,
      closeProfitAbs: position.closeProfitAbs ?? null,
      stakeAmount: position.stakeAmount,
      maxStakeAmount: filled ? position.stakeAmount : null,
      amount: spec.amount,
      amountRequested: spec.amount,
      openDate: spec.openMs,
      closeDate: spec.closeMs ?? null,
      stopLoss: spec.stopLoss ?? 0,
      stopLossPct: spec.stopLossPct ?? null,
      initialStopLoss: spec.stopLoss ?? 0,
      initialStopLossPct: spec.stopLossPct ?? null,
      exitReason: closed ? (spec.exitReason ?? 'roi') : null,
      exitOrderStatus: closed ? 'closed' : null,
      strategy: 'EmaCross',
      enterTag: spec.enterTag ?? null,
      timeframe: 5,
      tradingMode: 'spot',
      amountPrecision: 0.0001,
      pricePrecision: 0.01,
      precisionMode: 4,
      precisionModePrice: 4,
      contractSize: 1,
      fundingFees: 0,
    })
    .returning({ id: trades.id })
  const id = row!.id
  const rows = [order(id, spec, 'buy', spec.openRate, spec.openMs, spec.fillMs)]
  if (closed) rows.push(order(id, spec, 'sell', spec.closeRate as number, spec.closeMs as number, spec.closeMs))
  await db.insert(orders).values(rows)
  return id
}

/** Cached exit prices from a fixed table (the engine's ticker cache in production). */
export class PriceTable implements MarketPrices {
  constructor(readonly rates: Record<string, number>) {}
  exitRate(pair: string): number | undefined {
    return this.rates[pair]
  }
}

/** A wallet with fixed balances (the engine's wallet in production). */
export class FixedWallet implements Wallet {
  constructor(readonly funds: Record<string, { free: number; used: number; total: number }>) {}
  async balances() {
    return this.funds
  }
}

/**
 * A stand-in for the trading engine's commands (the live engine implements `TradeCommands` against the exchange):
 * it records each call and writes to the database what the engine would, so the API's answers can be checked.
 * `refuse` makes a call fail with the given engine message.
 */
export class RecordingCommands implements TradeCommands {
  calls: { method: string; args: unknown[] }[] = []
  refuse: string | undefined
  constructor(
    private readonly db: Db,
    private readonly nowMs: () => number,
  ) {}

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args })
    if (this.refuse) throw new EngineRefusal(this.refuse)
  }

  async forceEnter(req: Parameters<TradeCommands['forceEnter']>[0]): Promise<number> {
    this.record('forceEnter', req)
    const amount = (req.stakeAmount ?? 100) / (req.price ?? 100)
    return insertTrade(this.db, {
      pair: req.pair,
      amount,
      openRate: req.price ?? 100,
      openMs: this.nowMs(),
      enterTag: req.entryTag ?? 'force_entry',
    })
  }

  async forceExit(tradeId: number | 'all', req: Parameters<TradeCommands['forceExit']>[1]): Promise<void> {
    this.record('forceExit', tradeId, req)
  }

  async deleteTrade(tradeId: number): Promise<number> {
    this.record('deleteTrade', tradeId)
    const open = await this.db.select().from(orders).where(eq(orders.ftTradeId, tradeId))
    await this.db.delete(orders).where(eq(orders.ftTradeId, tradeId))
    await this.db.delete(trades).where(eq(trades.id, tradeId))
    return open.filter((o) => o.ftIsOpen).length
  }

  async cancelOpenOrders(tradeId: number): Promise<void> {
    this.record('cancelOpenOrders', tradeId)
    await this.db
      .update(orders)
      .set({ ftIsOpen: false, status: 'canceled' })
      .where(and(eq(orders.ftTradeId, tradeId), eq(orders.ftIsOpen, true)))
  }

  async reloadTrade(tradeId: number): Promise<void> {
    this.record('reloadTrade', tradeId)
  }
}

/**
 * Gives the test server's bot what the trading engine provides in production: trade commands, cached prices and a
 * wallet (the bot already reads the test server's database).
 */
export function attachEngineParts(
  server: TestServer,
  parts: { trades?: TradeCommands; prices?: MarketPrices; wallet?: Wallet } = {},
): void {
  const bot = server.bot as unknown as { -readonly [K in keyof BotView]?: BotView[K] }
  bot.trades = parts.trades
  bot.prices = parts.prices
  bot.wallet = parts.wallet
}

const at = (d: number, h: number, m = 0) => Date.UTC(2024, 9, d, h, m)

/** "Now" of the seeded scenario: Thursday 2024-10-24 10:00:00 UTC. */
export const SCENARIO_NOW = at(24, 10)

/**
 * Three closed trades, one open trade with a filled entry and one open trade whose entry has not filled (fee 0.1 %):
 *
 * | id | pair     | amount × open → close    | opened       | closed       | exit        | tag     | profit_abs |
 * | 1  | ETH/USDT | 0.05 × 2400 → 2500       | 10-22 08:00  | 10-22 12:00  | roi         | rsi_dip | 4.755      |
 * | 2  | BTC/USDT | 0.002 × 60000 → 57000    | 10-23 09:00  | 10-23 15:00  | stop_loss   | –       | −6.234     |
 * | 3  | ETH/USDT | 0.05 × 2400 → 2600       | 10-24 06:00  | 10-24 08:30  | exit_signal | rsi_dip | 9.75       |
 * | 4  | SOL/USDT | 1 × 150 (stop 135)       | 10-24 09:00  | open         |             |         |            |
 * | 5  | XRP/USDT | 100 × 0.5, entry unfilled| 10-24 09:30  | open         |             |         |            |
 *
 * open value of 1–3: 120 × 1.001 = 120.12; close values 124.875, 113.886, 129.87.
 */
export async function seedScenario(db: Db): Promise<number[]> {
  const ids: number[] = []
  const second = 1000
  ids.push(
    await insertTrade(db, {
      pair: 'ETH/USDT',
      amount: 0.05,
      openRate: 2400,
      openMs: at(22, 8),
      fillMs: at(22, 8) + second,
      closeRate: 2500,
      closeMs: at(22, 12),
      exitReason: 'roi',
      enterTag: 'rsi_dip',
    }),
  )
  ids.push(
    await insertTrade(db, {
      pair: 'BTC/USDT',
      amount: 0.002,
      openRate: 60000,
      openMs: at(23, 9),
      fillMs: at(23, 9) + second,
      closeRate: 57000,
      closeMs: at(23, 15),
      exitReason: 'stop_loss',
    }),
  )
  ids.push(
    await insertTrade(db, {
      pair: 'ETH/USDT',
      amount: 0.05,
      openRate: 2400,
      openMs: at(24, 6),
      fillMs: at(24, 6) + second,
      closeRate: 2600,
      closeMs: at(24, 8, 30),
      exitReason: 'exit_signal',
      enterTag: 'rsi_dip',
    }),
  )
  ids.push(
    await insertTrade(db, {
      pair: 'SOL/USDT',
      amount: 1,
      openRate: 150,
      openMs: at(24, 9),
      fillMs: at(24, 9) + second,
      stopLoss: 135,
      stopLossPct: -0.1,
    }),
  )
  ids.push(await insertTrade(db, { pair: 'XRP/USDT', amount: 100, openRate: 0.5, openMs: at(24, 9, 30) }))
  return ids
}

/** Exit prices for the scenario's open trades. */
export const scenarioPrices = () => new PriceTable({ 'SOL/USDT': 162.5, 'XRP/USDT': 0.5 })
