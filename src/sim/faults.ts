import { Rng } from './random.ts'

/** Trouble the simulator can make on demand. Rates are fractions of requests (0..1). */
export interface SimFaults {
  /** Extra real-time delay before every answer, in ms. */
  latencyMs?: number
  /** Fraction answered with a server error: HTTP 500 `{"code":-1001}` or 503 "Service Unavailable", alternately. */
  errorRate?: number
  /** Fraction answered HTTP 429 `{"code":-1003}` (request weight exceeded). */
  rateLimitRate?: number
  /** Fraction whose connection is closed without an answer. */
  dropRate?: number
  /** [startMs, endMs) in clock time during which every request gets 503 "System is under maintenance.". */
  maintenance?: [number, number] | null
}

export type FaultDecision = 'maintenance' | 'drop' | 'rateLimit' | 'error500' | 'error503' | undefined

/**
 * Decides, request by request, which fault (if any) to play. The draws come from a generator seeded by the sim's
 * seed, so the same sequence of requests meets the same faults.
 */
export class FaultInjector {
  private faults: SimFaults = {}
  private rng: Rng
  private errors = 0

  constructor(private readonly seed: number) {
    this.rng = new Rng(seed ^ 0x5eed_fa17)
  }

  /** Replaces the active faults (missing keys mean off) and restarts the deterministic sequence. */
  set(faults: SimFaults): void {
    for (const key of ['errorRate', 'rateLimitRate', 'dropRate'] as const) {
      const v = faults[key]
      if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`fault ${key} must be between 0 and 1, got ${v}`)
    }
    if (faults.latencyMs !== undefined && !(faults.latencyMs >= 0)) {
      throw new Error(`fault latencyMs must be >= 0, got ${faults.latencyMs}`)
    }
    this.faults = { ...faults }
    this.rng = new Rng(this.seed ^ 0x5eed_fa17)
    this.errors = 0
  }

  get(): SimFaults {
    return { ...this.faults }
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0
  }

  decide(now: number): FaultDecision {
    const f = this.faults
    const w = f.maintenance
    if (w && now >= w[0] && now < w[1]) return 'maintenance'
    // always draw three numbers so one rate does not shift the sequence of another
    const drop = this.rng.next()
    const limit = this.rng.next()
    const error = this.rng.next()
    if (drop < (f.dropRate ?? 0)) return 'drop'
    if (limit < (f.rateLimitRate ?? 0)) return 'rateLimit'
    if (error < (f.errorRate ?? 0)) return this.errors++ % 2 === 0 ? 'error500' : 'error503'
    return undefined
  }
}
