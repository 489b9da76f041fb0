/**
 * The ledger's indexer hook: which postings each new entry writes, in the same atomic batch as
 * the entry. Posting names and key layouts are a storage format: change them only with a
 * migration.
 *
 * | name       | key                    | written for |
 * | ---        | ---                    | --- |
 * | `type`     | `type|T`               | every entry but `access.performed` (the bulk; found by resource, record, person or dept) |
 * | `resource` | `resource|T`           | entries naming a resource (`data.resource`, `data.resources[]`, agreement `flows[].resource`) |
 * | `dept`     | `dept|T`               | the actor's dept; also a grant's `grantee`, an agreement's `parties`, a registered `org`, a catalogue `owner` |
 * | `person`   | `person|T`             | the actor's person; also a `role.assigned` person, an endorsement's `leader` |
 * | `record`   | `digest|T`             | each `recordDigests[]` of an access, the `recordDigest` of a quality report |
 * | `ref`      | referenced event id    | every ref (resolved or not), except an access's |
 * | `catalogue`| `resource|T`           | a catalogue version (`catalogue.registered`, `catalogue.updated`) of the resource |
 * | `version`  | `resource|T`           | a `resource.updated` of the resource |
 *
 * `T` is the event's business time `at` in UTC ISO form with milliseconds
 * (`2026-03-02T01:15:04.000Z`), so a time window is one key range and lexical order is time
 * order; a malformed `at` gives an empty `T` (sorting first). Within one key the store orders
 * by entry index. Question 1 (who accessed record X of resource R between t1 and t2) is then a
 * single range scan of `record` from `digest|t1` to `digest|t2`: O(log n + k) in an ordered store.
 *
 * An access writes 3 + d postings (d record digests); that is the append cost this index adds.
 * It writes no `ref` posting: nothing looks accesses up by the grant they cite, and with them the
 * `ref` posting of a busy grant would list its thousands of accesses before its one revocation,
 * which every access's status looks for. Ledgers indexed before this hold those postings too;
 * readers decode what a posting points to and keep what matches, so they answer the same.
 *
 * `catalogue` and `version` let an access's status find the catalogue version in force and the
 * data version it saw by reading that resource's few versions, not every catalogue of the log.
 * Ledgers indexed before they existed have neither: where a resource has no `catalogue`
 * posting, readers fall back to the `type` posting (slower, same answers).
 */
import type { Entry, JsonValue } from '@liuhen/core'
import { obj, str, strList, utcIso } from './internal/util.js'

/** One posting the indexer asks the ledger to write for an entry. */
export interface IndexPosting {
  name: string
  key: string
}

/** Posting names written by {@link indexEntry}. */
export const POSTING_NAMES = ['type', 'resource', 'dept', 'person', 'record', 'ref', 'catalogue', 'version'] as const

/**
 * The key of a time-ordered posting: `value|T`. Exported so queries build the same keys.
 * @example timeKey('res.police.household', '2026-03-02T09:15:04+08:00') // 'res.police.household|2026-03-02T01:15:04.000Z'
 */
export function timeKey(value: string, at: JsonValue | undefined): string {
  return `${value}|${utcIso(at)}`
}

/**
 * The key range [gte, lt) of every `value|T` key, optionally limited to times in [from, to].
 * Times are RFC 3339 strings or Dates; `to` is inclusive.
 */
export function timeRange(value: string, from?: string | Date, to?: string | Date): { gte: string; lt: string } {
  const iso = (t: string | Date): string => (typeof t === 'string' ? utcIso(t) : t.toISOString())
  const gte = from === undefined ? `${value}|` : `${value}|${iso(from)}`
  // '}' is the character after '|', so `value}` bounds every `value|…` key.
  const lt = to === undefined ? `${value}}` : `${value}|${new Date(Date.parse(iso(to)) + 1).toISOString()}`
  return { gte, lt }
}

/**
 * The postings of one entry (see the table above). Values containing NUL are skipped: store
 * names and keys must not contain it, and such ids are attacker-supplied noise anyway.
 * @example ledger.open({ indexer: indexEntry })
 */
export function indexEntry(entry: Entry): IndexPosting[] {
  const { event } = entry
  const data = event.data ?? {}
  // The time suffix is the same for every posting of the entry: parsed once (this runs on the
  // append path, for every event).
  const suffix = `|${utcIso(event.at)}`
  const out: IndexPosting[] = []
  const add = (name: string, key: string): void => {
    if (key.includes('\0')) return
    for (const p of out) if (p.name === name && p.key === key) return // a handful per entry: a scan beats a Set
    out.push({ name, key })
  }
  const timed = (name: string, value: string | undefined): void => {
    if (value) add(name, value + suffix)
  }
  // Accesses are the bulk of the log and nothing lists them by type alone (by resource, record,
  // person or dept instead), so only the other types get a `type` posting.
  if (event.type !== 'access.performed') timed('type', event.type)
  timed('dept', event.actor?.dept)
  timed('person', event.actor?.person)
  timed('resource', str(data['resource']))
  for (const r of strList(data['resources'])) timed('resource', r)
  switch (event.type) {
    case 'access.performed':
      for (const d of strList(data['recordDigests'])) timed('record', d)
      break
    case 'quality.raised':
      timed('record', str(data['recordDigest']))
      break
    case 'grant.issued':
      timed('dept', str(data['grantee']))
      break
    case 'agreement.signed':
      for (const p of strList(data['parties'])) timed('dept', p)
      for (const f of Array.isArray(data['flows']) ? data['flows'] : []) timed('resource', str(obj(f)?.['resource']))
      break
    case 'org.registered':
      timed('dept', str(data['org']))
      break
    case 'catalogue.registered':
    case 'catalogue.updated':
      timed('dept', str(data['owner']))
      timed('catalogue', str(data['resource']))
      break
    case 'resource.updated':
      timed('version', str(data['resource']))
      break
    case 'role.assigned':
      timed('person', str(data['person']))
      break
    case 'escalation.requested':
      timed('person', str(data['leader']))
      break
  }
  if (event.type !== 'access.performed') for (const ref of entry.refs) add('ref', ref.id)
  return out
}
