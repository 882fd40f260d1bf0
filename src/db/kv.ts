/**
 * Typed access to the key-value table (freqtrade's KeyValueStore), e.g. `bot_start_time`.
 * Each key holds one value of one type; writing a key again replaces both.
 */
import { eq } from 'drizzle-orm'
import type { Db } from './database.ts'
import { type KvValueType, kv, type NewKvRow } from './schema.ts'

export type KvValue =
  | { type: 'str'; value: string }
  | { type: 'datetime'; value: number }
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }

/** The stored value and its type, or undefined when the key is absent. */
export async function getKv(db: Db, key: string): Promise<KvValue | undefined> {
  const row = (await db.select().from(kv).where(eq(kv.key, key)).limit(1))[0]
  if (row === undefined) return undefined
  switch (row.valueType) {
    case 'str':
      return { type: 'str', value: row.stringValue ?? '' }
    case 'datetime':
      return { type: 'datetime', value: requireNumber(key, row.datetimeValue) }
    case 'float':
      return { type: 'float', value: requireNumber(key, row.floatValue) }
    case 'int':
      return { type: 'int', value: requireNumber(key, row.intValue) }
  }
}

/** Inserts or replaces `key`. */
export async function setKv(db: Db, key: string, value: KvValue): Promise<void> {
  if (value.type !== 'str' && !Number.isFinite(value.value)) {
    throw new Error(`kv '${key}': ${value.type} value must be a finite number, got ${value.value}`)
  }
  if ((value.type === 'int' || value.type === 'datetime') && !Number.isInteger(value.value)) {
    throw new Error(`kv '${key}': ${value.type} value must be an integer, got ${value.value}`)
  }
  const columns: Omit<NewKvRow, 'key'> = {
    valueType: value.type,
    stringValue: value.type === 'str' ? value.value : null,
    datetimeValue: value.type === 'datetime' ? value.value : null,
    floatValue: value.type === 'float' ? value.value : null,
    intValue: value.type === 'int' ? value.value : null,
  }
  await db
    .insert(kv)
    .values({ key, ...columns })
    .onConflictDoUpdate({ target: kv.key, set: columns })
}

export async function deleteKv(db: Db, key: string): Promise<void> {
  await db.delete(kv).where(eq(kv.key, key))
}

export async function getKvString(db: Db, key: string): Promise<string | undefined> {
  return expectType(key, await getKv(db, key), 'str')
}

export async function setKvString(db: Db, key: string, value: string): Promise<void> {
  await setKv(db, key, { type: 'str', value })
}

/** A date as epoch milliseconds (UTC). */
export async function getKvDatetime(db: Db, key: string): Promise<number | undefined> {
  return expectType(key, await getKv(db, key), 'datetime')
}

export async function setKvDatetime(db: Db, key: string, ms: number): Promise<void> {
  await setKv(db, key, { type: 'datetime', value: ms })
}

export async function getKvFloat(db: Db, key: string): Promise<number | undefined> {
  return expectType(key, await getKv(db, key), 'float')
}

export async function setKvFloat(db: Db, key: string, value: number): Promise<void> {
  await setKv(db, key, { type: 'float', value })
}

export async function getKvInt(db: Db, key: string): Promise<number | undefined> {
  return expectType(key, await getKv(db, key), 'int')
}

export async function setKvInt(db: Db, key: string, value: number): Promise<void> {
  await setKv(db, key, { type: 'int', value })
}

function expectType<T extends KvValueType>(
  key: string,
  found: KvValue | undefined,
  type: T,
): (T extends 'str' ? string : number) | undefined {
  if (found === undefined) return undefined
  // A key read as the wrong type is a programming error; answering undefined would hide it.
  if (found.type !== type) throw new Error(`kv '${key}' holds a ${found.type} value, not ${type}`)
  return found.value as T extends 'str' ? string : number
}

function requireNumber(key: string, value: number | null): number {
  if (value === null) throw new Error(`kv '${key}' has no stored value`)
  return value
}
