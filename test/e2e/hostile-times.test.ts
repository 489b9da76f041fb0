/**
 * A business time no one can have reached: `findings` settles deadlines, by default, as of the
 * latest time an event claims, so one event dated 9999 makes every open request, report and copy
 * overdue. The answer says so, naming the ledger's own last recording time, and `--as-of` rules.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureBuilt, liuhen, SAMPLE, tempDir } from './helpers.js'

const future = {
  id: 'org-9999',
  type: 'org.registered',
  at: '9999-12-31T23:59:59+08:00',
  actor: { dept: 'district.data-bureau' },
  data: { org: 'community.future', name: 'Future', level: 'community' },
}

describe('findings as of a time an event claims', { timeout: 120_000 }, () => {
  it('warns when the default time is past the ledger time of the last entry, in human and JSON output', () => {
    ensureBuilt()
    const dir = join(tempDir(), 'ledger')
    expect(liuhen(['init', dir]).code).toBe(0)
    expect(liuhen(['append', dir, SAMPLE]).code).toBe(0)
    expect(liuhen(['findings', dir]).stdout).not.toMatch(/WARNING/)
    expect(liuhen(['append', dir], JSON.stringify(future) + '\n').code).toBe(0)
    const human = liuhen(['findings', dir])
    expect(human.stdout).toMatch(/^Findings as of 9999-12-31T23:59:59\+08:00: \d+\nWARNING: that time, the latest an event claims, is after the ledger last recorded an entry \(\d{4}-/)
    // The claimed time makes a quality report overdue that the sample's own time does not.
    expect(human.stdout).toMatch(/QUALITY_OVERDUE/)
    const json = JSON.parse(liuhen(['findings', dir, '--json']).stdout) as { asOf: string; beyondLedgerTime?: string }
    expect(json.asOf).toBe('9999-12-31T23:59:59+08:00')
    expect(Date.parse(json.beyondLedgerTime ?? '')).toBeLessThan(Date.parse(json.asOf))
    const given = liuhen(['findings', dir, '--as-of', '2026-02-20T16:28:00+08:00'])
    expect(given.stdout).not.toMatch(/WARNING|QUALITY_OVERDUE/)
  })
})
