/**
 * Two processes on one database file: the normal case when a bot and a second bot (or a tool) share
 * a file, and the start-up case when both open a file that does not exist yet.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asc, eq } from 'drizzle-orm'
import { openDatabase } from '../../../src/db/database.ts'
import { trades } from '../../../src/db/schema.ts'
import { insertLabelledTrades } from './fixtures/insert-trades.ts'
import { MIGRATIONS } from './migrationCount.ts'

const WORKER = join(import.meta.dir, 'fixtures', 'db-worker.ts')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tern-db-proc-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A worker process that has said "ready" and waits for "go". */
interface Worker {
  go(): void
  /** Resolves with the exit code, after checking the worker said "done". */
  finished: Promise<{ code: number; stdout: string; stderr: string }>
}

async function startWorker(args: string[]): Promise<Worker> {
  const proc = Bun.spawn([process.execPath, WORKER, ...args], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, TERN_LOG_FORMAT: 'json' },
  })
  const reader = proc.stdout.getReader()
  const decoder = new TextDecoder()
  let stdout = ''
  while (!stdout.includes('ready\n')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`worker exited before ready: ${await new Response(proc.stderr).text()}`)
    stdout += decoder.decode(value)
  }
  const finished = (async () => {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      stdout += decoder.decode(value)
    }
    const stderr = await new Response(proc.stderr).text()
    return { code: await proc.exited, stdout, stderr }
  })()
  return {
    go: () => {
      proc.stdin.write('go\n')
      proc.stdin.flush()
    },
    finished,
  }
}

describe('two processes on one file', () => {
  test('write 200 rows each, interleaved, without busy errors or lost rows', async () => {
    const url = `file:${join(dir, 'shared.sqlite')}`
    const database = await openDatabase({ url })
    try {
      const worker = await startWorker(['write', url, 'child', '200'])
      worker.go()
      await insertLabelledTrades(database.db, 'parent', 200)
      const result = await worker.finished
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('done')

      const rows = await database.db
        .select({ exchange: trades.exchange, amount: trades.amount })
        .from(trades)
        .orderBy(asc(trades.id))
      expect(rows).toHaveLength(400)
      for (const label of ['parent', 'child']) {
        const amounts = rows.filter((r) => r.exchange === label).map((r) => r.amount)
        // Every writer's rows are all there, in its own order: 1..200.
        expect(amounts).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
      }
      // The writers really overlapped: ids alternate between them more than once.
      let switches = 0
      for (let i = 1; i < rows.length; i++) if (rows[i].exchange !== rows[i - 1].exchange) switches++
      expect(switches).toBeGreaterThan(10)
      const check = await database.client.execute('PRAGMA integrity_check')
      expect(check.rows.map((r) => r[0])).toEqual(['ok'])
    } finally {
      database.close()
    }
  })

  test('opening the same new file at the same moment: both migrate-or-skip and succeed', async () => {
    // Three fresh files, two processes each, all released at once.
    const urls = [1, 2, 3].map((i) => `file:${join(dir, `new-${i}`, 'fresh.sqlite')}`)
    const workers = await Promise.all(
      urls.flatMap((url, i) => [startWorker(['open', url, `a${i}`]), startWorker(['open', url, `b${i}`])]),
    )
    for (const w of workers) w.go()
    const results = await Promise.all(workers.map((w) => w.finished))
    for (const r of results) {
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
    }
    for (const [i, url] of urls.entries()) {
      const database = await openDatabase({ url })
      try {
        expect((await database.client.execute('SELECT count(*) FROM __drizzle_migrations')).rows[0][0]).toBe(MIGRATIONS)
        const a = await database.db
          .select()
          .from(trades)
          .where(eq(trades.exchange, `a${i}`))
        const b = await database.db
          .select()
          .from(trades)
          .where(eq(trades.exchange, `b${i}`))
        expect([a.length, b.length]).toEqual([1, 1])
      } finally {
        database.close()
      }
    }
  })
})
