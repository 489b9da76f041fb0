import { describe, expect, it } from 'vitest'
import { LedgerError } from '@liuhen/core'
import type { AuditReport } from '@liuhen/verify'
import { CliError, EXIT, exitCodeOf, messageOf } from '../src/exit.js'
import { parseCount } from '../src/io.js'
import { acceptNewLedger } from '../src/verify.js'

describe('exitCodeOf', () => {
  it('maps refused input, keys, notes and checkpoints to 2', () => {
    for (const code of ['INPUT_INVALID', 'INPUT_TOO_LARGE', 'ENCODING_INVALID', 'KEY_MALFORMED', 'NOTE_MALFORMED', 'CHECKPOINT_MALFORMED', 'SCHEMA_INVALID', 'PROOF_RANGE', 'STORE_EXISTS']) {
      expect(exitCodeOf(new LedgerError<string>(code, 'x')), code).toBe(EXIT.USAGE)
    }
  })

  it('maps failed proofs to 1 and store or unknown errors to 3', () => {
    expect(exitCodeOf(new LedgerError('PROOF_ROOT_MISMATCH', 'x'))).toBe(EXIT.FAILED)
    for (const code of ['STORE_LOCKED', 'STORE_NOT_FOUND', 'STORE_CORRUPT', 'LEDGER_NOT_FOUND']) expect(exitCodeOf(new LedgerError<string>(code, 'x'))).toBe(EXIT.RUNTIME)
    expect(exitCodeOf(new Error('disk on fire'))).toBe(EXIT.RUNTIME)
    expect(exitCodeOf(new CliError(EXIT.FAILED, ''))).toBe(EXIT.FAILED)
  })

  it('keeps messages to one line and names unexpected error classes', () => {
    expect(messageOf(new LedgerError('INPUT_INVALID', 'line 3: bad\nmore'))).toBe('line 3: bad')
    expect(messageOf(new TypeError('boom'))).toBe('TypeError: boom')
  })
})

describe('parseCount', () => {
  it('accepts plain decimal integers in range only', () => {
    expect(parseCount('index', '42')).toBe(42)
    for (const bad of ['-1', '1e3', '0x10', '', ' 1', '1.5', '99999999999999999']) expect(() => parseCount('index', bad), bad).toThrow(CliError)
    expect(() => parseCount('--batch', '0', 1, 10)).toThrow(/from 1 to 10/)
  })
})

const report = (over: Partial<AuditReport>): AuditReport => ({
  ok: true,
  mode: 'full',
  origin: 'example.org/log',
  size: 2593,
  root: 'ab'.repeat(32),
  entries: { checked: 2593, valid: 2593 },
  checkpoints: { checked: 14, consistent: 14 },
  failures: [],
  failuresOmitted: 0,
  durationMs: 1,
  ...over,
})

describe('acceptNewLedger', () => {
  const fresh = report({
    ok: false,
    size: 0,
    entries: { checked: 0, valid: 0 },
    checkpoints: { checked: 0, consistent: 0 },
    failures: [
      { code: 'AUDIT_CHECKPOINT_MISSING', size: 0, message: 'none at 0' },
      { code: 'AUDIT_HEAD_MISMATCH', message: 'no head' },
    ],
  })

  it('accepts the missing head and checkpoint of a ledger with no commits', () => {
    expect(acceptNewLedger(fresh, true, 0)).toMatchObject({ ok: true, failures: [] })
  })

  it('keeps them when checkpoints are held, the store is not new, or other failures exist', () => {
    expect(acceptNewLedger(fresh, true, 1).ok).toBe(false)
    expect(acceptNewLedger(fresh, false, 0).ok).toBe(false)
    const meta = { ...fresh, failures: [...fresh.failures, { code: 'AUDIT_META_MISMATCH' as const, message: 'other key' }] }
    expect(acceptNewLedger(meta, true, 0).ok).toBe(false)
  })
})
