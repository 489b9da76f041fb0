/**
 * Encoding and leaf-hash vectors. Valid entries are the fixed log's; non-canonical and invalid
 * ones are assembled pair by pair from canonical parts (each key and value encoded by core's
 * encodeCanonical), with one named change, so each negative differs from a valid entry in
 * exactly the way its name says.
 */
import { concatBytes, encodeCanonical, encodeJsonCanonical, hashBytes, hashChildren, toHex, utf8, type Encodable, type Entry, type EntryRef } from '@liuhen/core'
import type { VectorLog } from './log.js'
import { flip, type Case } from './support.js'

type Pair = [key: Uint8Array, value: Uint8Array]

const E = (v: Encodable): Uint8Array => encodeCanonical(v)
const header = (n: number, fix: number) => Uint8Array.of(fix | n)
const map = (pairs: Pair[], head = header(pairs.length, 0x80)): Uint8Array => concatBytes(head, ...pairs.flat())
const pair = (key: string, value: Uint8Array): Pair => [E(key), value]
const be = (n: number, bytes: number): Uint8Array => {
  const out = new Uint8Array(bytes)
  for (let i = bytes - 1, x = BigInt(n); i >= 0; i--, x >>= 8n) out[i] = Number(x & 0xffn)
  return out
}
const float64 = (n: number): Uint8Array => {
  const out = new Uint8Array(9)
  out[0] = 0xcb
  new DataView(out.buffer).setFloat64(1, n)
  return out
}

function refPairs(r: EntryRef): Pair[] {
  if (r.index === undefined || r.hash === undefined) return [pair('id', E(r.id)), pair('name', E(r.name))]
  return [pair('hash', E(r.hash)), pair('id', E(r.id)), pair('index', E(r.index)), pair('name', E(r.name))]
}

const refsBytes = (refs: EntryRef[], one: (r: EntryRef, i: number) => Uint8Array = (r) => map(refPairs(r))) => concatBytes(header(refs.length, 0x90), ...refs.map(one))

/** The entry's canonical pairs in canonical order: event, index, refs, time, v. */
function entryPairs(e: Entry): Pair[] {
  return [pair('event', encodeJsonCanonical(e.event as unknown as Encodable)), pair('index', E(e.index)), pair('refs', refsBytes(e.refs)), pair('time', E(e.time)), pair('v', E(e.v))]
}

/** `pairs` with the value under `key` replaced. */
const withValue = (pairs: Pair[], key: string, value: Uint8Array): Pair[] => pairs.map((p) => (p[0].length === E(key).length && toHex(p[0]) === toHex(E(key)) ? [p[0], value] : p))
const without = (pairs: Pair[], key: string): Pair[] => pairs.filter((p) => toHex(p[0]) !== toHex(E(key)))

/** An entry as JSON: the hash of each resolved reference in hex. */
function entryJson(e: Entry): unknown {
  return { ...e, refs: e.refs.map((r) => (r.hash ? { ...r, hash: toHex(r.hash) } : r)) }
}

