import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Database, openDatabase } from '../../../src/db/database.ts'
import {
  deleteKv,
  getKv,
  getKvDatetime,
  getKvFloat,
  getKvInt,
  getKvString,
  setKv,
  setKvDatetime,
  setKvFloat,
  setKvInt,
  setKvString,
} from '../../../src/db/kv.ts'
import { kv } from '../../../src/db/schema.ts'

let dir: string
let database: Database
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tern-kv-'))
  database = await openDatabase({ url: `file:${join(dir, 'kv.sqlite')}` })
})
afterAll(() => {
  database.close()
  rmSync(dir, { recursive: true, force: true })
})

// 2018-01-10 07:15:00 UTC
const START_MS = 1_515_568_500_000

describe('key-value store', () => {
  test('each type round-trips; an absent key reads undefined', async () => {
    const { db } = database
    expect(START_MS).toBe(Date.UTC(2018, 0, 10, 7, 15))
    await setKvDatetime(db, 'bot_start_time', START_MS)
    await setKvString(db, 'startup_candle', 'ok')
    await setKvFloat(db, 'ratio', 0.125)
    await setKvInt(db, 'count', 42)

    expect(await getKvDatetime(db, 'bot_start_time')).toBe(START_MS)
    expect(await getKvString(db, 'startup_candle')).toBe('ok')
    expect(await getKvFloat(db, 'ratio')).toBe(0.125)
    expect(await getKvInt(db, 'count')).toBe(42)
    expect(await getKv(db, 'count')).toEqual({ type: 'int', value: 42 })
    expect(await getKvDatetime(db, 'missing')).toBeUndefined()
    expect(await getKv(db, 'missing')).toBeUndefined()
  })

  test('writing a key again replaces value and type in the same row', async () => {
    const { db } = database
    await setKvDatetime(db, 'k', 1000)
    await setKvDatetime(db, 'k', 2000)
    expect(await getKvDatetime(db, 'k')).toBe(2000)
    await setKvString(db, 'k', 'now text')
    const rows = (await db.select().from(kv)).filter((r) => r.key === 'k')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ valueType: 'str', stringValue: 'now text', datetimeValue: null })
    // Reading it as the old type is a mistake worth hearing about.
    await expect(getKvDatetime(db, 'k')).rejects.toThrow("kv 'k' holds a str value, not datetime")
    await deleteKv(db, 'k')
    expect(await getKv(db, 'k')).toBeUndefined()
  })

  test('rejects numbers the column cannot hold faithfully', async () => {
    const { db } = database
    await expect(setKv(db, 'bad', { type: 'int', value: 1.5 })).rejects.toThrow('must be an integer')
    await expect(setKv(db, 'bad', { type: 'float', value: Number.NaN })).rejects.toThrow('finite')
    expect(await getKv(db, 'bad')).toBeUndefined()
  })
})
