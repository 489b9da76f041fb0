/**
 * The entry: exactly the bytes that are stored and hashed into the log.
 *
 * An entry is one canonical MessagePack map (see encoding.ts) with these keys:
 *
 * | key     | value |
 * | ---     | --- |
 * | `v`     | entry format version, 1 |
 * | `index` | position in the log, from 0 |
 * | `time`  | ledger time, milliseconds since the Unix epoch (UTC), non-decreasing |
 * | `event` | the event as submitted, normalised (keys sorted; see {@link normaliseEvent}) |
 * | `refs`  | the event's references in submission order, each `{name, id}` plus `index` and `hash` (bin 32) of the referenced entry when it resolved |
 */
import { decodeCanonical, encodeCanonical, type Encodable } from './encoding.js'
import { LedgerError } from './error.js'
import { HASH_SIZE } from './hash.js'
import { scanEntryBytes, type ScannedEntry } from './internal/entry-scan.js'
import { RawMsgpack, writeCanonical } from './internal/msgpack-writer.js'

export type { ScannedEntry } from './internal/entry-scan.js'

/** Entry format version written by this code. */
export const ENTRY_VERSION = 1

/** A JSON value as submitted in an event. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** An event as the platform submits it (the envelope of DOMAIN.md). */
export interface Event {
  id: string
  type: string
  at: string
  actor: { dept: string; person?: string; role?: string; [key: string]: JsonValue | undefined }
  refs?: Record<string, string | string[]>
  data: Record<string, JsonValue>
}

/** One reference of an entry: resolved when the referenced id was in the log at append time. */
export interface EntryRef {
  /** The reference's name in the event's `refs` (`grant`, `request`, ...). */
  name: string
  /** The referenced event id, as submitted. */
  id: string
  /** Index of the referenced entry, when resolved. */
  index?: number
  /** Leaf hash of the referenced entry, when resolved. */
  hash?: Uint8Array
}

/** A decoded entry. */
export interface Entry {
  v: number
  index: number
  time: number
  event: Event
  refs: EntryRef[]
}

/**
 * The references of an event flattened in submission order: a list value gives one reference
 * per element, all under the same name.
 */
export function listRefs(event: Pick<Event, 'refs'>): { name: string; id: string }[] {
  const out: { name: string; id: string }[] = []
  for (const [name, value] of Object.entries(event.refs ?? {})) {
    for (const id of Array.isArray(value) ? value : [value]) out.push({ name, id })
  }
  return out
}

/**
 * Canonical bytes of an entry.
 * @example encodeEntry({ v: 1, index: 0, time: Date.now(), event, refs: [] })
 */
export function encodeEntry(entry: Entry): Uint8Array {
  return encodeEntryWithEvent(entry, encodeCanonical(entry.event as unknown as Encodable))
}

/**
 * Canonical bytes of an entry whose event is already encoded (`eventBytes` =
 * `encodeCanonical(event)`): the ledger encodes each event once, when it is submitted, and
 * splices those bytes in. `entry.event` is not read.
 */
export function encodeEntryWithEvent(entry: Omit<Entry, 'event'>, eventBytes: Uint8Array): Uint8Array {
  return writeCanonical(entryValue(entry, eventBytes))
}

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8')
/** Bytes of a canonical MessagePack string of `n` UTF-8 bytes. */
const strSize = (n: number): number => n + (n <= 31 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5)
// Bytes of an entry besides its event and refs, at their largest: the map header, the keys
// `event`, `index`, `refs`, `time`, `v`, an int64 index and time, and version 1.
const ENTRY_FRAME = 1 + 6 + (6 + 9) + 5 + (5 + 9) + (2 + 1)
// Bytes of one resolved ref besides its strings: map header, keys `hash`, `id`, `index`, `name`,
// a bin8 of 32 bytes, an int64 index.
const REF_FRAME = 1 + 5 + (2 + HASH_SIZE) + 3 + (6 + 9) + 5

