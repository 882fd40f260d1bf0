import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { asc } from 'drizzle-orm'
import { type Database, openDatabase } from '../../../src/db/database.ts'
import { pairlocks } from '../../../src/db/schema.ts'
import { gateTransactions } from '../../../src/db/transaction-gate.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tern-db-gate-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const lock = (pair: string) => ({ pair, lockTime: 0, lockEndTime: 1 })

async function pairsInOrder(database: Database): Promise<string[]> {
  const rows = await database.db.select({ pair: pairlocks.pair }).from(pairlocks).orderBy(asc(pairlocks.id))
  return rows.map((r) => r.pair)
}

/**
 * A transaction that stays open across a pause while another statement writes. Ungated, the
 * file database freezes for the 5 s busy timeout and fails with SQLITE_BUSY, and the in-memory one
 * rejects the statement at once; gated, the statement waits for the commit.
 */
async function overlapTransactionAndStatement(database: Database): Promise<number> {
  const started = performance.now()
  await Promise.all([
    database.db.transaction(async (tx) => {
      await tx.insert(pairlocks).values(lock('tx-1'))
      await Bun.sleep(30)
      await tx.insert(pairlocks).values(lock('tx-2'))
    }),
    (async () => {
      await Bun.sleep(5)
      await database.db.insert(pairlocks).values(lock('outside'))
    })(),
  ])
  return performance.now() - started
}

describe('transactions within one process', () => {
  for (const kind of ['file', 'memory'] as const) {
    test(`${kind}: a statement during an open transaction waits for it instead of failing`, async () => {
      const url = kind === 'file' ? `file:${join(dir, 'overlap.sqlite')}` : ':memory:'
      const database = await openDatabase({ url })
      try {
        const ms = await overlapTransactionAndStatement(database)
        expect(await pairsInOrder(database)).toEqual(['tx-1', 'tx-2', 'outside'])
        expect(ms).toBeLessThan(2000)
      } finally {
        database.close()
      }
    })
  }

  test('concurrent transactions run one after the other; a rolled-back one frees the way', async () => {
    const database = await openDatabase({ url: `file:${join(dir, 'serial.sqlite')}` })
    try {
      const { db } = database
      const failing = db.transaction(async (tx) => {
        await tx.insert(pairlocks).values(lock('rolled-back'))
        await Bun.sleep(10)
        throw new Error('changed my mind')
      })
      const results = await Promise.allSettled([
        failing,
        ...['a', 'b'].map((p) =>
          db.transaction(async (tx) => {
            await tx.insert(pairlocks).values(lock(`${p}-1`))
            await Bun.sleep(10)
            await tx.insert(pairlocks).values(lock(`${p}-2`))
          }),
        ),
      ])
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
      await db.insert(pairlocks).values(lock('after'))
      // Each transaction's rows are adjacent: none ran inside another.
      expect(await pairsInOrder(database)).toEqual(['a-1', 'a-2', 'b-1', 'b-2', 'after'])
    } finally {
      database.close()
    }
  })

  test('a statement that would wait for its own transaction fails with a clear message', async () => {
    const client = gateTransactions(createClient({ url: ':memory:' }), 100)
    try {
      await client.execute('CREATE TABLE t (x INTEGER)')
      const tx = await client.transaction('write')
      await tx.execute('INSERT INTO t VALUES (1)')
      await expect(client.execute('SELECT count(*) FROM t')).rejects.toThrow(
        'a statement (execute) waited 100 ms for a transaction of this process to end',
      )
      await tx.commit()
      expect((await client.execute('SELECT count(*) FROM t')).rows[0][0]).toBe(1)
    } finally {
      client.close()
    }
  })
})
