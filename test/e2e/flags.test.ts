/**
 * One flag, one meaning (DESIGN.md "The command line"): `--key` a verifier key, `--signer` a
 * signer's key file, `--record-key` a resource key, `--as-dept` the auditor's department. The
 * new names work and `--help` shows them; every old spelling still works, with a one-line
 * warning on stderr.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectRun, ensureBuilt, jsonLines, liuhen, SAMPLE, tempDir } from './helpers.js'

const SUBJECT = 'acc-2026-000062'
const RESOURCE = 'res.police.household'
const HEX_KEY = '00112233445566778899aabbccddeeff'

let dir: string
let skey: string
let vkey: string
let ledger: string

const warning = (flag: string, use: string): RegExp => new RegExp(`^liuhen: ${flag} here is [^\\n]*; use ${use} \\(the old spelling still works\\)$`, 'm')

/** The last entry's event (after an `--as` query appended its audit.queried). */
const lastEvent = (): { type: string; actor: { dept: string; person?: string } } => {
  const events = jsonLines(expectRun(['tail', ledger], 0).stdout).map((l) => l.event)
  return events[events.length - 1]
}

beforeAll(() => {
  ensureBuilt()
  dir = tempDir()
  skey = join(dir, 'audit.key')
  vkey = expectRun(['keygen', '--origin', 'ledger.district.example/audit', '--out', skey], 0).stdout.trim()
  ledger = join(dir, 'ledger')
  expect(expectRun(['init', ledger, '--signer', skey], 0).stdout.trim()).toBe(vkey)
  expectRun(['append', ledger, '-'], 0, readFileSync(SAMPLE, 'utf8'))
}, 120_000)

describe('init --signer (old spelling --key)', { timeout: 60_000 }, () => {
  it('takes the signer key file with either spelling; the old one warns', () => {
    const neu = expectRun(['init', join(dir, 'new'), '--signer', skey], 0)
    expect(neu.stdout.trim()).toBe(vkey)
    expect(neu.stderr).toBe('')
    const old = expectRun(['init', join(dir, 'old'), '--key', skey], 0)
    expect(old.stdout.trim()).toBe(vkey)
    expect(old.stderr).toMatch(warning('--key', '--signer'))
    expect(old.stderr.trim().split('\n')).toHaveLength(1)
    expectRun(['init', join(dir, 'both'), '--signer', skey, '--key', skey], 2)
  })
})

describe('query --record-key (old spelling --key)', { timeout: 60_000 }, () => {
  it('answers the same with either spelling; the old one warns; both at once is exit 2', () => {
    const args = ['query', ledger, '--resource', RESOURCE, '--record', '110101199001010011', '--json']
    const neu = expectRun([...args, '--record-key', HEX_KEY], 0)
    expect(neu.stderr).toBe('')
    const old = expectRun([...args, '--key', HEX_KEY], 0)
    expect(old.stdout).toBe(neu.stdout)
    expect(old.stderr).toMatch(warning('--key', '--record-key'))
    expectRun([...args, '--key', HEX_KEY, '--record-key', HEX_KEY], 2)
    expect(expectRun(args, 2).stderr).toMatch(/--record needs --record-key/)
  })

  it('keeps --dept a filter of the accesses', () => {
    const all = JSON.parse(expectRun(['query', ledger, '--resource', RESOURCE, '--json'], 0).stdout).accesses as { dept: string }[]
    expect(all.length).toBeGreaterThan(0)
    const dept = all[0]!.dept
    const r = expectRun(['query', ledger, '--resource', RESOURCE, '--dept', dept, '--json'], 0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout).accesses).toEqual(all.filter((a) => a.dept === dept))
  })
})

describe('chain and findings --as-dept (old spelling --dept)', { timeout: 60_000 }, () => {
  it("records the auditor's department given with either spelling; the old one warns", () => {
    const neu = expectRun(['chain', ledger, SUBJECT, '--as', 'p-audit-1', '--as-dept', 'district.audit'], 0)
    expect(neu.stderr).toBe('')
    expect(lastEvent()).toMatchObject({ type: 'audit.queried', actor: { dept: 'district.audit', person: 'p-audit-1' } })
    const old = expectRun(['chain', ledger, SUBJECT, '--as', 'p-audit-2', '--dept', 'city.audit'], 0)
    expect(old.stderr).toMatch(warning('--dept', '--as-dept'))
    expect(lastEvent()).toMatchObject({ type: 'audit.queried', actor: { dept: 'city.audit', person: 'p-audit-2' } })
    const findings = liuhen(['findings', ledger, '--as', 'p-audit-3', '--dept', 'city.audit'])
    expect(findings.code === 0 || findings.code === 1, findings.stderr).toBe(true)
    expect(findings.stderr).toMatch(warning('--dept', '--as-dept'))
    expect(lastEvent()).toMatchObject({ actor: { dept: 'city.audit', person: 'p-audit-3' } })
  })
})

