import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/database.ts'
import { type NewOrderRow, type NewTradeRow, type OrderRow, orders, type TradeRow, trades } from '../db/schema.ts'
import type { ClosedTradeInfo } from '../plugins/inputs.ts'
import { LiveTrade, STOP_FIELDS } from './liveTrade.ts'

/**
 * Trades and orders of the live engine in the database. Every change of state is written in the step that makes
 * it; changes of several rows go in one transaction, so a crash leaves either the old or the new state.
 */
export class TradeStore {
  constructor(readonly db: Db) {}

  /** Inserts a new trade with its first order (not placed yet) in one transaction. */
  async createTrade(trade: NewTradeRow, order: Omit<NewOrderRow, 'ftTradeId'>): Promise<LiveTrade> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(trades).values(trade).returning()
      const [o] = await tx
        .insert(orders)
        .values({ ...order, ftTradeId: row!.id })
        .returning()
      return new LiveTrade(row!, [o!])
    })
  }

  /** Adds an order (not placed yet) to a trade and saves the trade with it, in one transaction. */
  async addOrder(trade: LiveTrade, order: Omit<NewOrderRow, 'ftTradeId'>): Promise<OrderRow> {
    return this.db.transaction(async (tx) => {
      const [o] = await tx
        .insert(orders)
        .values({ ...order, ftTradeId: trade.id })
        .returning()
      trade.orders.push(o!)
      await tx.update(trades).set(bump(trade.row)).where(eq(trades.id, trade.id))
      return o!
    })
  }

  /** Writes the trade row and the given orders of it in one transaction. */
  async save(trade: LiveTrade, changed: readonly OrderRow[] = []): Promise<void> {
    const orderUpdates = changed.map((o) => {
      const { id, ...rest } = o
      return this.db.update(orders).set(rest).where(eq(orders.id, id))
    })
    // one batch: a single transaction run without yielding, so API requests cannot stretch it
    await this.db.batch([this.db.update(trades).set(bump(trade.row)).where(eq(trades.id, trade.id)), ...orderUpdates])
  }

  /**
   * Writes the stop and price range (what `LiveTrade.syncFromCore` sets) of several trades, with their versions
   * bumped, in one transaction of one statement per 1,000 trades: a step that moves every open trade's stop does
   * not hold the thread (and the API) for a statement per trade.
   */
  async saveStops(list: readonly LiveTrade[]): Promise<void> {
    const statements = []
    for (let from = 0; from < list.length; from += STOPS_PER_STATEMENT) {
      const rows = list.slice(from, from + STOPS_PER_STATEMENT).map((t) => {
        t.row.recordVersion = (t.row.recordVersion ?? 0) + 1
        const values = [t.id, ...STOP_COLUMNS.map((k) => (typeof t.row[k] === 'boolean' ? Number(t.row[k]) : t.row[k]))]
        return sql`(${sql.join(
          values.map((v) => sql`${v}`),
          sql`, `,
        )})`
      })
      // VALUES names its columns column1, column2, ...: column1 is the id
      const sets = STOP_COLUMNS.map((k, i) => sql`${sql.identifier(trades[k].name)} = v.${sql.raw(`column${i + 2}`)}`)
      statements.push(
        this.db.run(
          sql`UPDATE ${trades} SET ${sql.join(sets, sql`, `)} FROM (VALUES ${sql.join(rows, sql`, `)}) AS v WHERE ${trades.id} = v.column1`,
        ),
      )
    }
    const [first, ...rest] = statements
    if (first) await this.db.batch([first, ...rest])
  }

  /** Removes a trade and its orders. */
  async delete(tradeId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(orders).where(eq(orders.ftTradeId, tradeId))
      await tx.delete(trades).where(eq(trades.id, tradeId))
    })
  }

  /** Open trades with all their orders, oldest first. */
  async loadOpen(): Promise<LiveTrade[]> {
    const rows = await this.db.select().from(trades).where(eq(trades.isOpen, true)).orderBy(asc(trades.id))
    return this.withOrders(rows)
  }

  /** One trade with its orders, open or closed. */
  async load(tradeId: number): Promise<LiveTrade | undefined> {
    const rows = await this.db.select().from(trades).where(eq(trades.id, tradeId))
    return (await this.withOrders(rows))[0]
  }

  /** Σ close_profit_abs of closed trades (for `available_capital`). */
  async closedProfit(): Promise<number> {
    const [r] = await this.db
      .select({ p: sql<number>`coalesce(sum(${trades.closeProfitAbs}), 0)` })
      .from(trades)
      .where(eq(trades.isOpen, false))
    return Number(r?.p ?? 0)
  }

  /** Trades closed after `sinceMs`, as the protections read them. */
  async closedSince(sinceMs: number): Promise<ClosedTradeInfo[]> {
    const rows = await this.db
      .select()
      .from(trades)
      .where(and(eq(trades.isOpen, false), gt(trades.closeDate, sinceMs)))
      .orderBy(asc(trades.closeDate))
    return rows.map((r) => ({
      pair: r.pair,
      openDateMs: r.openDate,
      closeDateMs: r.closeDate ?? 0,
      profitRatio: r.closeProfit ?? 0,
      profitAbs: r.closeProfitAbs ?? 0,
      exitReason: r.exitReason ?? '',
      isShort: r.isShort,
    }))
  }

  /** Whether an exchange order id is already recorded for a pair. */
  async knowsOrder(pair: string, orderId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.ftPair, pair), eq(orders.orderId, orderId)))
      .limit(1)
    return rows.length > 0
  }

  private async withOrders(rows: TradeRow[]): Promise<LiveTrade[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const all = await this.db.select().from(orders).where(inArray(orders.ftTradeId, ids)).orderBy(asc(orders.id))
    const byTrade = new Map<number, OrderRow[]>()
    for (const o of all) {
      let list = byTrade.get(o.ftTradeId)
      if (!list) {
        list = []
        byTrade.set(o.ftTradeId, list)
      }
      list.push(o)
    }
    return rows.map((r) => new LiveTrade(r, byTrade.get(r.id) ?? []))
  }
}

/** Trade columns `saveStops` writes: the stop, its trailing state and the price range seen, and the version. */
const STOP_COLUMNS = [...STOP_FIELDS, 'recordVersion'] as const satisfies readonly (keyof TradeRow)[]

/** Far below SQLite's limit of 32,766 parameters per statement (9 per trade). */
const STOPS_PER_STATEMENT = 1000

/** The row to write, with its version bumped (readers can tell it changed). */
function bump(row: TradeRow): Omit<TradeRow, 'id'> {
  row.recordVersion = (row.recordVersion ?? 0) + 1
  const { id, ...rest } = row
  return rest
}
