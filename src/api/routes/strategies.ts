import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { DetailError, privateErrors, RpcErrorBody } from '../schemas/common.ts'
import {
  PlotConfigQuery,
  PlotConfigResponse,
  StrategyDetail,
  StrategyList,
  StrategyParams,
} from '../schemas/strategies.ts'

/** Strategy files and their plot configuration (§11.5–11.7). */
export const strategyRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['strategies'] })
    .get('/strategies', () => rpc.strategies(), {
      response: { 200: StrategyList, ...privateErrors },
      detail: { summary: 'Names of the strategies in the strategy folders, sorted' },
    })
    .get('/strategy/:strategy', ({ params }) => rpc.strategy(params.strategy), {
      params: StrategyParams,
      response: {
        200: StrategyDetail,
        ...privateErrors,
        404: DetailError,
        500: DetailError,
        502: t.Union([DetailError, RpcErrorBody]),
      },
      detail: { summary: "A strategy's name, source code and timeframe" },
    })
    .get('/plot_config', ({ query }) => rpc.plotConfig(query.strategy), {
      query: PlotConfigQuery,
      response: { 200: PlotConfigResponse, ...privateErrors, 502: t.Union([DetailError, RpcErrorBody]) },
      detail: { summary: "A strategy's plot configuration ({} when it has none)" },
    })