describe('witness cosign --signer --key (old spellings --key FILE --log-key)', { timeout: 60_000 }, () => {
  it('cosigns with either spelling; the old ones warn', () => {
    const wkey = join(dir, 'w.key')
    expectRun(['witness', 'keygen', '--name', 'witness.example/w1', '--out', wkey], 0)
    const neu = expectRun(['witness', 'cosign', ledger, '--signer', wkey, '--key', vkey, '--state', join(dir, 'w-new.json')], 0)
    expect(neu.stderr).toBe('')
    const old = expectRun(['witness', 'cosign', ledger, '--key', wkey, '--log-key', vkey, '--state', join(dir, 'w-old.json')], 0)
    expect(old.stdout).toMatch(/^Cosigned /)
    expect(old.stderr).toMatch(warning('--key', '--signer'))
    expect(old.stderr).toMatch(warning('--log-key', '--key'))
    // The log's key is required under one spelling or the other.
    expect(expectRun(['witness', 'cosign', ledger, '--signer', wkey, '--state', join(dir, 'w-x.json')], 2).stderr).toMatch(/--key/)
  })
})

describe('--help', () => {
  const help = (...command: string[]): string => expectRun([...command, '--help'], 0).stdout
  const options = (text: string): string => text.slice(text.indexOf('Options:'), text.indexOf('\nOld spellings'))

  it('shows the new names, and names the old spellings only as such', () => {
    expect(options(help('init'))).toMatch(/--signer <file>/)
    expect(options(help('init'))).not.toMatch(/--key/)
    expect(options(help('query'))).toMatch(/--record-key <hex\|file>/)
    expect(options(help('query'))).not.toMatch(/--key </)
    expect(options(help('query'))).toMatch(/--as-dept <dept>/)
    expect(options(help('chain'))).toMatch(/--as-dept <dept>/)
    expect(options(help('chain'))).not.toMatch(/--dept </)
    expect(options(help('findings'))).not.toMatch(/--dept </)
    const cosign = help('witness', 'cosign')
    expect(options(cosign)).toMatch(/--signer <file>[\s\S]*--key <vkey>/)
    expect(options(cosign)).not.toMatch(/--log-key/)
    expect(cosign).toMatch(/Old spellings still accepted, with a warning: --log-key \(now --key\)/)
    expect(help('query')).toMatch(/Old spellings still accepted, with a warning: --key \(now --record-key\)/)
  })
})

describe('simulate defaults', { timeout: 120_000 }, () => {
  it('shows every default in --help, and runs on them', () => {
    const help = expectRun(['simulate', '--help'], 0).stdout.replace(/\s+/g, ' ')
    for (const [flag, value] of [
      ['--seed', '1'],
      ['--days', '30'],
      ['--profile', 'district'],
      ['--access-scale', '0.15'],
      ['--start', '2026-02-09'],
    ]) {
      expect(help).toMatch(new RegExp(`${flag} <\\w+> .*?\\(default: "${value}"\\)`))
    }
    // No --seed needed any more; the shaping options left out take their defaults.
    const sim = join(dir, 'sim')
    const r = expectRun(['simulate', sim, '--days', '2', '--access-scale', '0.001', '--json', '--no-progress'], 0)
    expect(JSON.parse(r.stdout).events).toBeGreaterThan(0)
    expect(JSON.parse(readFileSync(join(sim, 'truth.json'), 'utf8')).options).toMatchObject({ seed: 1, days: 2, start: '2026-02-09', profile: 'district', accessScale: 0.001 })
    // --score with no shaping option still scores the existing simulation.
    expect(expectRun(['simulate', sim, '--score', '--no-progress'], 0).stdout).toMatch(/Result: recall and precision 1\.0 for every code\./)
  })
})
