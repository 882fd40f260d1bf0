import { HttpError, RpcError } from '../api/errors.ts'
import type { BacktestResultBody } from '../api/schemas/backtest.ts'
import {
  BACKTEST_CACHES,
  BacktestAbortedError,
  type BacktestCache,
  type BacktestHistoryEntry,
  type BacktestProgress,
  type BacktestResult,
  deleteBacktestResult,
  listBacktestHistory,
  loadBacktestResult,
  loadMarketChange,
  type MarketChangeTable,
  resolveResultFile,
  resultsDir,
  runBacktest,
  setBacktestNotes,
} from '../backtest/index.ts'
import type { Config } from '../config/schema.ts'
import { getLogger } from '../util/logger.ts'
import type { BackgroundJobs } from './jobs.ts'
import { rejectBase64Strategy } from './strategies.ts'

const log = getLogger('tern.api.backtest')

/** `POST /backtest` body (§12.8.1); null fields keep the config's value. */
export interface BacktestRequest {
  strategy: string
  enable_protections: boolean
  timeframe?: string | null
  timeframe_detail?: string | null
  timerange?: string | null
  max_open_trades?: number | null
  stake_amount?: string | number | null
  dry_run_wallet?: number | null
  /** `none`, `day`, `week`, `month`: reuse a stored identical result this recent (default the config's, `day`). */
  backtest_cache?: string | null
}

/** The status object of §12.8.2. */
export interface BacktestStatus {
  status: string
  running: boolean
  status_msg: string
  step: string
  progress: number
  trade_count: number | null
  backtest_result: BacktestResultBody | null
}

/** The result files' typed object, as the API serves it. */
const asBody = (r: BacktestResult) => r as unknown as BacktestResultBody

const status = (over: Partial<BacktestStatus> & Pick<BacktestStatus, 'status' | 'status_msg'>): BacktestStatus => ({
  running: false,
  step: '',
  progress: 0,
  trade_count: null,
  backtest_result: null,
  ...over,
})

/** The webserver's backtests: one at a time, off the request, with progress for FreqUI's polling. */
export class BacktestService {
  private running = false
  private abortRequested = false
  private progress: BacktestProgress | undefined
  private result: BacktestResult | undefined
  private error: string | undefined

  constructor(
    private readonly config: () => Config,
    private readonly jobs: BackgroundJobs,
  ) {}

  private get dir(): string {
    return resultsDir(this.config().user_data_dir)
  }

  start(req: BacktestRequest): BacktestStatus {
    rejectBase64Strategy(req.strategy)
    if (this.running || this.jobs.list().some((j) => j.running))
      throw new RpcError('Bot Background task already running')
    const stake = req.stake_amount
    const stakeAmount =
      stake === null || stake === undefined ? undefined : stake === 'unlimited' ? 'unlimited' : Number(stake)
    if (typeof stakeAmount === 'number' && !(stakeAmount > 0)) {
      throw new RpcError(`stake_amount must be a positive number or "unlimited", got ${String(stake)}`)
    }
    this.running = true
    this.abortRequested = false
    this.progress = { step: 'startup', progress: 0, tradeCount: 0 } as BacktestProgress
    this.result = undefined
    this.error = undefined
    const orUndefined = <T>(v: T | null | undefined) => (v === null ? undefined : v)
    runBacktest(
      {
        config: this.config(),
        strategies: [req.strategy],
        timerange: orUndefined(req.timerange) || undefined,
        timeframe: orUndefined(req.timeframe),
        timeframeDetail: orUndefined(req.timeframe_detail),
        maxOpenTrades: orUndefined(req.max_open_trades),
        stakeAmount,
        dryRunWallet: orUndefined(req.dry_run_wallet),
        enableProtections: req.enable_protections,
        exportDir: this.dir,
        cache: backtestCacheOf(req.backtest_cache ?? this.config().backtest_cache),
        shouldAbort: () => this.abortRequested,
      },
      (p) => {
        this.progress = p
      },
    ).then(
      (result) => {
        this.result = result
        this.running = false
      },
      (err: unknown) => {
        this.running = false
        if (err instanceof BacktestAbortedError) return
        this.error = err instanceof Error ? err.message : String(err)
        log.warn(`backtest of ${req.strategy} failed: ${this.error}`)
      },
    )
    return status({ status: 'running', running: true, step: 'startup', status_msg: 'Backtest started' })
  }

  status(): BacktestStatus {
    if (this.running) {
      return status({
        status: 'running',
        running: true,
        status_msg: 'Backtest running',
        step: this.progress?.step ?? 'startup',
        progress: this.progress?.progress ?? 0,
        trade_count: this.progress?.tradeCount ?? null,
      })
    }
    if (this.error !== undefined) return status({ status: 'error', status_msg: `Backtest failed with ${this.error}` })
    if (this.result) {
      return status({
        status: 'ended',
        status_msg: 'Backtest ended',
        step: 'finished',
        progress: 1,
        trade_count: null,
        backtest_result: asBody(this.result),
      })
    }
    return status({ status: 'not_started', status_msg: 'Backtest not yet executed' })
  }

  reset(): BacktestStatus {
    if (this.running) return status({ status: 'running', running: true, status_msg: 'Backtest running' })
    this.result = undefined
    this.error = undefined
    return status({ status: 'reset', status_msg: 'Backtest reset' })
  }

  abort(): BacktestStatus {
    if (!this.running) return status({ status: 'not_running', status_msg: 'Backtest ended' })
    this.abortRequested = true
    return status({ status: 'stopping', status_msg: 'Backtest ended' })
  }

  history(): Promise<BacktestHistoryEntry[]> {
    return listBacktestHistory(this.dir)
  }

  /** A stored result file by stem; 404 when missing or outside the results directory. */
  private file(stem: string): string {
    const file = resolveResultFile(this.dir, stem)
    if (!file) throw new HttpError(404, 'File not found.')
    return file
  }

  async historyResult(filename: string, strategy: string): Promise<BacktestStatus> {
    const file = this.file(filename)
    let result: BacktestResult
    try {
      result = await loadBacktestResult(file, strategy)
    } catch {
      throw new HttpError(404, 'File not found.')
    }
    return status({ status: 'ended', status_msg: 'Historic result', progress: 1, backtest_result: asBody(result) })
  }

  async deleteHistory(stem: string): Promise<BacktestHistoryEntry[]> {
    await deleteBacktestResult(this.file(stem))
    return this.history()
  }

  async setNotes(stem: string, strategy: string, notes: string): Promise<BacktestHistoryEntry[]> {
    const file = this.file(stem)
    try {
      await setBacktestNotes(file, strategy, notes)
    } catch (err) {
      if ((err as Error).message === 'Strategy not in metadata.') throw new HttpError(400, 'Strategy not in metadata.')
      throw err
    }
    return (await this.history()).filter((h) => h.filename === stem)
  }

  async marketChange(stem: string): Promise<MarketChangeTable> {
    const table = await loadMarketChange(this.file(stem))
    if (!table) throw new HttpError(404, 'File not found.')
    return table
  }
}

/** The request's (else the config's) `backtest_cache`; any other value is `day`, freqtrade's default. */
function backtestCacheOf(value: string | null | undefined): BacktestCache {
  return (BACKTEST_CACHES as readonly (string | null | undefined)[]).includes(value) ? (value as BacktestCache) : 'day'
}
