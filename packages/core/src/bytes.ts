/** Byte helpers shared by every package: hex and base64 (RFC 4648, padded) and comparison. */

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/**
 * Bytes from lowercase or uppercase hex. Throws `TypeError` on anything else: callers facing
 * untrusted input wrap it in their own coded error.
 */
export function fromHex(text: string): Uint8Array {
  // Node's decoder stops at the first character that is not hex, so a full-length result means
  // every character was hex (no regular expression pass over proofs of many hashes).
  const out = Buffer.from(text, 'hex')
  if (text.length % 2 !== 0 || out.length * 2 !== text.length) throw new TypeError('not a hex string')
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/** Standard padded base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Bytes from standard padded base64; strict (Node's decoder alone skips bad characters). */
export function fromBase64(text: string): Uint8Array {
  if (!B64_RE.test(text)) throw new TypeError('not standard padded base64')
  return new Uint8Array(Buffer.from(text, 'base64'))
}

/** Constant-length byte equality (not constant time: nothing compared here is secret). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Concatenation of byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}
