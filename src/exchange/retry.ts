import type { Logger } from 'pino'
import { isRetryable, translateError } from './errors.ts'

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number
  /** Delay before the first retry, doubled each time (default 1000 ms). */
  baseDelayMs?: number
  /** Upper bound of one delay (default 30 s). */
  maxDelayMs?: number
  /**
   * How to wait. Defaults to real time: a backoff waits for a remote server to recover, which is not sped up by an
   * accelerated or manual clock.
   */
  sleep?: (ms: number) => Promise<void>
  log?: Logger
  /** Called before each retry (attempt 1 = first retry), e.g. to count them. */
  onRetry?: (attempt: number, error: unknown) => void
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs `fn`, retrying ccxt's temporary failures (network, timeout, rate limit, unavailable, maintenance) with
 * exponential backoff; anything else fails at once. The error that escapes is always translated into one of
 * `errors.ts` (`TemporaryError` when retries ran out).
 */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  opts: RetryOptions = {},
  orderContext = false,
): Promise<T> {
  const retries = opts.retries ?? 4
  const base = opts.baseDelayMs ?? 1000
  const max = opts.maxDelayMs ?? 30_000
  const sleep = opts.sleep ?? realSleep
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (!isRetryable(e) || attempt >= retries) {
        if (isRetryable(e)) opts.log?.warn(`${what} failed after ${attempt + 1} attempts: ${(e as Error).message}`)
        throw translateError(e, what, orderContext)
      }
      const delay = Math.min(max, base * 2 ** attempt)
      opts.log?.warn(`${what} failed (${(e as Error).name}), retry ${attempt + 1}/${retries} in ${delay} ms`)
      opts.onRetry?.(attempt + 1, e)
      await sleep(delay)
    }
  }
}
