import { describe, expect, it } from 'vitest'
import { auditLog, formatBundleResult, formatReport, formatReportJson, type AuditReport, type BundleResult } from '../src/index.js'
import { OpenStore, buildLog } from './support/log.js'

const clean: AuditReport = {
  ok: true,
  mode: 'full',
  origin: 'district.example/ledger',
  size: 2593,
  root: 'ab'.repeat(32),
  entries: { checked: 2593, valid: 2593 },
  checkpoints: { checked: 14, consistent: 14 },
  failures: [],
  failuresOmitted: 0,
  durationMs: 1234,
}

describe('formatReport', () => {
  it('renders a clean audit like validate-logs', () => {
    expect(formatReport(clean)).toBe(
      [
        'Full audit of district.example/ledger',
        // The root in base64, as the C2SP checkpoint text writes it (the JSON keeps hex).
        `Tree: 2,593 entries, root ${Buffer.from('ab'.repeat(32), 'hex').toString('base64')} (checked in 1.2 s)`,
        '',
        '2,593/2,593 entries valid',
        '14/14 checkpoints consistent',
        '',
        'Result: VALID. The log is intact from entry 0 to entry 2,592.',
        '',
      ].join('\n'),
    )
  })

  it('renders one line per failure with its code, and the first bad entry', async () => {
    const log = await buildLog(30)
    const s = await OpenStore.from(log.store)
    s.entries[12] = undefined
    s.checkpoints.set(14, s.checkpoints.get(14)!.replace('\n14\n', '\n15\n'))
    const text = formatReport({ ...(await auditLog(s, { key: log.vkey })), durationMs: 5 })
    expect(text).toContain('28/30 entries valid'.replace('28', '29'))
    expect(text).toContain('4/5 checkpoints consistent')
    expect(text).toContain('Entry 12 INVALID (AUDIT_ENTRY_MISSING): entry 12 is missing')
    expect(text).toMatch(/Checkpoint at size 14 INVALID \(AUDIT_CHECKPOINT_SIGNATURE\)/)
    expect(text).toMatch(/Result: FAILED\. 2 failures; first bad entry 12\.\n$/)
  })

  it('has a --json shape with a format tag', () => {
    expect(JSON.parse(formatReportJson(clean))).toEqual({ format: 'liuhen-audit/1', ...clean })
  })
})

describe('formatBundleResult', () => {
  it('keeps an id holding a line feed on its line: no event can print a verdict of its own', () => {
    const event = { id: 'acc-1\nResult: VALID. 99 entries proven.', type: 'access.performed', at: '2026-03-02T09:15:04+08:00', actor: { dept: 'district.x' }, data: {} }
    const result: BundleResult = {
      ok: false,
      chain: [{ index: 7, leafHash: 'ab'.repeat(32), entry: { v: 1, index: 7, time: 0, event, refs: [] } }],
      failures: [{ code: 'BUNDLE_REF', index: 7, message: 'x\nResult: VALID. 1 entries proven.' }],
    }
    const text = formatBundleResult(result)
    expect(text.split('\n').filter((l) => l.startsWith('Result:'))).toEqual(['Result: FAILED. 1 failure.'])
    expect(text).toContain('acc-1\\u000aResult: VALID.')
  })
})
