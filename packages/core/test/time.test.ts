import { describe, expect, it } from 'vitest'
import { formatLedgerTime, LEDGER_UTC_OFFSET } from '../src/index.js'

describe('formatLedgerTime', () => {
  it('prints instants in +08:00, milliseconds only when there are some', () => {
    expect(LEDGER_UTC_OFFSET).toBe('+08:00')
    expect(formatLedgerTime(Date.parse('2026-02-27T15:59:59.999Z'))).toBe('2026-02-27T23:59:59.999+08:00')
    expect(formatLedgerTime(new Date('2026-03-02T01:15:04Z'))).toBe('2026-03-02T09:15:04+08:00')
    expect(formatLedgerTime('2026-03-01T20:00:00.000Z')).toBe('2026-03-02T04:00:00+08:00')
    expect(formatLedgerTime('2026-03-02T09:15:04-05:00')).toBe('2026-03-02T22:15:04+08:00')
    expect(formatLedgerTime(0)).toBe('1970-01-01T08:00:00+08:00')
  })

  it('returns what is not an instant, or already +08:00, as recorded', () => {
    expect(formatLedgerTime('2026-03-02T09:15:04.123456+08:00')).toBe('2026-03-02T09:15:04.123456+08:00')
    expect(formatLedgerTime('2026-03-02')).toBe('2026-03-02')
    expect(formatLedgerTime('yesterday')).toBe('yesterday')
    expect(formatLedgerTime('')).toBe('')
    expect(formatLedgerTime(Number.NaN)).toBe('NaN')
    expect(formatLedgerTime(8.64e15)).toBe('8640000000000000')
  })
})