/** Named mutations of one entry (one with resolved references), each with the code it must throw. */
function mutations(e: Entry): [name: string, desc: string, bytes: Uint8Array, wantErr: string][] {
  const p = entryPairs(e)
  const whole = map(p)
  const [event, , , , v] = p as [Pair, Pair, Pair, Pair, Pair]
  const eventPairs = Object.keys(e.event)
    .sort()
    .map((k) => pair(k, encodeJsonCanonical((e.event as unknown as Record<string, Encodable>)[k] as Encodable)))
  const ref0 = e.refs[0] as EntryRef
  const firstRef = (bytes: Uint8Array) =>
    map(
      withValue(
        p,
        'refs',
        refsBytes(e.refs, (r, i) => (i === 0 ? bytes : map(refPairs(r)))),
      ),
    )
  const NC = 'ENCODING_NOT_CANONICAL'
  const INV = 'ENCODING_INVALID'
  return [
    ['unsorted-keys', 'the entry map with `v` first instead of last', map([v, ...p.slice(0, 4)]), NC],
    ['unsorted-event-keys', "the event map's keys in reverse order", map(withValue(p, 'event', map([...eventPairs].reverse()))), NC],
    ['unsorted-ref-keys', 'a reference map with `name` before `hash`', firstRef(map([...refPairs(ref0)].reverse())), NC],
    ['duplicate-key', '`v` twice (a six-pair map)', map([...p, v]), NC],
    ['wide-int-uint8', '`v` 1 as uint8 (0xcc 01) instead of a positive fixint', map(withValue(p, 'v', Uint8Array.of(0xcc, 1))), NC],
    ['wide-int-uint16', '`index` as uint16 (0xcd)', map(withValue(p, 'index', concatBytes(Uint8Array.of(0xcd), be(e.index, 2)))), NC],
    ['wide-int-int64', '`index` as int64 (0xd3)', map(withValue(p, 'index', concatBytes(Uint8Array.of(0xd3), be(e.index, 8)))), NC],

    ['float-for-int', '`time` as float64 (0xcb) holding the same integer', map(withValue(p, 'time', float64(e.time))), NC],

    ['wide-length-map16', 'the entry map header as map16 (0xde 00 05)', map(p, Uint8Array.of(0xde, 0, 5)), NC],
    ['wide-length-str8', 'the key `event` as str8 (0xd9 05)', map([[concatBytes(Uint8Array.of(0xd9, 5), utf8('event')), event[1]], ...p.slice(1)]), NC],
    ['wide-length-array16', '`refs` header as array16 (0xdc)', map(withValue(p, 'refs', concatBytes(Uint8Array.of(0xdc), be(e.refs.length, 2), ...e.refs.map((r) => map(refPairs(r)))))), NC],
    ['wide-length-bin16', 'a reference hash as bin16 (0xc5 00 20)', firstRef(map(withValue(refPairs(ref0), 'hash', concatBytes(Uint8Array.of(0xc5, 0, 32), ref0.hash as Uint8Array)))), NC],
    ['trailing-byte', 'a nil byte after the entry', concatBytes(whole, Uint8Array.of(0xc0)), INV],
    ['truncated', 'the last byte left out', whole.subarray(0, -1), INV],
    ['bit-flip-map-header', 'bit flip in the map header: four pairs, then stray bytes', flip(whole), INV],
    [
      'uint64-time',
      '`time` as uint64 (0xcf): canonical form writes integers beyond 32 bits as int64 (0xd3) and has no uint64',
      map(withValue(p, 'time', concatBytes(Uint8Array.of(0xcf), be(e.time, 8)))),
      INV,
    ],
    ['float32', '`v` as float32 1.0 (0xca): canonical form has no float32', map(withValue(p, 'v', Uint8Array.of(0xca, 0x3f, 0x80, 0, 0))), INV],
    ['ext-type', '`refs` as a fixext 1 (0xd4): extensions are outside the format', map(withValue(p, 'refs', Uint8Array.of(0xd4, 1, 0))), INV],
    ['nan-time', '`time` as float64 NaN', map(withValue(p, 'time', float64(NaN))), INV],
    ['version-2', '`v` 2: an unknown format version', map(withValue(p, 'v', E(2))), INV],
    ['negative-index', '`index` -1', map(withValue(p, 'index', E(-1))), INV],
    ['negative-time', '`time` -1', map(withValue(p, 'time', E(-1))), INV],
    ['unknown-key', 'a sixth key `x`', map([...p, pair('x', E(0))]), INV],
    ['missing-refs', 'no `refs` key', map(without(p, 'refs')), INV],
    ['refs-not-list', '`refs` as an empty map', map(withValue(p, 'refs', E({}))), INV],
    ['nil-event-id', "the event's `id` as nil", map(withValue(p, 'event', map(withValue(eventPairs, 'id', E(null))))), INV],
    ['invalid-utf8', "the event's `id` as a string of bytes that are not UTF-8", map(withValue(p, 'event', map(withValue(eventPairs, 'id', Uint8Array.of(0xa2, 0xc3, 0x28))))), INV],
    ['short-ref-hash', 'a reference hash of 31 bytes', firstRef(map(withValue(refPairs(ref0), 'hash', E((ref0.hash as Uint8Array).subarray(0, 31))))), INV],
    ['ref-hash-as-string', 'a reference hash as its hex text', firstRef(map(withValue(refPairs(ref0), 'hash', E(toHex(ref0.hash as Uint8Array))))), INV],
    ['ref-index-without-hash', 'a resolved reference without its hash', firstRef(map(without(refPairs(ref0), 'hash'))), INV],
  ]
}

/** Every valid entry of the log, then the named mutations of entry 2 (two resolved references). */
export function encodingCases(log: VectorLog): Case[] {
  const valid = log.entries.map((e, i): Case => {
    const bytes = map(entryPairs(e))
    if (toHex(bytes) !== toHex(log.bytes[i] as Uint8Array)) throw new Error(`pairs of entry ${i} are not its canonical bytes`)
    return { name: `valid-entry-${i}`, desc: `entry ${i} (${e.event.type}, ${e.refs.length} refs) of the fixed log`, bytes: toHex(bytes), entry: entryJson(e) }
  })
  const base = log.entries[2] as Entry
  const bad = mutations(base).map(([name, desc, bytes, wantErr]): Case => ({ name: `entry-2-${name}`, desc: `entry 2 with ${desc}`, bytes: toHex(bytes), wantErr }))
  return [...valid, ...bad]
}

/**
 * Leaf hashes of every entry of the log, and wrong claims about entry 2's. A wrong claim is
 * checked as the root of a one-entry tree (RFC 9162: the root of one leaf is its leaf hash), the
 * form in which a leaf hash is signed.
 */
export function leafHashCases(log: VectorLog): Case[] {
  const valid = log.bytes.map((b, i): Case => ({
    name: `valid-entry-${i}`,
    desc: `leaf hash of entry ${i}: SHA-256(0x00 ‖ entry bytes)`,
    entry: toHex(b),
    leafHash: toHex(log.leaves[i] as Uint8Array),
  }))
  const b = log.bytes[2] as Uint8Array
  const leaf = log.leaves[2] as Uint8Array
  const claims: [string, string, Uint8Array, Uint8Array][] = [
    ['no-prefix', 'SHA-256 of the entry bytes without the 0x00 leaf prefix', b, hashBytes(b)],
    ['node-prefix', 'SHA-256 under the 0x01 node prefix instead of 0x00', b, hashBytes(concatBytes(Uint8Array.of(1), b))],
    ['node-of-halves', 'a node hash over the entry split in two halves of 32 bytes', b.subarray(0, 64), hashChildren(b.subarray(0, 32), b.subarray(32, 64))],
    ['bit-flip-entry', 'bit flip in the last entry byte, original leaf hash claimed', flip(b, b.length - 1), leaf],
    ['bit-flip-hash', 'bit flip in the leaf hash', b, flip(leaf)],
    ['other-entry', "entry 3's leaf hash claimed for entry 2", b, log.leaves[3] as Uint8Array],
  ]
  const bad = claims.map(([name, desc, entry, claim]): Case => ({ name: `entry-2-${name}`, desc, entry: toHex(entry), leafHash: toHex(claim), wantErr: 'PROOF_ROOT_MISMATCH' }))
  return [...valid, ...bad]
}
