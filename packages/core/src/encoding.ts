/**
 * Canonical MessagePack: the one encoding of every hashed structure.
 *
 * Hashed bytes must read the same in any standard MessagePack decoder, so nothing here uses
 * msgpackr's records, shared structures or extensions. The bytes are canonical: map keys sorted
 * by UTF-16 code unit, integers in their smallest form (those beyond 32 bits as int64, never as
 * float), `Uint8Array` as bin, no `undefined`, no non-finite numbers. A decoder re-encodes what
 * it read and refuses bytes that differ, so two implementations can never disagree on a hash.
 */
import { Packr } from 'msgpackr'
import { bytesEqual } from './bytes.js'
import { LedgerError } from './error.js'

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

const INT32_MIN = -0x8000_0000
const UINT32_MAX = 0xffff_ffff

/** The value in canonical form: sorted keys, big integers as bigint (so they pack as int64). */
function canonicalise(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LedgerError('ENCODING_INVALID', `non-finite number at ${path}`, { path })
    if (Number.isInteger(value) && (value > UINT32_MAX || value < INT32_MIN)) {
      if (!Number.isSafeInteger(value)) throw new LedgerError('ENCODING_INVALID', `integer beyond 2^53 at ${path}`, { path })
      return BigInt(value)
    }
    // -0 would pack as a float; it means 0.
    return Object.is(value, -0) ? 0 : value
  }
  if (value instanceof Uint8Array) return value
  if (Array.isArray(value)) return value.map((v, i) => canonicalise(v, `${path}[${i}]`))
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v === undefined) continue
      out[key] = canonicalise(v, path === '' ? key : `${path}.${key}`)
    }
    return out
  }
  throw new LedgerError('ENCODING_INVALID', `cannot encode ${typeof value} at ${path || 'top level'}`, { path })
}

/**
 * Canonical MessagePack bytes of `value`. Keys whose value is `undefined` are left out.
 * @example encodeCanonical({ b: 1, a: [true, 'x'] }) // map with key "a" first
 */
export function encodeCanonical(value: Encodable): Uint8Array {
  return packr.pack(canonicalise(value, ''))
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
    const out: Record<string, Encodable> = {}
    for (const [k, v] of Object.entries(value)) out[k] = normaliseDecoded(v)
    return out
  }
  if (typeof value === 'bigint') return Number(value)
  return value as Encodable
}
