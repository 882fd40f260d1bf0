import { cpus, freemem, totalmem } from 'node:os'
import type { SysInfo } from '../api/schemas/info.ts'

interface CpuSample {
  idle: number
  total: number
}

function sample(): CpuSample[] {
  return cpus().map(({ times }) => ({
    idle: times.idle,
    total: times.user + times.nice + times.sys + times.idle + times.irq,
  }))
}

const SAMPLE_MS = 1000

/**
 * Per-core CPU use over about one second and system memory use, as psutil reports them. The previous sample is
 * kept, so calls at least a second apart answer at once; a first or rapid call waits out the rest of the second.
 */
export class SysInfoSampler {
  private last: { at: number; cpus: CpuSample[] } | undefined

  async read(): Promise<SysInfo> {
    let previous = this.last
    const age = previous ? performance.now() - previous.at : 0
    if (!previous || age < SAMPLE_MS) {
      previous ??= { at: performance.now(), cpus: sample() }
      await new Promise((r) => setTimeout(r, SAMPLE_MS - (performance.now() - previous!.at)))
    }
    const now = sample()
    this.last = { at: performance.now(), cpus: now }
    const cpu_pct = now.map((c, i) => {
      const before = previous!.cpus[i] ?? c
      const total = c.total - before.total
      const busy = total - (c.idle - before.idle)
      return total > 0 ? Math.round((busy / total) * 1000) / 10 : 0
    })
    const ram_pct = Math.round((1 - freemem() / totalmem()) * 1000) / 10
    return { cpu_pct, ram_pct }
  }
}
