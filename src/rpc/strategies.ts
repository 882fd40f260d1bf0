import { HttpError, RpcError } from '../api/errors.ts'
import type { PlotConfigResponse, StrategyDetail, StrategyList } from '../api/schemas/strategies.ts'
import type { Config } from '../config/schema.ts'
import {
  listStrategies,
  loadStrategy,
  type Strategy,
  StrategyNotFoundError,
  strategySearchOf,
  strategySource,
} from '../strategy/index.ts'

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** Loads strategy `name` from `strategy_path` and the built-in folder; any failure is a 502 with its text (§5.1). */
export async function loadStrategyOr502(config: Config, name: string): Promise<Strategy> {
  try {
    return await loadStrategy(name, strategySearchOf(config))
  } catch (err) {
    throw new HttpError(502, messageOf(err))
  }
}

/** `GET /strategies`: every loadable strategy, names in byte order. */
export async function strategyList(config: Config): Promise<StrategyList> {
  const rows = await listStrategies(strategySearchOf(config))
  const names = rows.filter((r) => r.status === 'OK').map((r) => r.name)
  return { strategies: [...new Set(names)].sort() }
}

/** freqtrade accepts `Name:base64source` from the command line; over HTTP that would run uploaded code (§5.1). */
export function rejectBase64Strategy(name: string): void {
  if (name.includes(':')) throw new HttpError(500, 'base64 encoded strategies are not allowed.')
}

/** `GET /strategy/{name}`: name, source text and timeframe. */
export async function strategyDetail(config: Config, name: string): Promise<StrategyDetail> {
  rejectBase64Strategy(name)
  const opts = strategySearchOf(config)
  let strategy: Strategy
  let code: string
  try {
    strategy = await loadStrategy(name, opts)
    code = await strategySource(name, opts)
  } catch (err) {
    if (err instanceof StrategyNotFoundError) throw new HttpError(404, 'Strategy not found')
    throw new HttpError(502, messageOf(err))
  }
  return { strategy: name, code, timeframe: typeof strategy.timeframe === 'string' ? strategy.timeframe : null }
}

/** A strategy's plot configuration as FreqUI reads it: `{}` without one, `subplots` always present otherwise. */
export function plotConfigOf(strategy: Strategy): PlotConfigResponse {
  const plot = strategy.plotConfig
  if (!plot || Object.keys(plot).length === 0) return {}
  return { ...plot, subplots: plot.subplots ?? {} } as PlotConfigResponse
}

/**
 * `GET /plot_config`: of the named strategy, or of the bot's strategy when none is named. `botStrategy` is
 * undefined in webserver mode, where a name is mandatory.
 */
export async function plotConfig(
  config: Config,
  name: string | undefined,
  bot: { strategyName: string | undefined } | undefined,
): Promise<PlotConfigResponse> {
  if (name) return plotConfigOf(await loadStrategyOr502(config, name))
  if (!bot) throw new RpcError('Strategy is mandatory in webserver mode.')
  const running = bot.strategyName ?? config.strategy
  if (!running) return {}
  try {
    return plotConfigOf(await loadStrategy(running, strategySearchOf(config)))
  } catch (err) {
    throw new RpcError(messageOf(err))
  }
}
