/**
 * A scan of entry bytes that checks all of them as the entry decoder does (canonical form
 * through msgpack-reader.ts's own checks, then the entry's fields) but builds only what an audit
 * reads: the index, the time, the event id and the references. The event itself is checked and
 * skipped, which spares building some forty strings and objects per entry.
 */
import type { EntryRef } from '../entry.js'
import { HASH_SIZE } from '../hash.js'
import { ARRAY, BIN, INT, MAP, Reader, STR, checkString, head, readKey, readString, skipValue } from './msgpack-reader.js'

/** What a scan yields of an entry: its fields an audit checks. */
export interface ScannedEntry {
  index: number
  time: number
  /** The event's id. */
  id: string
  /** As decoded, except that each `hash` is a view into the entry bytes, not a copy. */
  refs: EntryRef[]
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const K = {
  event: ascii('event'),
  index: ascii('index'),
  refs: ascii('refs'),
  time: ascii('time'),
  v: ascii('v'),
  id: ascii('id'),
  type: ascii('type'),
  name: ascii('name'),
  hash: ascii('hash'),
}

/** Whether the next map key is exactly `want` (then the reader is past it). */
function keyIs(r: Reader, want: Uint8Array): boolean {
  if (head(r) !== STR || r.n !== want.length) return false
  const start = r.pos
  for (let i = 0; i < want.length; i++) if (r.bytes[start + i] !== want[i]) return false
  r.pos += want.length
  return true
}

function same(bytes: Uint8Array, start: number, n: number, want: Uint8Array): boolean {
  if (n !== want.length) return false
  for (let i = 0; i < n; i++) if (bytes[start + i] !== want[i]) return false
  return true
}

/** The length of a byte string, or -1. */
function binLength(r: Reader): number {
  return head(r) === BIN ? r.n : -1
}

/** A non-negative integer, or -1. */
function count(r: Reader): number {
  return head(r) === INT && r.n >= 0 ? r.n : -1
}

/** The event map (depth 1): every value checked, the id read; undefined without id and type. */
function scanEvent(r: Reader): string | undefined {
  if (head(r) !== MAP) return undefined
  const n = r.n
  let id: string | undefined
  let typed = false
  let prev = -1
  let prevLen = 0
  for (let i = 0; i < n; i++) {
    prev = readKey(r, 2, prev, prevLen)
    prevLen = r.n
    if (same(r.bytes, prev, prevLen, K.id)) id = readString(r)
    else if (same(r.bytes, prev, prevLen, K.type)) {
      if (head(r) !== STR) return undefined
      checkString(r, r.n)
      typed = true
    } else skipValue(r, 2)
  }
  return typed ? id : undefined
}

/** One reference (depth 2), or undefined when it is not `{id, name}` or `{hash, id, index, name}`. */
function scanRef(r: Reader): EntryRef | undefined {
  const keys = head(r) === MAP ? r.n : 0
  if (keys !== 2 && keys !== 4) return undefined
  if (keys === 2) {
    if (!keyIs(r, K.id)) return undefined
    const id = readString(r)
    if (!keyIs(r, K.name)) return undefined
    return { name: readString(r), id }
  }
  if (!keyIs(r, K.hash) || binLength(r) !== HASH_SIZE) return undefined
  const hash = r.bytes.subarray(r.pos, r.pos + HASH_SIZE)
  r.pos += HASH_SIZE
  if (!keyIs(r, K.id)) return undefined
  const id = readString(r)
  if (!keyIs(r, K.index)) return undefined
  const index = count(r)
  if (index < 0 || !keyIs(r, K.name)) return undefined
  return { name: readString(r), id, index, hash }
}

/**
 * Scans entry bytes. Returns undefined, or throws, when they are not a well-formed entry of
 * version 1: the caller then asks the decoder why (entry.ts), so the decoder alone words errors.
 */
export function scanEntryBytes(bytes: Uint8Array): ScannedEntry | undefined {
  const r = new Reader(bytes)
  if (head(r) !== MAP || r.n !== 5 || !keyIs(r, K.event)) return undefined
  const id = scanEvent(r)
  if (id === undefined || !keyIs(r, K.index)) return undefined
  const index = count(r)
  if (index < 0 || !keyIs(r, K.refs) || head(r) !== ARRAY) return undefined
  const refs: EntryRef[] = []
  for (let i = 0, n = r.n; i < n; i++) {
    const ref = scanRef(r)
    if (!ref) return undefined
    refs.push(ref)
  }
  if (!keyIs(r, K.time)) return undefined
  const time = count(r)
  if (time < 0 || !keyIs(r, K.v) || count(r) !== 1 || r.pos !== bytes.length) return undefined
  return { index, time, id, refs }
}
