/**
 * API throughput and the bot's idle memory. The bot runs in its own process (`tern trade` with the example config on
 * a free port); autocannon loads it from a second process on loopback.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { deepMerge } from '../../src/config/load.ts'

const ROOT = join(import.meta.dir, '..', '..')
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5)
const PORT = 18000 + Math.floor(Math.random() * 1000)
const dir = mkdtempSync(join(tmpdir(), 'tern-bench-'))
const config = join(dir, 'bench.json')
writeFileSync(
  config,
  JSON.stringify({
    api_server: { listen_port: PORT, password: 'bench-password' },
    user_data_dir: join(dir, 'user_data'),
  }),
)

const bot = Bun.spawn(
  [
    'bun',
    join(ROOT, 'src/cli/main.ts'),
    'trade',
    '-c',
    join(ROOT, 'config.example.json'),
    '-c',
    config,
    '--log-level',
    'warn',
  ],
  { stdout: 'ignore', stderr: 'inherit' },
)

async function waitReady(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/v1/ping`)).ok) return
    } catch {
      // not listening yet
    }
    await Bun.sleep(50)
  }
  throw new Error('the bot did not start listening')
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1])
  return kb / 1024
}

/** Idle RSS of another bot started with the example config plus `over`, 3 s after it answers. */
async function idleRss(over: Record<string, unknown>): Promise<number> {
  const whole = join(dir, 'rss.json')
  const example = parse(readFileSync(join(ROOT, 'config.example.json'), 'utf8'))
  const merged = { ...deepMerge(example, JSON.parse(readFileSync(config, 'utf8'))), ...over }
  writeFileSync(whole, JSON.stringify(merged))
  const other = Bun.spawn(['bun', join(ROOT, 'src/cli/main.ts'), 'trade', '-c', whole], {
    stdout: 'ignore',
    stderr: 'ignore',
  })
  try {
    await waitReady()
    await Bun.sleep(3000)
    return rssMb(other.pid)
  } finally {
    other.kill()
    await other.exited
  }
}

interface AutocannonResult {
  requests: { average: number }
  latency: { p50: number; p99: number; average: number }
  non2xx: number
  errors: number
}

async function load(path: string, headers: Record<string, string>): Promise<AutocannonResult> {
  const args = [
    'node',
    join(ROOT, 'node_modules/autocannon/autocannon.js'),
    '--json',
    '-c',
    '16',
    '-d',
    String(DURATION_S),
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    `http://127.0.0.1:${PORT}${path}`,
  ]
  const proc = Bun.spawn(args, { stdout: 'pipe', stderr: 'ignore' })
  const out = await new Response(proc.stdout).text()
  await proc.exited
  return JSON.parse(out) as AutocannonResult
}

try {
  await waitReady()
  await Bun.sleep(3000)
  const idle = rssMb(bot.pid)
  const auth = { authorization: `Basic ${btoa('tern:bench-password')}` }
  await load('/api/v1/ping', {}) // warm-up
  for (const [name, path, headers] of [
    ['GET /api/v1/ping (public)', '/api/v1/ping', {}],
    ['GET /api/v1/show_config (Basic auth)', '/api/v1/show_config', auth],
  ] as const) {
    const r = await load(path, headers)
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`)
    console.log(
      `api ${name}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (16 connections, ${DURATION_S} s, autocannon in a second process)`,
    )
  }
  console.log(
    `api bot idle RSS: ${idle.toFixed(1)} MB (tern trade, example config, 3 s after start; analysis_workers default: the pool waits for long frames)`,
  )
  console.log(`api bot RSS after load: ${rssMb(bot.pid).toFixed(1)} MB`)
  bot.kill()
  await bot.exited
  console.log(`api bot idle RSS, analysis in process: ${(await idleRss({ analysis_workers: 0 })).toFixed(1)} MB`)
  console.log(`api bot idle RSS, no strategy: ${(await idleRss({ strategy: undefined })).toFixed(1)} MB`)
} finally {
  bot.kill()
  await bot.exited
  rmSync(dir, { recursive: true, force: true })
}
