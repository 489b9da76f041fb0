/**
 * Reading and decoding entries from a store, cached for one query, plus the reverse lookups
 * the `ref` posting allows.
 */
import { decodeEntry, type Entry, type ReadableStore } from '@liuhen/core'
import { QueryError } from '../error.js'
import type { Party } from '../types.js'
import { signers } from './registry.js'
import { personField } from './util.js'

/** Expected event types of each ref name (DOMAIN.md, "Types"); a Map, as ref names come from events. */
export const REF_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  ['grant', ['grant.issued']],
  ['version', ['resource.updated']],
  ['request', ['request.submitted']],
  ['requests', ['request.submitted']],
  ['reply', ['request.replied']],
  ['agreement', ['agreement.signed']],
  ['endorsement', ['escalation.decided']],
  ['escalation', ['escalation.requested']],
  ['binding', ['binding.declared']],
  ['task', ['task.registered']],
  ['catalogue', ['catalogue.registered', 'catalogue.updated']],
  ['previous', ['catalogue.registered', 'catalogue.updated']],
  ['access', ['access.performed']],
  ['accesses', ['access.performed']],
  ['report', ['quality.raised']],
  ['incident', ['incident.reported']],
  ['assignment', ['role.assigned']],
])

/** A stored entry: its bytes and its decoded form. */
export interface Loaded {
  bytes: Uint8Array
  entry: Entry
}

/** Reads entries by index, decoding each once per query. */
export class EntryReader {
  readonly #cache = new Map<number, Promise<Loaded>>()

  constructor(readonly store: ReadableStore) {}

  /** The entry at `index`; throws `QUERY_ENTRY_MISSING`, or `ENCODING_*` from `decodeEntry`. */
  get(index: number): Promise<Loaded> {
    let hit = this.#cache.get(index)
    if (!hit) {
      hit = this.#load(index)
      this.#cache.set(index, hit)
    }
    return hit
  }

  async #load(index: number): Promise<Loaded> {
    const bytes = await this.store.readEntry(index)
    if (!bytes) throw new QueryError('QUERY_ENTRY_MISSING', `the store holds no entry ${index}`, { index })
    return { bytes, entry: decodeEntry(bytes) }
  }

  /** Entries that reference the entry `id` at `index` by ref `name` (via the `ref` posting). */
  async referrers(id: string, index: number, name: string, type: string): Promise<Loaded[]> {
    const out: Loaded[] = []
    for await (const p of this.store.readPostings('ref', id)) {
      const l = await this.get(p.entry)
      if (l.entry.event.type === type && l.entry.refs.some((r) => r.name === name && r.id === id && r.index === index)) out.push(l)
    }
    return out
  }
}

/**
 * Who approved a grant through its basis entry: the replier (R1), the endorsing leader (R3),
 * the agreement's signers (R4), the binding's declarer and confirmers (R5), or, for an
 * auto-grant on the catalogue, the issuing data bureau (R6).
 */
export async function basisParties(reader: EntryReader, basis: Entry, grant: Entry): Promise<Party[]> {
  const e = basis.event
  const actor = { dept: e.actor.dept, ...personField(e.actor.person) }
  switch (e.type) {
    case 'request.replied':
      return [{ ...actor, role: 'owner', rule: 'R1' }]
    case 'escalation.decided':
      return [{ ...actor, role: 'endorser', rule: 'R3' }]
    case 'agreement.signed': {
      const parties = Array.isArray(e.data['parties']) ? e.data['parties'].filter((x): x is string => typeof x === 'string') : []
      return signers(e.data['signers'], parties).map((s) => ({ ...s, role: 'agreement-party', rule: 'R4' }) as Party)
    }
    case 'binding.declared': {
      const confirmations = await reader.referrers(e.id, basis.index, 'binding', 'binding.confirmed')
      return [actor, ...confirmations.map((c) => ({ dept: c.entry.event.actor.dept, ...personField(c.entry.event.actor.person) }))].map((p) => ({ ...p, role: 'binding', rule: 'R5' }) as Party)
    }
    case 'catalogue.registered':
    case 'catalogue.updated':
      return [{ dept: grant.event.actor.dept, ...personField(grant.event.actor.person), role: 'data-bureau', rule: 'R6' }]
  }
  return []
}
