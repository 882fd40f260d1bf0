import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import {
  BacktestHistoryEntry,
  BacktestNotes,
  BacktestRequest,
  BacktestStatus,
  MarketChange,
} from '../schemas/backtest.ts'
import { DetailError, privateErrors } from '../schemas/common.ts'

const errors = { ...privateErrors, 400: DetailError, 404: DetailError, 500: DetailError, 503: DetailError }
const FileParam = t.Object({ file: t.String() })

/** Backtesting in webserver mode (§12.8): one run at a time, polled by FreqUI, and the stored results. */
export const backtestRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['backtest'] })
    .onBeforeHandle(() => rpc.requireWebserver())
    .post('/backtest', ({ body }) => rpc.backtests.start(body), {
      body: BacktestRequest,
      response: { 200: BacktestStatus, ...errors },
      detail: { summary: 'Start a backtest in the background' },
    })
    .get('/backtest', () => rpc.backtests.status(), {
      response: { 200: BacktestStatus, ...errors },
      detail: { summary: 'Progress or result of the backtest' },
    })
    .delete('/backtest', () => rpc.backtests.reset(), {
      response: { 200: BacktestStatus, ...errors },
      detail: { summary: 'Forget the last result (not while running)' },
    })
    .get('/backtest/abort', () => rpc.backtests.abort(), {
      response: { 200: BacktestStatus, ...errors },
      detail: { summary: 'Stop the running backtest' },
    })
    .get('/backtest/history', () => rpc.backtests.history(), {
      response: { 200: t.Array(BacktestHistoryEntry), ...errors },
      detail: { summary: 'Stored results, newest first, one entry per strategy' },
    })
    .get('/backtest/history/result', ({ query }) => rpc.backtests.historyResult(query.filename, query.strategy), {
      query: t.Object({ filename: t.String(), strategy: t.String() }),
      response: { 200: BacktestStatus, ...errors },
      detail: { summary: "One stored result of one strategy, in GET /backtest's shape" },
    })
    .delete('/backtest/history/:file', ({ params }) => rpc.backtests.deleteHistory(params.file), {
      params: FileParam,
      response: { 200: t.Array(BacktestHistoryEntry), ...errors },
      detail: { summary: 'Delete a stored result and its companion files' },
    })
    .patch(
      '/backtest/history/:file',
      ({ params, body }) => rpc.backtests.setNotes(params.file, body.strategy, body.notes ?? ''),
      {
        params: FileParam,
        body: BacktestNotes,
        response: { 200: t.Array(BacktestHistoryEntry), ...errors },
        detail: { summary: "Store notes on a strategy's stored result" },
      },
    )
    .get('/backtest/history/:file/market_change', ({ params }) => rpc.backtests.marketChange(params.file), {
      params: FileParam,
      response: { 200: MarketChange, ...errors },
      detail: { summary: 'Average market movement over a stored backtest' },
    })
