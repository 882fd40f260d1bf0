import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import {
  AvailablePairs,
  AvailablePairsQuery,
  DataFrameResponse,
  PairCandlesBody,
  PairCandlesQuery,
  PairHistoryBody,
  PairHistoryQuery,
} from '../schemas/candles.ts'
import { DetailError, privateErrors, RpcErrorBody } from '../schemas/common.ts'

const historyErrors = { ...privateErrors, 502: t.Union([DetailError, RpcErrorBody]) }

/** Analysed candles of the running bot and of stored data, and the stored datasets (§11.1–11.4, §11.8, §14). */
export const candleRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['candles'] })
    .get(
      '/pair_candles',
      ({ query }) => rpc.pairCandles({ pair: query.pair, timeframe: query.timeframe, limit: query.limit }),
      {
        query: PairCandlesQuery,
        response: { 200: DataFrameResponse, ...privateErrors },
        detail: { summary: "The bot's newest analysed candles of a pair, all columns" },
      },
    )
    .post('/pair_candles', ({ body }) => rpc.pairCandles(body), {
      body: PairCandlesBody,
      response: { 200: DataFrameResponse, ...privateErrors },
      detail: { summary: "The bot's newest analysed candles of a pair, the requested columns" },
    })
    .get(
      '/pair_history',
      ({ query }) =>
        rpc.pairHistory({
          pair: query.pair,
          timeframe: query.timeframe,
          timerange: query.timerange,
          strategy: query.strategy,
        }),
      {
        // the Python client sends `timerange=` for "all data"; the global clean-up has removed it as absent by now
        transform({ request, query }) {
          if (query.timerange === undefined && new URL(request.url).searchParams.has('timerange')) query.timerange = ''
        },
        query: PairHistoryQuery,
        response: { 200: DataFrameResponse, ...historyErrors },
        detail: { summary: 'Stored candles of a pair analysed by a strategy, all columns' },
      },
    )
    .post('/pair_history', ({ body }) => rpc.pairHistory(body), {
      body: PairHistoryBody,
      response: { 200: DataFrameResponse, ...historyErrors },
      detail: { summary: 'Stored candles of a pair analysed by a strategy, the requested columns' },
    })
    .get('/available_pairs', ({ query }) => rpc.availablePairs(query), {
      query: AvailablePairsQuery,
      response: { 200: AvailablePairs, ...privateErrors },
      detail: { summary: 'Candle datasets stored in the data directory' },
    })
