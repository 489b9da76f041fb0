/**
 * A canonical MessagePack reader: decodes in one pass and refuses, as it goes, every byte
 * sequence that is not exactly what msgpack-writer.ts writes for the value it holds (a wider
 * integer form than needed, float for a safe integer, unsorted or repeated map keys, non-string
 * keys, extension types, float32, uint64, 0xc1, trailing bytes). It is the decoder of entries,
 * which auditors run over every byte of a log: reading and checking canonical form in one pass
 * is several times faster than decoding, re-encoding and comparing.
 *
 * Input is attacker-controlled: every length is checked against the bytes left before anything
 * is allocated, and nesting is bounded, so no input can exhaust memory or the stack.
 */
import { LedgerError } from '../error.js'

/** Deepest nesting of arrays and maps accepted. */
export const MAX_DEPTH = 64

const decoder = new TextDecoder('utf-8', { fatal: true })

class Reader {
  pos = 0
  readonly view: DataView
  /** The same bytes as a Buffer, for its native latin1 slicing of ASCII strings. */
  readonly buffer: Buffer
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) invalid('bytes end inside a value')
  }

  u8(): number {
    this.need(1)
    return this.bytes[this.pos++] as number
  }

  u16(): number {
    this.need(2)
    const v = this.view.getUint16(this.pos)
    this.pos += 2
    return v
  }

  u32(): number {
    this.need(4)
    const v = this.view.getUint32(this.pos)
    this.pos += 4
    return v
  }
}

function invalid(why: string): never {
  throw new LedgerError('ENCODING_INVALID', `bytes are not canonical MessagePack: ${why}`)
}

function notCanonical(why: string): never {
  throw new LedgerError('ENCODING_NOT_CANONICAL', `bytes are not canonical MessagePack: ${why}`)
}

/** A length of the given width; `min` is the smallest length that may use this width. */
function length(r: Reader, width: 1 | 2 | 4, min: number): number {
  const n = width === 1 ? r.u8() : width === 2 ? r.u16() : r.u32()
  if (n < min) notCanonical('a length in a wider form than needed')
  return n
}

function str(r: Reader, n: number): string {
  r.need(n)
  const start = r.pos
  r.pos += n
  // ASCII (ids, keys, digests: nearly every string) is sliced natively; anything else goes
  // through the strict UTF-8 decoder.
  let ascii = true
  for (let i = start; i < start + n; i++) {
    if ((r.bytes[i] as number) >= 0x80) {
      ascii = false
      break
    }
  }
  if (ascii) return r.buffer.toString('latin1', start, start + n)
  try {
    return decoder.decode(r.bytes.subarray(start, start + n))
  } catch {
    return invalid('a string is not UTF-8')
  }
}

function bin(r: Reader, n: number): Uint8Array {
  r.need(n)
  const out = r.bytes.slice(r.pos, r.pos + n)
  r.pos += n
  return out
}

function int64(r: Reader): number {
  r.need(8)
  const v = r.view.getBigInt64(r.pos)
  r.pos += 8
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) invalid('an integer beyond 2^53')
  const n = Number(v)
  if (n >= -0x8000_0000 && n <= 0xffff_ffff) notCanonical('an int64 that fits 32 bits')
  return n
}

function array(r: Reader, n: number, depth: number): unknown[] {
  r.need(n) // every element takes at least one byte
  const out = new Array<unknown>(n)
  for (let i = 0; i < n; i++) out[i] = value(r, depth + 1)
  return out
}

function map(r: Reader, n: number, depth: number): Record<string, unknown> {
  r.need(2 * n)
  const out: Record<string, unknown> = {}
  let previous: string | undefined
  for (let i = 0; i < n; i++) {
    const key = value(r, depth + 1)
    if (typeof key !== 'string') invalid('a map key is not a string')
    if (previous !== undefined && !(previous < key)) notCanonical('map keys are not in sorted order')
    previous = key
    const v = value(r, depth + 1)
    // A key named __proto__ must become an own property, never the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true })
    else out[key] = v
  }
  return out
}

function value(r: Reader, depth: number): unknown {
  if (depth > MAX_DEPTH) invalid(`nesting deeper than ${MAX_DEPTH}`)
  const b = r.u8()
  if (b < 0x80) return b
  if (b >= 0xe0) return b - 0x100
  if (b <= 0x8f) return map(r, b & 0x0f, depth)
  if (b <= 0x9f) return array(r, b & 0x0f, depth)
  if (b <= 0xbf) return str(r, b & 0x1f)
  switch (b) {
    case 0xc0:
      return null
    case 0xc2:
      return false
    case 0xc3:
      return true
    case 0xc4:
      return bin(r, r.u8())
    case 0xc5:
      return bin(r, length(r, 2, 0x100))
    case 0xc6:
      return bin(r, length(r, 4, 0x1_0000))
    case 0xcb: {
      r.need(8)
      const f = r.view.getFloat64(r.pos)
      r.pos += 8
      if (!Number.isFinite(f)) invalid('a non-finite float')
      if (Number.isSafeInteger(f)) notCanonical('a float holding a safe integer')
      return f
    }
    case 0xcc: {
      const n = r.u8()
      return n < 0x80 ? notCanonical('a uint8 below 128') : n
    }
    case 0xcd:
      return length(r, 2, 0x100)
    case 0xce:
      return length(r, 4, 0x1_0000)
    case 0xd0: {
      const n = r.u8() - 0x100
      return n >= -32 || n < -128 ? notCanonical('an int8 outside -128..-33') : n
    }
    case 0xd1: {
      const n = (r.u16() << 16) >> 16
      return n >= -0x80 ? notCanonical('an int16 that fits int8') : n
    }
    case 0xd2: {
      const n = r.u32() | 0
      return n >= -0x8000 ? notCanonical('an int32 that fits int16') : n
    }
    case 0xd3:
      return int64(r)
    case 0xd9:
      return str(r, length(r, 1, 32))
    case 0xda:
      return str(r, length(r, 2, 0x100))
    case 0xdb:
      return str(r, length(r, 4, 0x1_0000))
    case 0xdc:
      return array(r, length(r, 2, 16), depth)
    case 0xdd:
      return array(r, length(r, 4, 0x1_0000), depth)
    case 0xde:
      return map(r, length(r, 2, 16), depth)
    case 0xdf:
      return map(r, length(r, 4, 0x1_0000), depth)
    default:
      // 0xc1, ext, float32, uint64: never written by the canonical encoder.
      return invalid(`type byte 0x${b.toString(16)} is outside the format`)
  }
}

/**
 * Decodes one canonical MessagePack value occupying all of `bytes`. Byte strings come back as
 * fresh `Uint8Array`s. Throws `ENCODING_INVALID` or `ENCODING_NOT_CANONICAL`.
 */
export function readCanonical(bytes: Uint8Array): unknown {
  const r = new Reader(bytes)
  const v = value(r, 0)
  if (r.pos !== bytes.length) invalid('trailing bytes after the value')
  return v
}
