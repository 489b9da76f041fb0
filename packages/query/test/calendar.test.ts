import { describe, expect, it } from 'vitest'
import { isLedgerError } from '@liuhen/core'
import { addWorkingDays, defaultCalendar, defaultDeadlines, parseDeadlines, WorkCalendar, workingDaysBetween } from '../src/index.js'

// 2026 dates as carried in the chinese-days data, from the State Council General Office notice on
// the 2026 public holidays: Spring Festival 15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked.
describe('official China calendar', () => {
  const cal = defaultCalendar()

  it('is versioned by the chinese-days package', () => {
    expect(cal.version).toMatch(/^chinese-days@\d+\.\d+\.\d+$/)
  })

  it('knows the 2026 Spring Festival holiday and its make-up days', () => {
    expect(cal.isWorkingDay('2026-02-13')).toBe(true) // Fri
    expect(cal.isWorkingDay('2026-02-14')).toBe(true) // Sat, make-up
    for (let d = 15; d <= 23; d++) expect(cal.isWorkingDay(`2026-02-${d}`)).toBe(false)
    expect(cal.isWorkingDay('2026-02-24')).toBe(true)
    expect(cal.isWorkingDay('2026-02-28')).toBe(true) // Sat, make-up
    expect(cal.isWorkingDay('2026-03-01')).toBe(false) // Sun
    expect(cal.isWorkingDay('2026-10-01')).toBe(false)
  })

  it('adds working days to the end of the n-th working day, Beijing time', () => {
    expect(addWorkingDays('2026-02-06T15:00:00+08:00', 10).toISOString()).toBe('2026-02-27T15:59:59.999Z')
    expect(addWorkingDays('2026-02-13T10:00:00+08:00', 1).toISOString()).toBe('2026-02-14T15:59:59.999Z')
    expect(addWorkingDays('2026-02-14T10:00:00+08:00', 1).toISOString()).toBe('2026-02-24T15:59:59.999Z')
    // 23:30 UTC on 5 Feb is already 6 Feb in Beijing
    expect(addWorkingDays(new Date('2026-02-05T23:30:00Z'), 0).toISOString()).toBe('2026-02-06T15:59:59.999Z')
    expect(addWorkingDays('2026-03-02T09:00:00+08:00', 10).toISOString()).toBe('2026-03-16T15:59:59.999Z')
  })

  it('counts working days between two times, inverse of addWorkingDays', () => {
    expect(workingDaysBetween('2026-02-06T15:00:00+08:00', '2026-02-27T10:00:00+08:00')).toBe(10)
    expect(workingDaysBetween('2026-02-27T10:00:00+08:00', '2026-02-06T15:00:00+08:00')).toBe(-10)
    const t = '2026-09-18T09:00:00+08:00'
    for (const n of [0, 1, 5, 10]) expect(workingDaysBetween(t, addWorkingDays(t, n))).toBe(n)
  })

  it('refuses days the data does not cover', () => {
    let err: unknown
    try {
      addWorkingDays('2030-01-02T09:00:00+08:00', 1)
    } catch (e) {
      err = e
    }
    expect(isLedgerError(err, 'CALENDAR_NOT_COVERED')).toBe(true)
    expect(() => addWorkingDays('2026-01-05', -1)).toThrow(RangeError)
    expect(() => new WorkCalendar({ version: 'x', holidays: ['2026-13-01'], workdays: [], years: [2026, 2026] })).toThrow(/bad calendar date/)
  })
})

describe('deadline configuration', () => {
  it('ships a versioned default', () => {
    const d = defaultDeadlines()
    expect(d.version).toBe('cn-2025-08-01/1')
    expect(d.reply).toEqual({ unconditional: 1, conditional: 10, none: 10, unknown: 10 })
    expect(d.quality).toBe(10)
  })

  it('refuses malformed configuration with CONFIG_INVALID', () => {
    expect(() => parseDeadlines({ version: 'x', reply: { unconditional: -1 } })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    expect(() => parseDeadlines(null)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})
