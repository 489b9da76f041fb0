/**
 * End-to-end tests of what an auditor and a witness do with the `liuhen` command: offline proof
 * bundles (`bundle`, `verify-bundle` on a machine with no database), audits against held
 * checkpoints (rollback, truncation, a fork signed with the log's own key), and witnesses
 * (`witness keygen`, `witness cosign`, `verify --witness --quorum`).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openCheckpoint, verifierFromKey, verifyCosignatures } from '@liuhen/core'
import { expectRun, checkpointRoot, ensureBuilt, extra, liuhen, SAMPLE, tempDir } from './helpers.js'

const ORIGIN = 'ledger.district.example/audit'
/** An access whose chain runs through a grant to its request and basis. */
const SUBJECT = 'acc-2026-000062'

let dir: string
let keyFile: string
let vkey: string

/** A new ledger signed with the shared key, holding `events` (JSON lines), in format 2 unless `format` says 1. */
function ledgerWith(name: string, events: string, format: '1' | '2' = '2'): string {
  const target = join(dir, name)
  expectRun(['init', target, '--signer', keyFile, '--format', format], 0)
  expectRun(['append', target, '-'], 0, events)
  return target
}

/** Writes the ledger's latest checkpoint to a file (as an auditor keeps it) and returns the file. */
function holdCheckpoint(ledger: string, file: string): string {
  writeFileSync(join(dir, file), expectRun(['checkpoint', ledger], 0).stdout)
  return join(dir, file)
}

beforeAll(() => {
  ensureBuilt()
  dir = tempDir()
  keyFile = join(dir, 'audit.key')
  vkey = expectRun(['keygen', '--origin', ORIGIN, '--out', keyFile], 0).stdout.trim()
}, 120_000)