/**
 * The largest size, in bytes, the entry of an event can have: its canonical bytes are
 * `eventBytes` long and `refs` are its references (`listRefs`), each taken as resolved, at the
 * largest index and time. Whether an event fits `MAX_ENTRY_BYTES` (limits.ts) thus depends on the event
 * alone, never on what the log holds when it comes.
 * @example maxEntrySize(encodeJsonCanonical(event).length, listRefs(event)) <= MAX_ENTRY_BYTES
 */
export function maxEntrySize(eventBytes: number, refs: readonly { name: string; id: string }[]): number {
  const n = refs.length
  let size = ENTRY_FRAME + eventBytes + (n <= 15 ? 1 : n <= 0xffff ? 3 : 5)
  for (const r of refs) size += REF_FRAME + strSize(utf8Length(r.name)) + strSize(utf8Length(r.id))
  return size
}

function entryValue(entry: Omit<Entry, 'event'>, eventBytes: Uint8Array): unknown {
  const refs = entry.refs.map((r) => (r.index === undefined || r.hash === undefined ? { name: r.name, id: r.id } : { name: r.name, id: r.id, index: r.index, hash: r.hash }))
  return { v: entry.v, index: entry.index, time: entry.time, event: new RawMsgpack(eventBytes), refs }
}

/**
 * Decodes and checks untrusted entry bytes: canonical encoding, known version, field types.
 * Throws `ENCODING_INVALID` / `ENCODING_NOT_CANONICAL`.
 */
export function decodeEntry(bytes: Uint8Array): Entry {
  const value = decodeCanonical(bytes)
  const bad = (why: string): never => {
    throw new LedgerError('ENCODING_INVALID', `entry ${why}`)
  }
  if (!isRecord(value)) return bad('is not a map')
  const { v, index, time, event, refs } = value
  if (v !== ENTRY_VERSION) return bad(`has unsupported version ${String(v)}`)
  if (!isCount(index)) return bad('index is not a non-negative integer')
  if (!isCount(time)) return bad('time is not a non-negative integer')
  if (!isRecord(event) || typeof event['id'] !== 'string' || typeof event['type'] !== 'string') return bad('event lacks id or type')
  if (!Array.isArray(refs)) return bad('refs is not a list')
  const keys = Object.keys(value)
  if (keys.length !== 5) return bad('has unknown keys')
  return { v, index, time, event: event as unknown as Event, refs: refs.map((r) => decodeRef(r, bad)) }
}

/**
 * Checks untrusted entry bytes exactly as {@link decodeEntry} does (it accepts and refuses the
 * same bytes, with the same errors) but builds only what an audit reads: index, time, event id
 * and references. Several times faster than decoding, for scans over a whole log.
 * @example const { index, id, refs } = scanEntry(bytes)
 */
export function scanEntry(bytes: Uint8Array): ScannedEntry {
  let scanned: ScannedEntry | undefined
  try {
    scanned = scanEntryBytes(bytes)
  } catch {
    // refused: the decoder below says why, in its own words
  }
  if (scanned) return scanned
  // The decoder is the authority on refusals: it throws here for everything the scan refused.
  const entry = decodeEntry(bytes)
  return { index: entry.index, time: entry.time, id: entry.event.id, refs: entry.refs }
}

function decodeRef(r: Encodable, bad: (why: string) => never): EntryRef {
  if (!isRecord(r) || typeof r['name'] !== 'string' || typeof r['id'] !== 'string') return bad('has a malformed ref')
  const keys = Object.keys(r).length
  if (keys === 2) return { name: r['name'], id: r['id'] }
  const { index, hash } = r
  if (keys !== 4 || !isCount(index) || !(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) return bad('has a malformed resolved ref')
  return { name: r['name'], id: r['id'], index, hash }
}

function isRecord(v: unknown): v is Record<string, Encodable> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}
