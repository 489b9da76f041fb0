/**
 * What happens to a batch of events when it is submitted, before it joins a commit: the
 * envelope check, one canonical encoding per event, the size limit and the per-type contract.
 * Everything here refuses the batch whole, naming the event's position and field. The per-type
 * contract is plugged in (`LedgerOptions.validate`): the engine depends on no event contract
 * (DESIGN.md, "Packages": the ledger builds on core and a store only).
 */
import { encodeJsonCanonical, isLedgerError, LedgerError, listRefs, MAX_EVENT_DEPTH, type Encodable, type Event } from '@liuhen/core'
import { checkEntrySize, checkEnvelope, checkSize, DEFAULT_MAX_EVENT_BYTES, idNote } from './envelope.js'
import type { LedgerOptions } from './options.js'

/** A submitted batch, checked: the events, their canonical bytes and their references. */
export interface PreparedEvents {
  events: Event[]
  /** Canonical MessagePack of each event, encoded once at submission. */
  encoded: Uint8Array[]
  /** Each event's references, flattened once (the commit reads and resolves them). */
  refs: { name: string; id: string }[][]
  /** The store's records of the ids the batch names, read while the batch was being checked. */
  lookup?: IdLookup
}

/** What the store held for `ids` after `generation` commits of this ledger (a later commit makes it stale). */
export interface IdLookup {
  generation: number
  ids: string[]
  records: Promise<({ index: number; hash?: Uint8Array } | undefined)[]>
}

/**
 * Checks `events` as `appendBatch` receives them. Each event is encoded once, here: a value with
 * no canonical form is refused with its batch alone, and the commit splices these bytes into
 * the entry.
 */
export function prepareEvents(events: readonly unknown[], options: LedgerOptions, lookUp?: (ids: string[]) => IdLookup): PreparedEvents {
  if (!Array.isArray(events)) throw new TypeError('appendBatch takes an array of events')
  const max = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES
  const checked = events.map((e, i) => checkEnvelope(e, i))
  const refs = checked.map(listRefs)
  // The ids are known once the envelopes are checked: their lookup runs on the store's threads
  // while this one encodes and validates, instead of after, when the commit needs them.
  const lookup = lookUp?.(namedIds(checked, refs))
  const encoded = checked.map((event, position) => encodeEvent(event, position))
  checked.forEach((event, position) => checkEntrySize(event, encoded[position] as Uint8Array, refs[position] ?? [], position))
  const sizes = checked.map((event, position) => checkSize(event, encoded[position] as Uint8Array, position, max))
  if (options.validate) options.validate(checked, sizes)
  return lookup ? { events: checked, encoded, refs, lookup } : { events: checked, encoded, refs }
}

/** Every id the batch names, its events' and their references', once each. */
export function namedIds(events: readonly Event[], refs: readonly { id: string }[][]): string[] {
  const ids = new Set<string>()
  for (const event of events) ids.add(event.id)
  for (const list of refs) for (const ref of list) ids.add(ref.id)
  return [...ids]
}

function encodeEvent(event: Event, position: number): Uint8Array {
  try {
    // Bounded nesting: every later walk of the event (the schema's, a reader's) stays shallow.
    return encodeJsonCanonical(event as unknown as Encodable, MAX_EVENT_DEPTH)
  } catch (err) {
    if (!isLedgerError(err)) throw err
    const path = String(err.details['path'] ?? '')
    throw new LedgerError('INPUT_INVALID', `event ${position}${idNote(event.id)}: ${err.message}`, { position, path }, { cause: err })
  }
}
