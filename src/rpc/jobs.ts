import { randomUUID } from 'node:crypto'
import { getLogger } from '../util/logger.ts'

const log = getLogger('tern.jobs')

export type JobCategory = 'pairlist' | 'backtest' | 'download_data'

/** A background job as `/background` shows it (§12.7), plus its result for the category's own endpoint. */
export interface Job {
  job_id: string
  job_category: JobCategory
  status: 'pending' | 'success' | 'failed'
  running: boolean
  progress: number | null
  error: string | null
  result: unknown
}

/** Work of the webserver that runs off the request: at most one job of a category at a time. */
export class BackgroundJobs {
  private readonly jobs = new Map<string, Job>()

  list(): Job[] {
    return [...this.jobs.values()]
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id)
  }

  isRunning(category: JobCategory): boolean {
    return this.list().some((j) => j.job_category === category && j.running)
  }

  /** Starts `work` in the background and returns the job at once; `work` may report progress (0..1). */
  start(category: JobCategory, work: (progress: (p: number) => void) => Promise<unknown>): Job {
    const job: Job = {
      job_id: randomUUID(),
      job_category: category,
      status: 'pending',
      running: true,
      progress: null,
      error: null,
      result: null,
    }
    this.jobs.set(job.job_id, job)
    work((p) => {
      job.progress = p
    }).then(
      (result) => {
        Object.assign(job, { status: 'success', running: false, result, progress: 1 })
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err)
        log.warn(`${category} job ${job.job_id} failed: ${message}`)
        Object.assign(job, { status: 'failed', running: false, error: message })
      },
    )
    return job
  }
}
