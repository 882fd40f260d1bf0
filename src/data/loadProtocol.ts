/** Messages between `loadPairsHistory` and its workers, and how columns and errors cross the thread boundary. */
import { OHLCV_FIELDS, type OhlcvColumns } from '../frame/ohlcv.ts'
import { DataFileError, NoDataError } from './errors.ts'
import type { LoadPairHistoryOptions } from './readPair.ts'

export interface LoadJob {
  job: number
  opts: LoadPairHistoryOptions
}

/** An error as plain data: structured clone would drop its class and own fields. */
export interface ErrorMessage {
  name: string
  message: string
  file?: string
  pair?: string
  timeframe?: string
  datadir?: string
}

export type LoadReply =
  | { job: number; columns: Float64Array[]; before: number; added: number; error?: undefined }
  | { job: number; error: ErrorMessage; columns?: undefined }

export function errorToMessage(err: unknown): ErrorMessage {
  if (err instanceof NoDataError) {
    return { name: err.name, message: err.message, pair: err.pair, timeframe: err.timeframe, datadir: err.datadir }
  }
  if (err instanceof DataFileError) return { name: err.name, message: err.message, file: err.file }
  if (err instanceof Error) return { name: err.name, message: err.message }
  return { name: 'Error', message: String(err) }
}

/** The error again, as the class the serial loader would have thrown (so `instanceof` checks still work). */
export function messageToError(m: ErrorMessage): Error {
  if (m.name === 'NoDataError' && m.pair !== undefined) {
    return new NoDataError(m.pair, m.timeframe ?? '', m.datadir ?? '')
  }
  if (m.name === 'DataFileError' && m.file !== undefined) {
    const prefix = `${m.file}: `
    return new DataFileError(m.file, m.message.startsWith(prefix) ? m.message.slice(prefix.length) : m.message)
  }
  const err = new Error(m.message)
  err.name = m.name
  return err
}

/**
 * The columns in OHLCV_FIELDS order, each alone in its whole ArrayBuffer (views and shared buffers are
 * copied; the direct feather reader's columns already are), so that they can be transferred.
 */
export function ownedColumns(candles: OhlcvColumns): Float64Array[] {
  const columns: Float64Array[] = []
  const buffers = new Set<ArrayBufferLike>()
  for (const field of OHLCV_FIELDS) {
    let col = candles[field]
    const whole = col.byteOffset === 0 && col.byteLength === col.buffer.byteLength
    if (!whole || !(col.buffer instanceof ArrayBuffer) || buffers.has(col.buffer)) col = col.slice()
    buffers.add(col.buffer)
    columns.push(col)
  }
  return columns
}

export function columnsToOhlcv([date, open, high, low, close, volume]: Float64Array[]): OhlcvColumns {
  return { date, open, high, low, close, volume }
}