describe('liuhen bundle and verify-bundle', { timeout: 120_000 }, () => {
  let bundleFile: string

  beforeAll(() => {
    const ledger = ledgerWith('bundled', readFileSync(SAMPLE, 'utf8'))
    const r = expectRun(['bundle', ledger, SUBJECT, '-o', join(dir, 'chain.json')], 0)
    // The subject's grant was revoked: the revocation is a later event bearing on its chain.
    expect(r.stdout).toMatch(new RegExp(`${SUBJECT} and the \\d+ entries its references and 1 later event bearing on its chain reach, proven against the checkpoint at size 113`))
    // The auditor's machine: a copy of the bundle file alone, no ledger, no database.
    bundleFile = join(tempDir(), 'chain.json')
    cpSync(join(dir, 'chain.json'), bundleFile)
  }, 120_000)

  it('verifies offline with the pinned key and prints the chain it proved', () => {
    const r = expectRun(['verify-bundle', bundleFile, '--key', vkey], 0)
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'))
    expect(bundle.entries.length).toBeGreaterThanOrEqual(3)
    expect(r.stdout).toMatch(/^Checkpoint: ledger\.district\.example\/audit at size 113, root [A-Za-z0-9+/]{43}=, signed by the pinned key$/m)
    expect(r.stdout).toMatch(new RegExp(`^  #\\d+  access\\.performed  ${SUBJECT}$`, 'm'))
    expect(r.stdout).toMatch(/^ {6}grant -> grant-\d+ \(#\d+, leaf [0-9a-f]{16}\.\.\.\)$/m)
    expect(r.stdout).toMatch(/^ {6}by \S+/m)
    expect(r.stdout).toMatch(new RegExp(`Result: VALID\\. ${bundle.entries.length} entries proven in ledger\\.district\\.example/audit as of size 113\\.`))
    const json = JSON.parse(expectRun(['verify-bundle', bundleFile, '--key', vkey, '--json'], 0).stdout)
    expect(json).toMatchObject({ format: 'liuhen-bundle-check/1', ok: true, checkpoint: { origin: ORIGIN, size: 113 }, failures: [] })
    expect(json.chain[0]).toMatchObject({ id: SUBJECT, type: 'access.performed', index: bundle.entries[0].index })
    expect(json.chain.map((l: { index: number }) => l.index)).toEqual(bundle.entries.map((e: { index: number }) => e.index))
    for (const link of json.chain) for (const ref of link.refs) if (ref.index !== undefined) expect(json.chain.some((l: { index: number }) => l.index === ref.index)).toBe(true)
  })

  it('fails (exit 1) on any single changed byte', () => {
    const bytes = readFileSync(bundleFile)
    const text = bytes.toString('utf8')
    const at = (s: string, offset = 0): number => {
      expect(text.indexOf(s), s).toBeGreaterThanOrEqual(0)
      return text.indexOf(s) + offset
    }
    const positions = [
      0,
      1,
      at('"vkey"', 12),
      at('"checkpoint"', 20),
      at('\\n\\n', 6),
      at('"entry": "', 30),
      at('"proof": [', 20),
      at('"index"', 9),
      Math.floor(bytes.length / 2),
      at('\n  '),
      bytes.length - 2,
      bytes.length - 1,
    ]
    for (const pos of positions) {
      const changed = Buffer.from(bytes)
      changed[pos] = (changed[pos] as number) ^ 0x01
      const file = join(tempDir(), 'changed.json')
      writeFileSync(file, changed)
      const r = liuhen(['verify-bundle', file, '--key', vkey])
      expect(r.code, `byte ${pos}: ${r.stdout}${r.stderr}`).toBe(1)
      expect(r.stdout).toMatch(/INVALID \(BUNDLE_[A-Z_]+\)[\s\S]*Result: FAILED\./)
    }
  })

  it('fails (exit 1) with another key; a malformed key is bad usage (exit 2)', () => {
    const other = expectRun(['keygen', '--origin', ORIGIN, '--out', join(tempDir(), 'other.key')], 0).stdout.trim()
    const r = expectRun(['verify-bundle', bundleFile, '--key', other], 1)
    expect(r.stdout).toMatch(/Bundle INVALID \(BUNDLE_KEY_MISMATCH\)/)
    expect(r.stderr).toMatch(/^liuhen: bundle verification failed \(BUNDLE_KEY_MISMATCH\)/)
    expectRun(['verify-bundle', bundleFile, '--key', 'not-a-key'], 2)
  })

  it('refuses an event the log does not hold (exit 2)', () => {
    expectRun(['bundle', join(dir, 'bundled'), 'no-such-event', '-o', join(dir, 'none.json')], 2)
  })
})

describe('liuhen verify against held checkpoints', { timeout: 120_000 }, () => {
  let ledger: string
  let old: string
  let held: string
  let newer: string

  beforeAll(() => {
    ledger = ledgerWith('held', readFileSync(SAMPLE, 'utf8'))
    held = holdCheckpoint(ledger, 'held-113.checkpoint')
    old = join(dir, 'held-copy-113')
    cpSync(ledger, old, { recursive: true }) // the ledger as it was, before more appends
    expectRun(['append', ledger, '-'], 0, extra(40, 1))
    newer = holdCheckpoint(ledger, 'held-153.checkpoint')
  }, 120_000)

  it('passes (exit 0) with an older held checkpoint, full and incremental, and counts what it checked', () => {
    const r = expectRun(['verify', ledger, '--key', vkey, '--checkpoint', held], 0)
    expect(r.stdout).toContain(`Key: ${vkey} (pinned with --key)`)
    expect(r.stdout).toContain('\n153/153 entries valid\n')
    expect(r.stdout).toMatch(/\n(\d+)\/\1 checkpoints consistent\n/)
    expect(r.stdout).toContain('Result: VALID. The log is intact from entry 0 to entry 152.')
    const inc = expectRun(['verify', ledger, '--key', vkey, '--checkpoint', held, newer, '--incremental'], 0)
    expect(inc.stdout).toMatch(/^Incremental audit of ledger\.district\.example\/audit$/m)
    expect(inc.stdout).toContain('3/3 checkpoints consistent')
  })

  it('says when the key was not pinned', () => {
    expect(expectRun(['verify', ledger], 0).stdout).toMatch(/^Key: .* NOT pinned/m)
    expect(JSON.parse(expectRun(['verify', ledger, '--json'], 0).stdout)).toMatchObject({ ok: true, key: { vkey, pinned: false } })
  })

  it('fails (exit 1) on a rolled-back or truncated log: the old copy against a newer held checkpoint', () => {
    for (const mode of [[], ['--incremental']]) {
      const r = expectRun(['verify', old, '--key', vkey, '--checkpoint', newer, ...mode], 1)
      expect(r.stdout).toMatch(/Held checkpoint at size 153 INVALID \(AUDIT_INCONSISTENT\): (rollback|truncation)/)
      expect(r.stderr).toMatch(/^liuhen: verification failed.*\(AUDIT_INCONSISTENT (rollback|truncation)\)/)
      const json = JSON.parse(expectRun(['verify', old, '--key', vkey, '--checkpoint', newer, '--json', ...mode], 1).stdout)
      expect(json.failures).toContainEqual(expect.objectContaining({ code: 'AUDIT_INCONSISTENT', size: 153, kind: expect.stringMatching(/^(rollback|truncation)$/) }))
    }
  })

  it("catches a fork signed with the log's own key (two ledgers, same key file, other events)", () => {
    const fork = ledgerWith('fork', extra(160, 1000))
    for (const mode of [[], ['--incremental']]) {
      const r = expectRun(['verify', fork, '--key', vkey, '--checkpoint', held, ...mode], 1)
      expect(r.stdout).toMatch(/Held checkpoint at size 113 INVALID \(AUDIT_INCONSISTENT\): fork/)
    }
    // A fork at the same size: both checkpoints verify with the key, the roots differ.
    const twin = ledgerWith('fork-113', extra(113, 2000))
    expect(checkpointRoot(readFileSync(held, 'utf8')).size).toBe(checkpointRoot(expectRun(['checkpoint', twin], 0).stdout).size)
    expect(expectRun(['verify', twin, '--key', vkey, '--checkpoint', held, '--incremental'], 1).stdout).toMatch(/AUDIT_INCONSISTENT\): fork/)
  })

  it('refuses usage errors with exit 2', () => {
    expectRun(['verify', ledger, '--quorum', '1'], 2)
    expectRun(['verify', ledger, '--witness', vkey], 2) // a log key is not a witness key
  })
})

describe('liuhen witness', { timeout: 120_000 }, () => {
  let ledger: string
  let before: string
  let state: string
  let wkey: string
  let wvkey: string

  beforeAll(() => {
    wkey = join(dir, 'bureau.key')
    wvkey = expectRun(['witness', 'keygen', '--name', 'witness.data-bureau.example/w1', '--out', wkey], 0).stdout.trim()
    expect(wvkey).toMatch(/^witness\.data-bureau\.example\/w1\+[0-9a-f]{8}\+/)
    state = join(dir, 'bureau-state.json')
    ledger = ledgerWith('witnessed', readFileSync(SAMPLE, 'utf8'))
    const first = expectRun(['witness', 'cosign', ledger, '--signer', wkey, '--key', vkey, '--state', state], 0)
    expect(first.stdout).toMatch(/^Cosigned ledger\.district\.example\/audit at size 113 as witness\.data-bureau\.example\/w1 \(first cosignature for this log\)/)
    before = join(dir, 'witnessed-copy-113')
    cpSync(ledger, before, { recursive: true })
    expectRun(['append', ledger, '-'], 0, extra(20, 1))
    const second = expectRun(['witness', 'cosign', ledger, '--signer', wkey, '--key', vkey, '--state', state, '--json'], 0)
    expect(JSON.parse(second.stdout)).toMatchObject({ origin: ORIGIN, size: 133, previousSize: 113, witness: 'witness.data-bureau.example/w1' })
  }, 120_000)

  it('stores the cosigned checkpoint in the ledger and keeps its state file', () => {
    const note = expectRun(['checkpoint', ledger], 0).stdout
    expect(openCheckpoint(note, verifierFromKey(vkey)).checkpoint.size).toBe(133)
    expect(verifyCosignatures(note, [verifierFromKey(wvkey)])).toHaveLength(1)
    const saved = JSON.parse(readFileSync(state, 'utf8'))
    expect(saved).toMatchObject({ format: 'liuhen-witness-state/1', origin: ORIGIN, vkey, size: 133 })
    expect(openCheckpoint(saved.last, verifierFromKey(vkey)).checkpoint.size).toBe(133)
  })

  it('meets the quorum (exit 0) and fails it with a witness that never cosigned (exit 1)', () => {
    const r = expectRun(['verify', ledger, '--key', vkey, '--witness', wvkey, '--quorum', '1'], 0)
    expect(r.stdout).toContain('1 witness cosignatures valid, quorum 1 (witness.data-bureau.example/w1)')
    expectRun(['verify', ledger, '--key', vkey, '--witness', wvkey, '--incremental'], 0)
    const never = expectRun(['witness', 'keygen', '--name', 'witness.other.example/w2', '--out', join(dir, 'never.key')], 0).stdout.trim()
    const fail = expectRun(['verify', ledger, '--key', vkey, '--witness', never, '--quorum', '1'], 1)
    expect(fail.stdout).toMatch(/Witnesses INVALID \(AUDIT_WITNESS_QUORUM\)/)
    expect(fail.stderr).toMatch(/AUDIT_WITNESS_QUORUM/)
    expectRun(['verify', ledger, '--key', vkey, '--witness', wvkey, never, '--quorum', '1'], 0)
    expectRun(['verify', ledger, '--key', vkey, '--witness', wvkey, never], 1) // quorum defaults to all
  })

  it('refuses to cosign a rolled-back ledger (exit 1) and leaves its state unchanged', () => {
    const saved = readFileSync(state, 'utf8')
    const r = expectRun(['witness', 'cosign', before, '--signer', wkey, '--key', vkey, '--state', state], 1)
    expect(r.stderr).toMatch(/^liuhen: refused to cosign \(WITNESS_ROLLBACK\)/)
    expect(readFileSync(state, 'utf8')).toBe(saved)
    expect(verifyCosignatures(expectRun(['checkpoint', before], 0).stdout, [verifierFromKey(wvkey)])).toHaveLength(1) // still only the old one
  })

  it('refuses to cosign a fork signed with the log key (exit 1)', () => {
    const fork = ledgerWith('witnessed-fork', extra(140, 3000))
    const saved = readFileSync(state, 'utf8')
    const r = expectRun(['witness', 'cosign', fork, '--signer', wkey, '--key', vkey, '--state', state], 1)
    expect(r.stderr).toMatch(/^liuhen: refused to cosign \(WITNESS_(FORK|PROOF_INVALID)\)/)
    expect(readFileSync(state, 'utf8')).toBe(saved)
  })

  it('refuses a state file of another log (exit 2)', () => {
    const other = expectRun(['keygen', '--origin', 'other.example/log', '--out', join(tempDir(), 'o.key')], 0).stdout.trim()
    expectRun(['witness', 'cosign', ledger, '--signer', wkey, '--key', other, '--state', state], 2)
  })

  it("format 1 keeps every checkpoint: checks the latest cosigned one when the log grew after it (an auditor's own recorded question)", () => {
    const kept = ledgerWith('witnessed-format1', readFileSync(SAMPLE, 'utf8'), '1')
    const keptState = join(dir, 'bureau-state-format1.json')
    expectRun(['witness', 'cosign', kept, '--signer', wkey, '--key', vkey, '--state', keptState], 0)
    expectRun(['append', kept, '-'], 0, extra(20, 1))
    expectRun(['witness', 'cosign', kept, '--signer', wkey, '--key', vkey, '--state', keptState], 0)
    expectRun(['chain', kept, SUBJECT, '--as', 'p-audit-1'], 0) // appends an audit.queried: size 134, not cosigned
    expect(checkpointRoot(expectRun(['checkpoint', kept], 0).stdout).size).toBe(134)
    for (const mode of [[], ['--incremental']]) {
      const r = expectRun(['verify', kept, '--key', vkey, '--witness', wvkey, '--quorum', '1', ...mode], 0)
      expect(r.stdout).toMatch(
        /1 witness cosignatures valid, quorum 1 \(witness\.data-bureau\.example\/w1\), on the checkpoint at size 133, cosigned \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00; 1 entry beyond it/,
      )
      const json = JSON.parse(expectRun(['verify', kept, '--key', vkey, '--witness', wvkey, '--quorum', '1', '--json', ...mode], 0).stdout)
      expect(json.witnesses).toMatchObject({ valid: 1, quorum: 1, size: 133, beyond: 1 })
    }
  })

  it('format 2 keeps only its latest checkpoint: once the log grew the quorum fails until the witness cosigns the new one', () => {
    expectRun(['chain', ledger, SUBJECT, '--as', 'p-audit-1'], 0) // appends an audit.queried: size 134, not cosigned
    expect(checkpointRoot(expectRun(['checkpoint', ledger], 0).stdout).size).toBe(134)
    for (const mode of [[], ['--incremental']]) {
      const r = expectRun(['verify', ledger, '--key', vkey, '--witness', wvkey, '--quorum', '1', ...mode], 1)
      expect(r.stdout).toMatch(/Witnesses INVALID \(AUDIT_WITNESS_QUORUM\)/)
    }
    const cosigned = expectRun(['witness', 'cosign', ledger, '--signer', wkey, '--key', vkey, '--state', state, '--json'], 0)
    expect(JSON.parse(cosigned.stdout)).toMatchObject({ size: 134, previousSize: 133 })
    for (const mode of [[], ['--incremental']]) {
      const json = JSON.parse(expectRun(['verify', ledger, '--key', vkey, '--witness', wvkey, '--quorum', '1', '--json', ...mode], 0).stdout)
      expect(json.witnesses).toMatchObject({ valid: 1, quorum: 1, size: 134, beyond: 0 })
    }
  })
})
