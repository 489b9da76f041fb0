/**
 * Strings of the canonical MessagePack reader (msgpack-reader.ts): UTF-8 checking, a cache of
 * short ASCII strings, and the order of map keys.
 */
import { LedgerError } from '../error.js'

// ignoreBOM: a string may begin with U+FEFF, and decoding must keep it (by default a decoder
// drops it, which changed such strings and put keys beginning with it out of order).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Bytes [start, end) as strict UTF-8; `ENCODING_INVALID` when they are not. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  try {
    return decoder.decode(bytes.subarray(start, end))
  } catch {
    throw new LedgerError('ENCODING_INVALID', 'bytes are not canonical MessagePack: a string is not UTF-8')
  }
}

// Short ASCII strings repeat from entry to entry (map keys, types, departments, outcomes): a small
// direct-mapped cache hands back the string already built instead of building it again, which
// was the largest cost of decoding an entry.
const CACHE_MAX = 32
const CACHE_SLOTS = 4096
const cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined)

/** The string of ASCII bytes [start, end) of `r.bytes`. */
export function asciiString(r: { bytes: Uint8Array; buffer: Buffer }, start: number, end: number): string {
  const n = end - start
  if (n > CACHE_MAX) return r.buffer.toString('latin1', start, end)
  const b = r.bytes
  let h = n
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (b[i] as number)) | 0
  const slot = h & (CACHE_SLOTS - 1)
  const hit = cache[slot]
  if (hit !== undefined && hit.length === n) {
    let same = true
    for (let i = 0; i < n; i++) {
      if (hit.charCodeAt(i) !== b[start + i]) {
        same = false
        break
      }
    }
    if (same) return hit
  }
  const s = r.buffer.toString('latin1', start, end)
  cache[slot] = s
  return s
}

/** Whether key b sorts strictly after key a in UTF-16 code unit order, as the writer sorts. */
export function keyAfter(bytes: Uint8Array, a: number, aLen: number, b: number, bLen: number): boolean {
  const len = Math.min(aLen, bLen)
  for (let i = 0; i < len; i++) {
    const x = bytes[a + i] as number
    const y = bytes[b + i] as number
    if (x === y) continue
    // UTF-8 byte order is code point order; it differs from UTF-16 order only between a code
    // point beyond U+FFFF and one in U+E000..U+FFFF: compare such keys as strings.
    if (x >= 0x80 || y >= 0x80) return decoder.decode(bytes.subarray(a, a + aLen)) < decoder.decode(bytes.subarray(b, b + bLen))
    return y > x
  }
  return bLen > aLen
}
