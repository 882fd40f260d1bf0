/**
 * `bun run bench`: runs every `*.bench.ts` in this folder, one process each, and prints their figures.
 * Pass names to run some only: `bun run bench api data`. Each runs under the engine settings `bin/tern` gives Tern
 * (`bin/runtime.env`; a variable set in the environment wins), so the figures are those of the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const only = process.argv.slice(2)
const files = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

/** The NAME=value lines of bin/runtime.env. */
function runtimeEnv(): Record<string, string> {
  const text = readFileSync(join(import.meta.dir, '..', '..', 'bin', 'runtime.env'), 'utf8')
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (m) out[m[1]] = m[2]
  }
  return out
}
const env = { ...runtimeEnv(), ...process.env }
const settings = Object.keys(env).filter((k) => k.startsWith('BUN_JSC_'))
console.log(`engine settings: ${settings.map((k) => `${k}=${env[k]}`).join(' ') || 'none'}`)

let failed = 0
for (const file of files) {
  console.log(`\n== ${file}`)
  const proc = Bun.spawn(['bun', 'run', join(import.meta.dir, file)], { stdout: 'inherit', stderr: 'inherit', env })
  const code = await proc.exited
  if (code !== 0) {
    console.log(`!! ${file} exited with ${code}`)
    failed++
  }
}
process.exit(failed ? 1 : 0)
