/**
 * One computation decides: the status that `queryAccesses` and `buildChain` give each access
 * (found through the indexes) holds exactly the findings the streaming engine reports about that
 * access, on the query package's scenario and on a simulated month with planted anomalies; and
 * every planted access anomaly shows in the query row and the chain of its access.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Entry, type Event, type ReadableStore } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { buildChain, FindingsEngine, indexEntry, queryAccesses, type Finding, type IndexPosting } from '@liuhen/query'
import { simulate } from '@liuhen/sim'
import { buildLedger, readEvents } from '../packages/query/test/support/ledger.js'

interface TestLedger {
  store: ReadableStore
  entries: Entry[]
}

/** The simulated events appended to a real ledger on disk (its store's range reads are what queries use). */
async function onDisk(events: readonly Event[], run: (led: TestLedger) => Promise<void>, indexer = indexEntry): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'liuhen-status-'))
  const ledger = await Ledger.create(join(dir, 'ledger'), { origin: 'status.test.example/log', indexer })
  try {
    for (let i = 0; i < events.length; i += 2000) await ledger.appendBatch(events.slice(i, i + 2000))
    const entries: Entry[] = []
    for await (const c of ledger.entries()) entries.push(c.entry)
    await run({ store: ledger.store, entries })
  } finally {
    await ledger.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The postings of a ledger indexed by an earlier version: no `catalogue` or `version` posting,
 * and an access's `grant` ref in the `ref` posting.
 */
function legacyIndexEntry(entry: Entry): IndexPosting[] {
  const postings = indexEntry(entry).filter((p) => p.name !== 'catalogue' && p.name !== 'version')
  const grant = entry.refs.find((r) => r.name === 'grant')
  if (entry.event.type === 'access.performed' && grant && !grant.id.includes('\0')) postings.push({ name: 'ref', key: grant.id })
  return postings
}

const ACCESS_CODES = new Set(['ACCESS_NO_GRANT', 'ACCESS_GRANT_EXPIRED', 'ACCESS_GRANT_REVOKED', 'ACCESS_OUT_OF_SCOPE', 'ACCESS_STORED', 'DATA_STALE'])
const line = (f: { code: string; evidence: string[]; message: string }): string => `${f.code} [${f.evidence.join(',')}] ${f.message}`

/** The engine's findings about accesses, by access id. */
function engineByAccess(led: TestLedger): Map<string, string[]> {
  const engine = new FindingsEngine()
  for (const e of led.entries) engine.add(e)
  const out = new Map<string, string[]>()
  for (const f of engine.finish() as Finding[]) {
    if (!ACCESS_CODES.has(f.code)) continue
    out.set(f.event, [...(out.get(f.event) ?? []), line(f)])
  }
  return out
}

/** Every access's status through `queryAccesses` (one query per resource), by access id. */
async function queriedByAccess(led: TestLedger, events: readonly Event[]): Promise<Map<string, string[]>> {
  const resources = new Set(events.filter((e) => e.type === 'access.performed').map((e) => String(e.data['resource'])))
  const out = new Map<string, string[]>()
  for (const resource of resources) for (const row of await queryAccesses(led.store, { resource })) if (row.status.findings.length > 0) out.set(row.id, row.status.findings.map(line))
  return out
}

const sorted = (m: Map<string, string[]>): [string, string[]][] => [...m].map(([k, v]): [string, string[]] => [k, [...v].sort()]).sort((a, b) => a[0].localeCompare(b[0]))

describe('the status of an access is the findings engine’s judgment', () => {
  it('on the scenario: every access, through queryAccesses and buildChain', async () => {
    const events = readEvents(new URL('../packages/query/test/fixtures/scenario.jsonl', import.meta.url))
    const led = await buildLedger(events)
    const engine = engineByAccess(led)
    expect(engine.size).toBeGreaterThan(5)
    const queried = await queriedByAccess(led, events)
    expect(sorted(queried)).toEqual(sorted(engine))
    for (const e of events.filter((x) => x.type === 'access.performed')) {
      const c = await buildChain(led.store, e.id)
      expect([...(c.chain[0]!.status?.findings.map(line) ?? [])].sort(), e.id).toEqual([...(engine.get(e.id) ?? [])].sort())
    }
  })

  it('on a simulated month: every planted access anomaly is in the query row and the chain of its access', async () => {
    // The end-to-end tests' month (about 16,000 events, 6,300 accesses): every access code but
    // ACCESS_GRANT_EXPIRED is planted (the scenario above has one).
    const sim = simulate({ seed: 7, days: 30, accessScale: 0.003 })
    const events = [...sim]
    await onDisk(events, async (led) => {
      const engine = engineByAccess(led)
      const queried = await queriedByAccess(led, events)
      expect(sorted(queried)).toEqual(sorted(engine))
      const accessIds = new Set(events.filter((e) => e.type === 'access.performed').map((e) => e.id))
      const planted = sim.truth.filter((t) => accessIds.has(t.event))
      expect(new Set(planted.map((t) => t.code))).toEqual(new Set(['ACCESS_NO_GRANT', 'ACCESS_GRANT_REVOKED', 'ACCESS_OUT_OF_SCOPE', 'ACCESS_STORED', 'DATA_STALE']))
      for (const t of planted) {
        expect(
          queried.get(t.event)?.map((l) => l.split(' ')[0]),
          `${t.code} ${t.event}`,
        ).toContain(t.code)
        const c = await buildChain(led.store, t.event)
        expect(
          c.chain[0]!.status!.findings.map((f) => f.code),
          `${t.code} ${t.event}`,
        ).toContain(t.code)
      }
    })
  }, 120_000)

  it('on a ledger indexed by an earlier version (no catalogue or version posting): the same statuses', async () => {
    const sim = simulate({ seed: 7, days: 30, accessScale: 0.003 })
    const events = [...sim]
    await onDisk(
      events,
      async (led) => {
        const engine = engineByAccess(led)
        expect([...engine.values()].flat().some((l) => l.startsWith('DATA_STALE'))).toBe(true)
        expect(sorted(await queriedByAccess(led, events))).toEqual(sorted(engine))
      },
      legacyIndexEntry,
    )
  }, 120_000)
})
