/**
 * The one source of time. Everything asks a Clock; nothing else reads the system time, so the
 * simulator and the bot can share an accelerated clock and tests can pin time.
 */
export interface Clock {
  /** Milliseconds since the epoch, UTC. */
  now(): number
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>
}

export class RealClock implements Clock {
  now(): number {
    return Date.now()
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
  }
}

/**
 * Runs `factor` times faster than real time from `start` (ms). At 60× a 5m candle closes every 5 s.
 */
export class AcceleratedClock implements Clock {
  private readonly realStart = Date.now()
  constructor(
    readonly start: number,
    readonly factor: number,
  ) {
    if (!(factor > 0)) throw new Error(`clock factor must be > 0, got ${factor}`)
  }
  now(): number {
    return Math.floor(this.start + (Date.now() - this.realStart) * this.factor)
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / this.factor)))
  }
}

/** A clock that moves only when told to; for tests and the backtester. */
export class ManualClock implements Clock {
  constructor(private time: number) {}
  now(): number {
    return this.time
  }
  set(ms: number): void {
    this.time = ms
  }
  advance(ms: number): void {
    this.time += ms
  }
  sleep(ms: number): Promise<void> {
    this.time += Math.max(0, ms)
    return Promise.resolve()
  }
}

/** The process-wide clock; the composition root may replace it (e.g. with the simulator's). */
let current: Clock = new RealClock()

export const clock: Clock = {
  now: () => current.now(),
  sleep: (ms) => current.sleep(ms),
}

export function setClock(next: Clock): void {
  current = next
}

/**
 * Wall time for things that must follow the real world whatever the trading clock does (token lifetimes,
 * log timestamps).
 */
export const wallClock: Clock = new RealClock()
