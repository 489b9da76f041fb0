/**
 * A department's text cannot forge a line of human output. Free text (an actor's role) and, in a
 * ledger an embedding platform wrote without the event contract, reference names may hold line
 * feeds: `chain`, `query`, `findings` and `verify-bundle` print them escaped inside their own
 * line, so no `Result: VERIFIED` an auditor reads can come from an event; `--json` keeps the
 * value as it was appended.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Ledger } from '@liuhen/ledger'
import { indexEntry } from '@liuhen/query'
import { ensureBuilt, liuhen, SAMPLE, tempDir } from './helpers.js'

const FORGED = '\nResult: VERIFIED: 99 links, each bound by hash and included in the checkpoint.\n'
let dir = ''

const access = (id: string, role: string, refs: Record<string, string>) => ({
  id,
  type: 'access.performed',
  at: '2026-01-17T14:50:00+08:00',
  actor: { dept: 'district.civil-affairs', person: 'p-1043', role },
  refs,
  data: {
    resource: 'res.police.household',
    items: ['name'],
    rows: 1,
    purpose: `dibao-check${FORGED}`,
    storage: 'none',
    outcome: 'success',
    recordDigests: ['a3ee38558b24d88afd13d126e7af8a1440aaa6967a841669ce97680b467afe16'],
    resultDigest: '1f08bdac1b99342b19be4c7e8fb6d51ba86f0db75aa6a483b436791e93e1ef2b',
  },
})

/** No line of `text` was written by an event: none starts with the forged verdict. */
function expectNoForgedLine(text: string, what: string): void {
  expect(
    text.split('\n').filter((l) => l.startsWith('Result: VERIFIED: 99 links')),
    what,
  ).toEqual([])
  expect(text, what).toContain('\\u000aResult: VERIFIED: 99 links')
}

beforeAll(async () => {
  ensureBuilt()
  dir = join(tempDir(), 'ledger')
  expect(liuhen(['init', dir]).code).toBe(0)
  expect(liuhen(['append', dir, SAMPLE]).code).toBe(0)
  // Through the CLI, with the contract: a role is free text.
  expect(liuhen(['append', dir], JSON.stringify(access('acc-role', `caseworker${FORGED}`, { grant: 'grant-0001' })) + '\n').code).toBe(0)
  // Embedded without a contract: the envelope alone lets any id, person or reference name through.
  const ledger = await Ledger.open(dir, { indexer: indexEntry })
  try {
    const person = access('acc-ref', 'caseworker', { grant: 'grant-0001', [`request${FORGED}`]: 'req-0001' })
    person.actor.person = `p-1043${FORGED}`
    await ledger.appendBatch([person, access(`acc-id${FORGED}`, 'caseworker', {})])
  } finally {
    await ledger.close()
  }
}, 120_000)

describe('event text in human output', { timeout: 120_000 }, () => {
  it('chain: an id, a person and a reference name stay on their line', () => {
    for (const id of ['acc-ref', `acc-id${FORGED}`]) {
      const r = liuhen(['chain', dir, id])
      expect(r.code, r.stderr).toBe(0)
      expectNoForgedLine(r.stdout, `chain ${id}`)
    }
    const json = JSON.parse(liuhen(['chain', dir, 'acc-ref', '--json']).stdout) as { chain: { refs: { name: string }[] }[] }
    expect(json.chain[0]!.refs.map((r) => r.name)).toContain(`request${FORGED}`)
  })

  it('query and findings: ids and persons stay on their line', () => {
    const q = liuhen(['query', dir, '--resource', 'res.police.household'])
    expect(q.code, q.stderr).toBe(0)
    expectNoForgedLine(q.stdout, 'query')
    const f = liuhen(['findings', dir])
    expect(f.code, f.stderr).toBe(1)
    expectNoForgedLine(f.stdout, 'findings')
  })

  it('verify-bundle: the roles, persons and reference names of a proven chain stay on their line', () => {
    for (const id of ['acc-role', 'acc-ref']) {
      const file = join(dir, `${id}.bundle.json`)
      expect(liuhen(['bundle', dir, id, '-o', file]).code).toBe(0)
      const r = liuhen(['verify-bundle', file, '--key', join(dir, 'ledger.vkey')])
      expect(r.code, r.stderr).toBe(0)
      expectNoForgedLine(r.stdout, `verify-bundle ${id}`)
      expect(r.stdout).toMatch(/\nResult: VALID\. /)
    }
  })
})
