/**
 * The fixed log every Liuhen vector derives from: twelve entries built as the ledger builds them
 * (references resolved to index and leaf hash), with fixed ledger times, and the tree over them
 * built with core's CompactRange.
 */
import { CompactRange, EMPTY_ROOT, encodeEntry, hashLeaf, planConsistency, planInclusion, type Entry } from '@liuhen/core'

/** The fixed log every vector derives from; see {@link LOG}. */
export interface VectorLog {
  entries: Entry[]
  bytes: Uint8Array[]
  leaves: Uint8Array[]
  /** Complete node hashes by `level/index`, as CompactRange reports them. */
  nodes: Map<string, Uint8Array>
  /** Root of the first `size` leaves, for every size 0..12. */
  roots: Uint8Array[]
}

const T0 = Date.UTC(2026, 2, 2, 1, 0, 0) // ledger time of entry 0; later entries add whole seconds
const actor = (dept: string, person: string) => ({ dept, person })

/** The events of the log: a request, its reply, a grant, accesses under it, and edge cases. */
function events(): Entry['event'][] {
  const at = (s: number) => new Date(T0 - 60_000 + s * 1000).toISOString().replace('.000Z', 'Z')
  return [
    {
      id: 'req-1',
      type: 'request.submitted',
      at: at(0),
      actor: actor('district.civil-affairs', 'p-1001'),
      data: { resource: 'res.police.household', items: ['name', 'address'], purpose: 'dibao-check' },
    },
    { id: 'rep-1', type: 'request.replied', at: at(1), actor: actor('district.public-security', 'p-3002'), refs: { request: 'req-1' }, data: { decision: 'approved' } },
    {
      id: 'grant-1',
      type: 'grant.issued',
      at: at(2),
      actor: actor('district.public-security', 'p-3002'),
      refs: { request: 'req-1', reply: 'rep-1' },
      data: { grantee: 'district.civil-affairs', validUntil: '2026-12-31T00:00:00Z', items: ['name'] },
    },
    { id: 'acc-1', type: 'access.performed', at: at(3), actor: actor('district.civil-affairs', 'p-1001'), refs: { grant: 'grant-1' }, data: { records: 1, digest: 'hmac:5f2a' } },
    { id: 'acc-2', type: 'access.performed', at: at(4), actor: actor('district.civil-affairs', 'p-1002'), refs: { grant: 'grant-1' }, data: { records: 300, digest: 'hmac:9b01', late: false } },
    {
      id: 'note-1',
      type: 'note.recorded',
      at: at(5),
      actor: actor('district.audit', 'p-9000'),
      data: { text: '街道办 复核 ✓', score: 0.5, delta: -12, big: 2 ** 40, none: null, nested: { b: [1, 'x'], a: true } },
    },
    { id: 'acc-3', type: 'access.performed', at: at(6), actor: actor('district.civil-affairs', 'p-1001'), refs: { grant: 'grant-404' }, data: { records: 2 } },
    { id: 'rev-1', type: 'grant.revoked', at: at(7), actor: actor('district.public-security', 'p-3002'), refs: { grant: 'grant-1', cites: ['acc-1', 'acc-2'] }, data: { reason: 'purpose fulfilled' } },
    { id: 'acc-4', type: 'access.performed', at: at(8), actor: actor('district.civil-affairs', 'p-1002'), refs: { grant: 'grant-1' }, data: { records: 1 } },
    { id: 'q-1', type: 'audit.queried', at: at(9), actor: actor('district.audit', 'p-9000'), data: {} },
    { id: 'q-2', type: 'audit.queried', at: at(9), actor: actor('district.audit', 'p-9000'), data: { about: 'acc-4' } },
    { id: 'q-3', type: 'audit.queried', at: at(9), actor: actor('district.audit', 'p-9000'), data: { about: 'rev-1' } },
  ]
}

/**
 * Builds a log from events as the ledger would: each reference to an event already in the log
 * resolves to its index and leaf hash, others stay unresolved. `tamper` may rewrite an entry
 * before it is encoded (the chain negatives: a log whose writer bound a wrong hash).
 */
export function buildLog(evs: Entry['event'][], tamper: (e: Entry) => Entry = (e) => e): VectorLog {
  const entries: Entry[] = []
  const bytes: Uint8Array[] = []
  const leaves: Uint8Array[] = []
  const nodes = new Map<string, Uint8Array>()
  const roots = [EMPTY_ROOT]
  const ids = new Map<string, number>()
  const range = CompactRange.empty()
  evs.forEach((event, index) => {
    const refs = Object.entries(event.refs ?? {}).flatMap(([name, v]) =>
      (Array.isArray(v) ? v : [v]).map((id) => {
        const at = ids.get(id)
        return at === undefined ? { name, id } : { name, id, index: at, hash: leaves[at] as Uint8Array }
      }),
    )
    const entry = tamper({ v: 1, index, time: T0 + Math.min(index, 9) * 1000, event, refs })
    const b = encodeEntry(entry)
    const leaf = hashLeaf(b)
    entries.push(entry)
    bytes.push(b)
    leaves.push(leaf)
    ids.set(event.id, index)
    range.append(leaf, (level, i, hash) => nodes.set(`${level}/${i}`, hash))
    roots.push(range.root())
  })
  return { entries, bytes, leaves, nodes, roots }
}

/** The fixed log of twelve entries. */
export const LOG: VectorLog = buildLog(events())

/** The fixed events, for generators that build tampered logs from them. */
export const EVENTS = events()

/** An inclusion proof from the log's stored complete nodes, via core's planner. */
export function inclusionProof(log: VectorLog, index: number, size: number): Uint8Array[] {
  const plan = planInclusion(index, size)
  return plan.build(plan.ids.map((id) => log.nodes.get(`${id.level}/${id.index}`) as Uint8Array))
}

/** A consistency proof from the log's stored complete nodes, via core's planner. */
export function consistencyProof(log: VectorLog, size1: number, size2: number): Uint8Array[] {
  const plan = planConsistency(size1, size2)
  return plan.build(plan.ids.map((id) => log.nodes.get(`${id.level}/${id.index}`) as Uint8Array))
}
