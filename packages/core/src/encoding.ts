/**
 * Canonical MessagePack: the one encoding of every hashed structure.
 *
 * Hashed bytes must read the same in any standard MessagePack decoder, so nothing here uses
 * msgpackr's records, shared structures or extensions. The bytes are canonical: map keys sorted
 * by UTF-16 code unit, integers in their smallest form (those beyond 32 bits as int64, never as
 * float), `Uint8Array` as bin, no `undefined`, no non-finite numbers. A decoder re-encodes what
 * it read and refuses bytes that differ, so two implementations can never disagree on a hash.
 * The writer and reader (internal/msgpack-writer.ts and msgpack-reader.ts) are purpose-built for
 * canonical form, which no general MessagePack library enforces; msgpackr is their reference in
 * the tests (it must write the same bytes and read the same values).
 */
import { readCanonical } from './internal/msgpack-reader.js'
import { writeCanonical } from './internal/msgpack-writer.js'
import { MAX_DECODE_DEPTH } from './limits.js'

/** A value that can be encoded: JSON's values plus byte strings. */
export type Encodable = null | boolean | number | string | Uint8Array | readonly Encodable[] | { readonly [key: string]: Encodable }

/**
 * Canonical MessagePack bytes of `value`. Keys whose value is `undefined` are left out.
 * @example encodeCanonical({ b: 1, a: [true, 'x'] }) // map with key "a" first
 */
export function encodeCanonical(value: Encodable): Uint8Array {
  return writeCanonical(value)
}

/**
 * Canonical MessagePack bytes of a JSON value (no byte strings): how an event is encoded.
 *
 * The JSON text of such a value is at most {@link JSON_EXPANSION} times as long as these bytes
 * plus 16, whatever it holds (the worst cases, `false,` in a list and a control character
 * escaped as `\u0000`, take six characters for one byte), so a size limit on the JSON text can
 * be checked without writing it. Nesting deeper than `maxDepth` lists and maps is refused
 * (`ENCODING_INVALID`, `details.path`); events pass `MAX_EVENT_DEPTH`.
 */
export function encodeJsonCanonical(value: Encodable, maxDepth = MAX_DECODE_DEPTH): Uint8Array {
  return writeCanonical(value, true, maxDepth)
}

/** Bound on (JSON UTF-8 length − 16) / canonical MessagePack length, for JSON values. */
export const JSON_EXPANSION = 6

/**
 * Decodes canonical MessagePack from untrusted bytes. Throws `ENCODING_INVALID` on bytes that do
 * not decode to one value and `ENCODING_NOT_CANONICAL` on bytes that decode but are not the
 * canonical encoding of what they hold. Byte strings come back as `Uint8Array`.
 */
export function decodeCanonical(bytes: Uint8Array): Encodable {
  return readCanonical(bytes) as Encodable
}
