/**
 * `bun run bench`: runs every `*.bench.ts` in this folder, one process each, and prints their figures.
 * Pass names to run some only: `bun run bench api data`.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const only = process.argv.slice(2)
const files = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

let failed = 0
for (const file of files) {
  console.log(`\n== ${file}`)
  const proc = Bun.spawn(['bun', 'run', join(import.meta.dir, file)], { stdout: 'inherit', stderr: 'inherit' })
  const code = await proc.exited
  if (code !== 0) {
    console.log(`!! ${file} exited with ${code}`)
    failed++
  }
}
process.exit(failed ? 1 : 0)
