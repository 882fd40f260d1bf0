import { describe, expect, test } from 'bun:test'
import { resultDate } from '../../../src/backtest/result.ts'
import { civilFromDays, daysFromCivil, dayText, displayDate, isoUtc } from '../../../src/util/dates.ts'

const DAY = 86_400_000
// what the result files held before the dates were formatted by hand: the ISO text of the Date
const viaDate = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
const isoViaDate = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`

describe('result dates', () => {
  test('hand-worked texts: leap day, last millisecond, fractions cut, before 1970', () => {
    expect(displayDate(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29 23:59:59')
    expect(isoUtc(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999000Z')
    expect(isoUtc(Date.UTC(2024, 9, 24, 8, 12, 46, 5))).toBe('2024-10-24T08:12:46.005000Z')
    expect(displayDate(0)).toBe('1970-01-01 00:00:00')
    expect(displayDate(-1)).toBe('1969-12-31 23:59:59')
    // a Date drops the fraction of a millisecond towards zero
    expect(displayDate(-0.5)).toBe('1970-01-01 00:00:00')
    expect(displayDate(999.9)).toBe('1970-01-01 00:00:00')
    expect(displayDate(Date.UTC(2100, 2, 1) - 1)).toBe('2100-02-28 23:59:59') // 2100 is no leap year
    expect(resultDate(Date.UTC(2018, 0, 10, 7, 15))).toBe('2018-01-10 07:15:00+00:00')
  })

  test('same text as the Date for every day from 1970 to 2100 at several times of day', () => {
    let mismatches = 0
    const first = Date.UTC(1970, 0, 1) / DAY
    const last = Date.UTC(2101, 0, 1) / DAY
    for (let d = first; d < last; d++) {
      for (const offset of [0, 1, 999, 1000, 59_999, 3_600_000, 43_200_500.7, DAY - 1]) {
        const ms = d * DAY + offset
        if (displayDate(ms) !== viaDate(ms) || isoUtc(ms) !== isoViaDate(ms)) mismatches++
      }
    }
    expect(last - first).toBe(47_847) // 131 years, 32 of them leap years: 131 × 365 + 32
    expect(mismatches).toBe(0)
  })

  test('dates outside four-digit years and invalid dates behave as the Date does', () => {
    for (const ms of [Date.UTC(1, 0, 1) - DAY * 400, 253_402_300_800_000, 8.64e15, -8.64e15]) {
      expect(displayDate(ms)).toBe(viaDate(ms))
      expect(isoUtc(ms)).toBe(isoViaDate(ms))
    }
    expect(displayDate(Date.UTC(999, 5, 1))).toBe(viaDate(Date.UTC(999, 5, 1)))
    expect(() => displayDate(Number.NaN)).toThrow(RangeError)
    expect(() => isoUtc(8.64e15 + 1)).toThrow(RangeError)
  })

  test('day numbers and calendar dates', () => {
    // 1970–1999: 30 years, 7 leap years → 2000-01-01 is day 10,957; 29 February is 31 + 28 days later
    expect(daysFromCivil(2000, 1, 1)).toBe(10_957)
    expect(daysFromCivil(2000, 2, 29)).toBe(11_016)
    expect(civilFromDays(11_016)).toEqual([2000, 2, 29])
    expect(civilFromDays(daysFromCivil(2100, 3, 1) - 1)).toEqual([2100, 2, 28])
    expect(civilFromDays(-1)).toEqual([1969, 12, 31])
    expect(dayText(11_016)).toBe('2000-02-29')
    // the cache of day texts must not mix up days that share a slot
    expect(dayText(11_016 + 1024)).toBe(viaDate((11_016 + 1024) * DAY).slice(0, 10))
    expect(dayText(11_016)).toBe('2000-02-29')
  })
})
