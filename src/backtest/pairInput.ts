import type { TimeRange } from '../data/index.ts'
import type { Frame } from '../frame/frame.ts'
import { asCodes, asFlags, type KeptColumns, type NarrowColumns, tagDictionaries } from '../strategy/index.ts'
import type { PairInput } from './simulate.ts'

/** Columns the simulation reads of an analysed frame. */
export const SIMULATION_COLUMNS = [
  'date',
  'open',
  'high',
  'low',
  'close',
  'enter_long',
  'exit_long',
  'enter_tag',
  'exit_tag',
] as const

/** What a stored analysis returns for the simulation (without callbacks reading the frame): signals as bytes, tags
 * as Int32 codes and only when some candle has one; the indicator columns stay where they were made. */
export const SIMULATION_KEPT: KeptColumns = {
  keep: SIMULATION_COLUMNS,
  dropEmpty: ['enter_tag', 'exit_tag'],
  asFlags: ['enter_long', 'exit_long'],
  asCodes: ['enter_tag', 'exit_tag'],
}

/**
 * The analyzed frame cut to the range as simulation input (market rules still to set); undefined when empty.
 * `narrow` holds the signal and tag columns when the analysis returned them narrowed (`SIMULATION_KEPT`); otherwise
 * they are read off the frame.
 */
export function toPairInput(
  pair: string,
  frame: Frame,
  range: TimeRange,
  startup: number,
  keepFrame: boolean,
  narrow?: NarrowColumns,
): PairInput | undefined {
  const date = frame.col('date')
  let from = 0
  if (range.startMs !== undefined) {
    while (from < date.length && date[from] < range.startMs) from++
  } else from = Math.min(startup, date.length)
  let to = date.length
  if (range.endMs !== undefined) while (to > from && date[to - 1] > range.endMs) to--
  if (to - from < 1) return undefined
  // views, not copies: the analyzed frame stays whole (callbacks see it as the strategy left it)
  const dicts = tagDictionaries(frame)
  const cut = (name: string) => frame.col(name).subarray(from, to)
  const flags = (name: string) =>
    (narrow?.flags[name] ?? (frame.has(name) ? asFlags(frame.col(name)) : new Uint8Array(frame.length))).subarray(
      from,
      to,
    )
  const codes = (name: string) =>
    (narrow?.codes[name] ?? (frame.has(name) ? asCodes(frame.col(name)) : undefined))?.subarray(from, to)
  return {
    pair,
    date: cut('date'),
    open: cut('open'),
    high: cut('high'),
    low: cut('low'),
    close: cut('close'),
    enter: flags('enter_long'),
    exit: flags('exit_long'),
    enterTag: codes('enter_tag'),
    enterTagNames: dicts.enter_tag,
    exitTag: codes('exit_tag'),
    exitTagNames: dicts.exit_tag,
    // set once every pair's price level is known (the simulator's markets are scaled to it)
    market: { limits: {} },
    // without callbacks nobody reads the indicator columns again: let them go
    frame: keepFrame ? frame : undefined,
  }
}
