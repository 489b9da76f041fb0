import { describe, expect, it } from 'vitest'
import { HOLIDAYS_2026, MAKEUP_WORKDAYS_2026, isWorkingDate, Rng, recordId } from '../src/index.js'

// Vectors: 国务院办公厅关于2026年部分节假日安排的通知 (Spring Festival Feb 15–23, make-up Feb 14 and 28).
describe('calendar-2026', () => {
  it('knows the Spring Festival and its make-up working days', () => {
    expect(isWorkingDate('2026-02-13')).toBe(true)
    expect(isWorkingDate('2026-02-14')).toBe(true) // Saturday, make-up
    expect(isWorkingDate('2026-02-15')).toBe(false)
    expect(isWorkingDate('2026-02-23')).toBe(false) // Monday, holiday
    expect(isWorkingDate('2026-02-24')).toBe(true)
    expect(isWorkingDate('2026-02-28')).toBe(true) // Saturday, make-up
    expect(isWorkingDate('2026-03-01')).toBe(false) // Sunday
    expect(HOLIDAYS_2026).toHaveLength(33)
    expect(MAKEUP_WORKDAYS_2026).toHaveLength(6)
  })
})

describe('rng and records', () => {
  it('is a pure function of seed and stream', () => {
    const a = new Rng('s', 'x')
    const b = new Rng('s', 'x')
    const c = new Rng('s', 'y')
    const xs = Array.from({ length: 5 }, () => a.uint32())
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(xs)
  })

  it('makes synthetic 18-character resident ids with a GB 11643 check digit', () => {
    const id = recordId(123_456)
    expect(id).toMatch(/^110199\d{11}[\dX]$/)
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    const sum = w.reduce((s, x, i) => s + x * Number(id[i]), 0)
    expect(id[17]).toBe('10X98765432'[sum % 11])
    expect(recordId(1)).not.toBe(recordId(25_001))
  })
})
