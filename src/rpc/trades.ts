import { asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm'
import { HttpError, RpcError, ValidationFailure } from '../api/errors.ts'
import type {
  DeleteTradeResult,
  ForceEnterRequest,
  ForceEnterResponse,
  ForceExitRequest,
  ResultMessage,
  TradeCount,
  TradeList,
  TradeObject,
} from '../api/schemas/trade.ts'
import type { Config } from '../config/schema.ts'
import type { Db } from '../db/database.ts'
import { orders, type TradeRow, trades } from '../db/schema.ts'
import { round8 } from '../domain/index.ts'
import type { MarketPrices, TradeCommands } from '../engine/commands.ts'
import type { BotView } from './rpc.ts'
import { tradeReadCache } from './tradeReadCache.ts'
import { baseTradeView, liveTradeView, type StoredTrade } from './tradeView.ts'

/** The most closed trades one `/trades` page returns. */
export const MAX_TRADES_PAGE = 500

const NOT_RUNNING = 'trader is not running'

interface TradeQuery {
  where?: SQL
  order?: 'id' | 'close_desc'
  limit?: number
  offset?: number
}

/** Trades with their orders (creation order), read in two queries. */
export async function loadTrades(db: Db, q: TradeQuery = {}): Promise<StoredTrade[]> {
  let query = db
    .select()
    .from(trades)
    .where(q.where)
    .orderBy(...(q.order === 'close_desc' ? [desc(trades.closeDate), desc(trades.id)] : [asc(trades.id)]))
    .$dynamic()
  if (q.limit !== undefined) query = query.limit(q.limit)
  if (q.offset) query = query.offset(q.offset)
  const rows: TradeRow[] = await query
  if (rows.length === 0) return []
  const orderRows = await db
    .select()
    .from(orders)
    .where(
      inArray(
        orders.ftTradeId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(orders.id))
  const byTrade = new Map<number, StoredTrade>(rows.map((r) => [r.id, { trade: r, orders: [] }]))
  for (const o of orderRows) byTrade.get(o.ftTradeId)?.orders.push(o)
  return rows.map((r) => byTrade.get(r.id) as StoredTrade)
}

export async function loadTrade(db: Db, id: number): Promise<StoredTrade | undefined> {
  return (await loadTrades(db, { where: eq(trades.id, id) }))[0]
}

/** The cached exit-side price of a pair, undefined without a price source. */
export const rateOf = (prices: MarketPrices | undefined, pair: string) => prices?.exitRate(pair)

/** Live views already built, per stored trade (kept while the trade is cached) and the rate they were built at. */
const liveViews = new WeakMap<StoredTrade, { rate: number | undefined; view: TradeObject }>()

/** The live view of `s` at `rate`, built once per trade state and rate. */
function cachedLiveView(s: StoredTrade, rate: number | undefined): TradeObject {
  const hit = liveViews.get(s)
  if (hit && hit.rate === rate) return hit.view
  const view = liveTradeView(s, rate)
  liveViews.set(s, { rate, view })
  return view
}

/** The last `/status` answer per cached list of open trades: the same array while no view in it changed. */
const lastStatus = new WeakMap<StoredTrade[], TradeObject[]>()

/** `/status`: every open trade in the live view, by id. */
export async function openTradesStatus(db: Db, prices: MarketPrices | undefined): Promise<TradeObject[]> {
  const open = await tradeReadCache(db).read('open', () => loadTrades(db, { where: eq(trades.isOpen, true) }))
  const views = open.map((s) => cachedLiveView(s, rateOf(prices, s.trade.pair)))
  const last = lastStatus.get(open)
  if (last?.every((v, i) => v === views[i])) return last
  lastStatus.set(open, views)
  return views
}

function nonNegative(name: string, value: number): void {
  if (value < 0) {
    throw new ValidationFailure([
      {
        type: 'greater_than_equal',
        loc: ['query', name],
        msg: 'Input should be greater than or equal to 0',
        input: value,
      },
    ])
  }
}

/**
 * `/trades`: closed trades by id, `offset` skipped, at most `limit` (capped at 500). `limit=0` lists every closed
 * trade, newest close first (freqtrade's quirk). `total_trades` counts every closed trade so FreqUI's paging ends.
 */
export async function tradeHistory(db: Db, limit = MAX_TRADES_PAGE, offset = 0): Promise<TradeList> {
  nonNegative('limit', limit)
  nonNegative('offset', offset)
  return tradeReadCache(db).read(`trades:${limit}:${offset}`, async () => {
    const closed = eq(trades.isOpen, false)
    const page =
      limit === 0
        ? await loadTrades(db, { where: closed, order: 'close_desc' })
        : await loadTrades(db, { where: closed, limit: Math.min(limit, MAX_TRADES_PAGE), offset })
    const [total] = await db.select({ n: count() }).from(trades).where(closed)
    return {
      trades: page.map(baseTradeView),
      trades_count: page.length,
      offset,
      total_trades: total?.n ?? 0,
    }
  })
}

/** `/trade/{id}`: one trade, open or closed, in the live view; 404 when unknown. */
export async function tradeDetail(db: Db, prices: MarketPrices | undefined, id: number): Promise<TradeObject> {
  const s = await tradeReadCache(db).read(`trade:${id}`, () => loadTrade(db, id))
  if (!s) throw new HttpError(404, 'Trade not found.')
  return cachedLiveView(s, rateOf(prices, s.trade.pair))
}

/** `/count`: open trades, the limit in force and the stake they tie up at entry prices. */
export async function tradeCount(db: Db, bot: BotView): Promise<TradeCount> {
  if (bot.state !== 'running') throw new RpcError(NOT_RUNNING)
  const open = await db
    .select({ rate: trades.openRate, amount: trades.amount })
    .from(trades)
    .where(eq(trades.isOpen, true))
  return {
    current: open.length,
    max: bot.maxOpenTrades,
    total_stake: round8(open.reduce((acc, t) => acc + t.rate * t.amount, 0)),
  }
}

function commandsOf(bot: BotView): TradeCommands {
  if (!bot.trades) throw new RpcError('Bot is not in the correct state')
  return bot.trades
}

/** `/forceenter` (and `/forcebuy`): refused unless `force_entry_enable`; the engine runs the other checks. */
export async function forceEnter(
  db: Db,
  bot: BotView,
  config: Config,
  req: ForceEnterRequest,
): Promise<ForceEnterResponse> {
  if (!config.force_entry_enable) throw new RpcError('Force_entry not enabled.')
  const side = req.side ?? 'long'
  const id = await commandsOf(bot).forceEnter({
    pair: req.pair,
    side,
    price: req.price ?? undefined,
    ordertype: req.ordertype ?? undefined,
    stakeAmount: req.stakeamount ?? undefined,
    entryTag: req.entry_tag || undefined,
  })
  const s = await loadTrade(db, id)
  if (!s) return { status: `Error entering ${side} trade for pair ${req.pair}.` }
  return baseTradeView(s)
}

/** `/forceexit` (and `/forcesell`): one trade by id, or `all`. */
export async function forceExit(bot: BotView, req: ForceExitRequest): Promise<ResultMessage> {
  const commands = commandsOf(bot)
  if (bot.state !== 'running') throw new RpcError(NOT_RUNNING)
  const raw = String(req.tradeid).trim()
  const order = { ordertype: req.ordertype ?? undefined }
  if (raw === 'all') {
    await commands.forceExit('all', order)
    return { result: 'Created exit orders for all open trades.' }
  }
  if (!/^\d+$/.test(raw)) throw new RpcError('invalid argument')
  const id = Number(raw)
  await commands.forceExit(id, { ...order, amount: req.amount ?? undefined })
  return { result: `Created exit order for trade ${id}.` }
}

/** `DELETE /trades/{id}`: the engine cancels what it can and removes the trade; the asset is not sold. */
export async function deleteTrade(db: Db, bot: BotView, id: number): Promise<DeleteTradeResult> {
  const commands = commandsOf(bot)
  if (!(await loadTrade(db, id))) throw new RpcError('invalid argument')
  const cancelled = await commands.deleteTrade(id)
  return {
    result: 'success',
    result_msg: `Deleted trade ${id}. Closed ${cancelled} open orders.`,
    trade_id: id,
    cancel_order_count: cancelled,
  }
}

/** `DELETE /trades/{id}/open-order`: cancels the trade's open non-stoploss orders; answers the trade after it. */
export async function cancelOpenOrders(
  db: Db,
  bot: BotView,
  prices: MarketPrices | undefined,
  id: number,
): Promise<TradeObject> {
  const commands = commandsOf(bot)
  if (bot.state !== 'running') throw new RpcError(NOT_RUNNING)
  const s = await loadTrade(db, id)
  if (!s?.trade.isOpen) throw new RpcError('Invalid trade_id.')
  if (!s.orders.some((o) => o.ftIsOpen && o.ftOrderSide !== 'stoploss'))
    throw new RpcError('No open order for trade_id.')
  await commands.cancelOpenOrders(id)
  const after = await loadTrade(db, id)
  if (!after) throw new RpcError('no active trade')
  return liveTradeView(after, rateOf(prices, after.trade.pair))
}

/** `POST /trades/{id}/reload`: the engine re-reads the trade's orders from the exchange; answers the trade after it. */
export async function reloadTrade(
  db: Db,
  bot: BotView,
  prices: MarketPrices | undefined,
  id: number,
): Promise<TradeObject> {
  const commands = commandsOf(bot)
  if (!(await loadTrade(db, id))) throw new RpcError(`Could not find trade with id ${id}.`)
  await commands.reloadTrade(id)
  const after = await loadTrade(db, id)
  if (!after) throw new RpcError(`Could not find trade with id ${id}.`)
  return liveTradeView(after, rateOf(prices, after.trade.pair))
}
