/**
 * Every command prints times in the ledger's zone (+08:00), deadlines included, and the root in
 * one encoding for people: base64, as the C2SP checkpoint text writes it (`--json` keeps hex).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectRun, ensureBuilt, jsonLines, SAMPLE, tempDir } from './helpers.js'

const SUBJECT = 'acc-2026-000062'
/** A time in UTC (`Z`) or any other offset than +08:00. */
const OTHER_ZONE = /\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-](?!08:00)\d\d:\d\d)\b/

let dir: string
let ledger: string
let vkey: string

beforeAll(() => {
  ensureBuilt()
  dir = tempDir()
  ledger = join(dir, 'ledger')
  vkey = expectRun(['init', ledger], 0).stdout.trim()
  expectRun(['append', ledger, '-'], 0, readFileSync(SAMPLE, 'utf8'))
  // An event recorded in UTC: people still read it in the ledger's zone.
  const utc = {
    id: 'org-utc',
    type: 'org.registered',
    at: '2026-03-01T01:00:00Z',
    actor: { dept: 'district.data-bureau' },
    data: { org: 'community.utc', name: '社区', level: 'community', parent: 'street.lianhua' },
  }
  expectRun(['append', ledger, '-'], 0, JSON.stringify(utc) + '\n')
}, 120_000)

describe('times in the ledger zone', { timeout: 120_000 }, () => {
  it('findings, query, chain, tail, bundle and verify print no time in another zone; deadlines neither', () => {
    const findings = expectRun(['findings', ledger], 1).stdout
    expect(findings).toMatch(/^Findings as of 2026-03-01T09:00:00\+08:00: /)
    expect(findings).toMatch(/deadline \d{4}-\d\d-\d\dT23:59:59\.999\+08:00 /)
    const bundle = join(dir, 'b.json')
    expectRun(['bundle', ledger, SUBJECT, '-o', bundle], 0)
    const outputs = [
      findings,
      expectRun(['findings', ledger, '--json'], 1).stdout,
      expectRun(['query', ledger, '--resource', 'res.police.household'], 0).stdout,
      expectRun(['chain', ledger, SUBJECT], 0).stdout,
      expectRun(['chain', ledger, 'org-utc'], 0).stdout,
      expectRun(['tail', ledger, '--from', '100'], 0).stdout,
      expectRun(['verify-bundle', bundle, '--key', vkey], 0).stdout,
      expectRun(['verify-bundle', bundle, '--key', vkey, '--json'], 0).stdout,
      expectRun(['verify', ledger], 0).stdout,
    ]
    // Event data keeps its recorded `at` in JSON; every time printed for people is +08:00.
    for (const text of outputs) expect(text.replaceAll('"at":"2026-03-01T01:00:00Z"', '')).not.toMatch(OTHER_ZONE)
    expect(outputs[4]).toContain('org-utc  org.registered  #113  2026-03-01T09:00:00+08:00')
    const tail = jsonLines(outputs[5]!)
    expect(tail.every((l) => /\+08:00$/.test(l.time))).toBe(true)
  })

  it("records an auditor's question at a time in the ledger's zone", () => {
    expectRun(['chain', ledger, SUBJECT, '--as', 'p-audit-1'], 0)
    const last = jsonLines(expectRun(['tail', ledger], 0).stdout).pop()
    expect(last.event.type).toBe('audit.queried')
    expect(last.event.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+08:00$/)
  })
})

describe('one root encoding', { timeout: 120_000 }, () => {
  it('checkpoint, verify, chain and verify-bundle show the same base64 root', () => {
    const note = expectRun(['checkpoint', ledger], 0).stdout
    const [, size, root] = note.split('\n')
    expect(root).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    const file = join(dir, 'held.txt')
    writeFileSync(file, note)
    expect(expectRun(['verify', ledger, '--key', vkey], 0).stdout).toContain(`Tree: ${size} entries, root ${root} (`)
    expect(expectRun(['verify', ledger, '--key', vkey, '--incremental', '--checkpoint', file], 0).stdout).toContain(`root ${root} (`)
    expect(expectRun(['chain', ledger, SUBJECT], 0).stdout).toContain(`signed checkpoint of size ${size} (root ${root})`)
    const bundle = join(dir, 'b2.json')
    expectRun(['bundle', ledger, SUBJECT, '-o', bundle], 0)
    expect(expectRun(['verify-bundle', bundle, '--key', vkey], 0).stdout).toContain(`at size ${size}, root ${root}, signed`)
    // Machines get hex, as every --json hash.
    expect(JSON.parse(expectRun(['verify', ledger, '--key', vkey, '--json'], 0).stdout).root).toBe(Buffer.from(root!, 'base64').toString('hex'))
  })
})
