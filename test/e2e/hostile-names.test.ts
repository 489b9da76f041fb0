/**
 * End-to-end: names from events are data. Every property name of `Object.prototype`, used as
 * ref name, event id, dept (where the schema allows), person, resource, item and data key, is
 * appended through `liuhen append`; `findings`, `stats`, `query` and `chain` must then run,
 * report no false finding and print no function's source.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEPT_ID, hostileLog, PROTO_NAMES } from '../../packages/query/test/support/hostile-names.js'
import { ensureBuilt, liuhen, tempDir } from './helpers.js'

let ledger: string

beforeAll(() => {
  ensureBuilt()
  const dir = tempDir()
  ledger = join(dir, 'ledger')
  const input = join(dir, 'events.jsonl')
  writeFileSync(
    input,
    hostileLog(PROTO_NAMES, (i) => DEPT_ID.test(PROTO_NAMES[i]!))
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  )
  expect(liuhen(['init', ledger]).code).toBe(0)
  const r = liuhen(['append', ledger, input])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
}, 60_000)

const clean = (text: string): void => expect(text).not.toMatch(/native code|function |TypeError/)

describe('every property name of Object.prototype through the CLI', () => {
  it('findings: exactly one GRANT_NO_BASIS per name, no GRANT_MANY_BASES', () => {
    const r = liuhen(['findings', ledger, '--json'])
    clean(r.stdout + r.stderr)
    const { findings } = JSON.parse(r.stdout) as { findings: { code: string; event: string }[] }
    expect(findings.map((f) => `${f.code} ${f.event}`).sort()).toEqual(PROTO_NAMES.map((_, i) => `GRANT_NO_BASIS grantx-${i}`).sort())
  })

  it('stats: the stray refs are no mechanism, and no function is printed', () => {
    const human = liuhen(['stats', ledger])
    expect(human.code).toBe(0)
    clean(human.stdout + human.stderr)
    const json = liuhen(['stats', ledger, '--json'])
    clean(json.stdout)
    const n = PROTO_NAMES.length
    expect(JSON.parse(json.stdout).byMechanism).toEqual({ 'platform-reply': { grants: n, accesses: n, rows: n }, unknown: { grants: n, accesses: n, rows: n } })
  })

  it('query and chain answer for every name', () => {
    for (const [i, n] of PROTO_NAMES.entries()) {
      const q = liuhen(['query', ledger, '--resource', n, '--json'])
      expect(q.code, q.stderr).toBe(0)
      clean(q.stdout + q.stderr)
      expect(JSON.parse(q.stdout).accesses.map((a: any) => a.id)).toEqual([`acc-${i}`, `accx-${i}`])
      for (const id of [`acc-${i}`]) {
        const c = liuhen(['chain', ledger, id, '--json'])
        expect(c.code, c.stderr).toBe(0)
        clean(c.stdout + c.stderr)
        expect(JSON.parse(c.stdout).ok).toBe(true)
      }
    }
  }, 120_000)
})
