import { describe, expect, it } from 'vitest'
import { LedgerError } from '@liuhen/core'
import type { AuditReport } from '@liuhen/verify'
import { CliError, EXIT, exitCodeOf, messageOf } from '../src/exit.js'
import { parseCount } from '../src/io.js'
import { formatVerifyJson, formatVerifyReport } from '../src/verify.js'

describe('exitCodeOf', () => {
  it('maps refused input, keys, notes and checkpoints to 2', () => {
    for (const code of ['INPUT_INVALID', 'INPUT_TOO_LARGE', 'ENCODING_INVALID', 'KEY_MALFORMED', 'NOTE_MALFORMED', 'CHECKPOINT_MALFORMED', 'SCHEMA_INVALID', 'PROOF_RANGE', 'STORE_EXISTS']) {
      expect(exitCodeOf(new LedgerError<string>(code, 'x')), code).toBe(EXIT.USAGE)
    }
  })

  it('maps failed proofs and damaged data to 1, a failed environment or unknown errors to 3', () => {
    expect(exitCodeOf(new LedgerError('PROOF_ROOT_MISMATCH', 'x'))).toBe(EXIT.FAILED)
    for (const code of ['STORE_CORRUPT', 'STORE_BEHIND_CHECKPOINT']) expect(exitCodeOf(new LedgerError<string>(code, 'x')), code).toBe(EXIT.FAILED)
    for (const code of ['STORE_LOCKED', 'STORE_NOT_FOUND', 'STORE_NO_SPACE', 'STORE_READ_ONLY', 'STORE_OPEN_FAILED', 'LEDGER_NOT_FOUND']) {
      expect(exitCodeOf(new LedgerError<string>(code, 'x')), code).toBe(EXIT.RUNTIME)
    }
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

describe('formatVerifyReport', () => {
  const vkey = 'example.org/log+01234567+AQ=='

  it('says under the header which key the audit trusted, and whether it was pinned', () => {
    const pinned = formatVerifyReport(report({}), { vkey, pinned: true }).split('\n')
    expect(pinned[0]).toBe('Full audit of example.org/log')
    expect(pinned[1]).toBe(`Key: ${vkey} (pinned with --key)`)
    expect(pinned).toContain('2,593/2,593 entries valid')
    expect(pinned).toContain('14/14 checkpoints consistent')
    const unpinned = formatVerifyReport(report({}), { vkey, pinned: false })
    expect(unpinned).toMatch(/^Key: .*NOT pinned/m)
  })

  it('adds the key to the JSON report', () => {
    expect(JSON.parse(formatVerifyJson(report({}), { vkey, pinned: false }))).toMatchObject({ format: 'liuhen-audit/1', ok: true, key: { vkey, pinned: false } })
  })
})
