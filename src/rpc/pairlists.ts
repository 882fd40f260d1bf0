import { HttpError } from '../api/errors.ts'
import type { Config } from '../config/schema.ts'
import { connectExchange } from '../exchange/connect.ts'
import {
  evaluatePairlists,
  exchangePairlistSource,
  loadPlugins,
  type PairlistEvaluateRequest,
  type PairlistEvaluateResult,
  type PluginRegistry,
  precisionModeOf,
} from '../plugins/index.ts'
import type { BackgroundJobs } from './jobs.ts'

export interface EvaluateBody extends PairlistEvaluateRequest {
  exchange?: string
}

/** The plugin registry of a configuration (built-ins plus `plugin_paths`), loaded once. */
export class PluginCatalogue {
  private registry: Promise<PluginRegistry> | undefined
  constructor(private readonly config: () => Config) {}
  get(): Promise<PluginRegistry> {
    this.registry ??= loadPlugins({ pluginPaths: this.config().plugin_paths })
    return this.registry
  }
}

/**
 * `POST /pairlists/evaluate`: builds the whitelist of the given pairlists against the configured exchange (or the
 * one named in the body) in a background job.
 */
export function startPairlistEvaluation(
  jobs: BackgroundJobs,
  catalogue: PluginCatalogue,
  config: Config,
  body: EvaluateBody,
): { status: string; job_id: string } {
  if (jobs.isRunning('pairlist')) throw new HttpError(400, 'Pairlist evaluation is already running.')
  const job = jobs.start('pairlist', async () => {
    const registry = await catalogue.get()
    const exchangeConfig = { ...config.exchange, name: body.exchange ?? config.exchange.name, pair_whitelist: [] }
    const connection = await connectExchange({
      ...config,
      stake_currency: body.stake_currency,
      exchange: exchangeConfig,
    })
    try {
      return await evaluatePairlists(registry, body, exchangePairlistSource(connection.exchange), {
        pairWhitelist: config.exchange.pair_whitelist,
        timeframe: config.timeframe,
        precisionMode: precisionModeOf(connection.exchange),
      })
    } finally {
      await connection.close()
    }
  })
  return { status: 'Pairlist evaluation started in background.', job_id: job.job_id }
}

/** `GET /pairlists/evaluate/{jobid}`. */
export function pairlistEvaluationResult(jobs: BackgroundJobs, id: string) {
  const job = jobs.get(id)
  if (job?.job_category !== 'pairlist') throw new HttpError(404, 'Job not found.')
  if (job.running) throw new HttpError(400, 'Job not finished yet.')
  return job.status === 'success'
    ? { status: 'success', error: null, result: job.result as PairlistEvaluateResult }
    : { status: 'failed', error: job.error, result: null }
}
