import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { cachedJsonResponse, headersOf } from '../cachedJson.ts'
import { DetailError, privateErrors } from '../schemas/common.ts'
import {
  DeleteTradeResult,
  ForceEnterRequest,
  ForceEnterResponse,
  ForceExitRequest,
  ResultMessage,
  TradeCount,
  TradeList,
  TradeObject,
} from '../schemas/trade.ts'

const tradeId = t.Object({ tradeid: t.Integer() })

const openTrades = t.Array(TradeObject)

const forceEnter = {
  body: ForceEnterRequest,
  response: { 200: ForceEnterResponse, ...privateErrors },
} as const

const forceExit = {
  body: ForceExitRequest,
  response: { 200: ResultMessage, ...privateErrors },
} as const

/** Open and closed trades, and the commands on them (§8). */
export const tradeRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['trades'] })
    .get('/status', async ({ set }) => cachedJsonResponse(await rpc.status(), openTrades, headersOf(set)), {
      response: { 200: openTrades, ...privateErrors },
      detail: { summary: 'Open trades with their current price and profit' },
    })
    .get(
      '/trades',
      async ({ query, set }) =>
        cachedJsonResponse(await rpc.trades(query.limit, query.offset), TradeList, headersOf(set)),
      {
        query: t.Object({ limit: t.Optional(t.Integer()), offset: t.Optional(t.Integer()) }),
        response: { 200: TradeList, ...privateErrors },
        detail: { summary: 'Closed trades by id, a page of at most 500' },
      },
    )
    .get('/trade/:tradeid', ({ params }) => rpc.trade(params.tradeid), {
      params: tradeId,
      response: { 200: TradeObject, 404: DetailError, ...privateErrors },
      detail: { summary: 'One trade, open or closed, with its current price and profit' },
    })
    .delete('/trades/:tradeid', ({ params }) => rpc.deleteTrade(params.tradeid), {
      params: tradeId,
      response: { 200: DeleteTradeResult, ...privateErrors },
      detail: { summary: 'Remove a trade and its orders, cancelling its open orders; the asset is not sold' },
    })
    .delete('/trades/:tradeid/open-order', ({ params }) => rpc.cancelOpenOrder(params.tradeid), {
      params: tradeId,
      response: { 200: TradeObject, ...privateErrors },
      detail: { summary: 'Cancel the open (non-stoploss) orders of a trade' },
    })
    .post('/trades/:tradeid/reload', ({ params }) => rpc.reloadTrade(params.tradeid), {
      params: tradeId,
      response: { 200: TradeObject, ...privateErrors },
      detail: { summary: "Re-read a trade's orders from the exchange" },
    })
    .get('/count', () => rpc.count(), {
      response: { 200: TradeCount, ...privateErrors },
      detail: { summary: 'Open trades, the limit in force and the stake they hold' },
    })
    .post('/forceenter', ({ body }) => rpc.forceEnter(body), {
      ...forceEnter,
      detail: { summary: 'Enter a trade now (needs force_entry_enable)' },
    })
    .post('/forcebuy', ({ body }) => rpc.forceEnter(body), {
      ...forceEnter,
      detail: { summary: 'Alias of /forceenter' },
    })
    .post('/forceexit', ({ body }) => rpc.forceExit(body), {
      ...forceExit,
      detail: { summary: "Exit a trade (or 'all') now, wholly or partly" },
    })
    .post('/forcesell', ({ body }) => rpc.forceExit(body), { ...forceExit, detail: { summary: 'Alias of /forceexit' } })
