import { startSimExchange } from '../../sim/server.ts'
import { AcceleratedClock, RealClock, wallClock } from '../../util/clock.ts'
import { parseCommandArgs, UsageError } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** `tern sim`: the simulated exchange on its own, for a bot or ccxt script in another process. */
export async function simCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    port: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    pairs: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    console.log(COMMANDS.sim!.usage)
    return 0
  }
  const num = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback
    const n = Number(text)
    if (!Number.isFinite(n)) throw new UsageError(`--${flag}: expected a number, got '${text}'`)
    return n
  }
  const speed = num('speed', values.speed, 1)
  if (speed <= 0) throw new UsageError(`--speed: expected a number > 0, got '${values.speed}'`)
  const clock = speed === 1 ? new RealClock() : new AcceleratedClock(wallClock.now(), speed)
  const sim = await startSimExchange({
    clock,
    seed: num('seed', values.seed, 42),
    port: num('port', values.port, 8090),
    extraPairs: values.pairs?.flatMap((p) => p.split(',')).filter(Boolean),
  })
  console.log(`simulated exchange listening on ${sim.url} (Binance spot REST subset; ${sim.markets.length} markets)`)
  console.log('point ccxt at it with simCcxtOverrides(url) from src/sim/ccxtOverrides.ts; Ctrl-C stops it')
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await sim.stop()
  return 0
}
