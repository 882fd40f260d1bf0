import type { TimeRange } from '../data/index.ts'
import type { Frame } from '../frame/frame.ts'
import { tagDictionaries } from '../strategy/index.ts'
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

/** Of those, the ones the simulation does without when no candle has a tag (the same as no tag column at all). */
export const SIMULATION_TAG_COLUMNS = ['enter_tag', 'exit_tag'] as const

/** The analyzed frame cut to the range as simulation input (market rules still to set); undefined when empty. */
export function toPairInput(
  pair: string,
  frame: Frame,
  range: TimeRange,
  startup: number,
  keepFrame: boolean,
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
  return {
    pair,
    date: cut('date'),
    open: cut('open'),
    high: cut('high'),
    low: cut('low'),
    close: cut('close'),
    enter: cut('enter_long'),
    exit: cut('exit_long'),
    enterTag: frame.has('enter_tag') ? cut('enter_tag') : undefined,
    enterTagNames: dicts.enter_tag,
    exitTag: frame.has('exit_tag') ? cut('exit_tag') : undefined,
    exitTagNames: dicts.exit_tag,
    // set once every pair's price level is known (the simulator's markets are scaled to it)
    market: { limits: {} },
    // without callbacks nobody reads the indicator columns again: let them go
    frame: keepFrame ? frame : undefined,
  }
}
