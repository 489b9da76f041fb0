import { describe, expect, it } from 'vitest'
import { buildChain, FindingsEngine, queryAccesses, StatsEngine } from '../src/index.js'
import { hostileLog, innocent, PROTO_NAMES } from './support/hostile-names.js'
import { buildLedger, type TestLedger } from './support/ledger.js'

/** Every answer the package gives about the log, as one JSON text (leaf hashes left out: the bytes differ). */
async function answers(led: TestLedger, names: readonly string[]): Promise<string> {
  const findings = new FindingsEngine()
  const stats = new StatsEngine()
  for (const e of led.entries) {
    findings.add(e)
    stats.add(e)
  }
  const out: Record<string, unknown> = { findings: findings.finish(), stats: stats.result() }
  for (const [i, n] of names.entries()) {
    out[`query-${i}`] = await queryAccesses(led.store, { resource: n })
    out[`person-${i}`] = await queryAccesses(led.store, { resource: n, person: n, dept: n })
    for (const id of [n, `acc-${i}`, `accx-${i}`, `grant-${i}`]) out[`chain-${id}`] = await buildChain(led.store, id)
  }
  return JSON.stringify(out, (k, v: unknown) => (k === 'hash' ? undefined : v))
}

describe('names from events are data, not code', () => {
  it('every property name of Object.prototype, as ref name, id, dept, person, resource, item and data key, gets the answers an innocent name gets', async () => {
    const innocents = PROTO_NAMES.map((_, i) => innocent(i))
    const hostile = await answers(await buildLedger(hostileLog(PROTO_NAMES)), PROTO_NAMES)
    let expected = await answers(await buildLedger(hostileLog(innocents)), innocents)
    for (const [i, n] of PROTO_NAMES.entries()) expected = expected.replaceAll(innocent(i), n)
    // Parsed, so that key order (entries sort their keys) does not count; one key at a time for a readable failure.
    const got = JSON.parse(hostile) as Record<string, unknown>
    const want = JSON.parse(expected) as Record<string, unknown>
    expect(Object.keys(got)).toEqual(Object.keys(want))
    for (const k of Object.keys(want)) expect({ [k]: got[k] }).toEqual({ [k]: want[k] })
    expect(hostile).not.toMatch(/native code|function /)
    // The stray refs are not bases: one GRANT_NO_BASIS per name (the grant whose only would-be basis is the stray ref), no GRANT_MANY_BASES.
    const codes = (JSON.parse(hostile) as { findings: { code: string }[] }).findings.map((f) => f.code)
    expect(codes.filter((c) => c === 'GRANT_MANY_BASES')).toEqual([])
    expect(codes.filter((c) => c === 'GRANT_NO_BASIS')).toHaveLength(PROTO_NAMES.length)
    expect(JSON.parse(hostile).stats.byMechanism).toEqual({
      'platform-reply': { grants: PROTO_NAMES.length, accesses: PROTO_NAMES.length, rows: PROTO_NAMES.length },
      unknown: { grants: PROTO_NAMES.length, accesses: PROTO_NAMES.length, rows: PROTO_NAMES.length },
    })
  })
})
