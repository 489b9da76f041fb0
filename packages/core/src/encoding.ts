/**
 * Canonical MessagePack: the one encoding of every hashed structure.
 *
 * Hashed bytes must read the same in any standard MessagePack decoder, so nothing here uses
 * msgpackr's records, shared structures or extensions. The bytes are canonical: map keys sorted
 * by UTF-16 code unit, integers in their smallest form (those beyond 32 bits as int64, never as
 * float), `Uint8Array` as bin, no `undefined`, no non-finite numbers. A decoder re-encodes what
 * it read and refuses bytes that differ, so two implementations can never disagree on a hash.
 * Encoding is internal/msgpack-writer.ts (straight into a buffer, for the append path); decoding
 * is msgpackr's.
 */
import { Packr } from 'msgpackr'
import { bytesEqual } from './bytes.js'
import { LedgerError } from './error.js'
import { writeCanonical } from './internal/msgpack-writer.js'

/** A value that can be encoded: JSON's values plus byte strings. */
export type Encodable =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly Encodable[]
  | { readonly [key: string]: Encodable }

const packr = new Packr({
  useRecords: false,
  variableMapSize: true,
  mapsAsObjects: true,
  int64AsType: 'number',
  moreTypes: false,
})

/**
 * Canonical MessagePack bytes of `value`. Keys whose value is `undefined` are left out.
 * @example encodeCanonical({ b: 1, a: [true, 'x'] }) // map with key "a" first
 */
export function encodeCanonical(value: Encodable): Uint8Array {
  return writeCanonical(value)
}

/**
 * Decodes canonical MessagePack from untrusted bytes. Throws `ENCODING_INVALID` on bytes that do
 * not decode to one value and `ENCODING_NOT_CANONICAL` on bytes that decode but are not the
 * canonical encoding of what they hold. Byte strings come back as `Uint8Array`.
 */
export function decodeCanonical(bytes: Uint8Array): Encodable {
  let value: unknown
  try {
    value = packr.unpack(bytes)
  } catch (cause) {
    throw new LedgerError('ENCODING_INVALID', 'bytes are not MessagePack', {}, { cause })
  }
  const normalised = normaliseDecoded(value)
  let again: Uint8Array
  try {
    again = encodeCanonical(normalised)
  } catch (cause) {
    throw new LedgerError('ENCODING_INVALID', 'bytes decode to a value outside the format', {}, { cause })
  }
  if (!bytesEqual(again, bytes)) throw new LedgerError('ENCODING_NOT_CANONICAL', 'bytes are not canonical MessagePack')
  return normalised
}

/** Buffers from msgpackr become plain Uint8Array so callers see one byte type. */
function normaliseDecoded(value: unknown): Encodable {
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice()
  if (Array.isArray(value)) return value.map(normaliseDecoded)
  if (value !== null && typeof value === 'object') {
    if (value instanceof Map) throw new LedgerError('ENCODING_INVALID', 'map with non-string keys')
    // msgpackr turns 0xc1 ("never used") and extension types into class instances: not ours.
    if (Object.getPrototypeOf(value) !== Object.prototype) throw new LedgerError('ENCODING_INVALID', 'bytes hold a value outside plain MessagePack')
    const out: Record<string, Encodable> = {}
    for (const [k, v] of Object.entries(value)) out[k] = normaliseDecoded(v)
    return out
  }
  if (typeof value === 'bigint') return Number(value)
  if (value === undefined) throw new LedgerError('ENCODING_INVALID', 'bytes hold a value outside plain MessagePack')
  return value as Encodable
}
