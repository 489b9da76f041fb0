/**
 * A canonical MessagePack reader: decodes in one pass and refuses, as it goes, every byte
 * sequence that is not exactly what msgpack-writer.ts writes for the value it holds (a wider
 * integer form than needed, float for a safe integer, unsorted or repeated map keys, non-string
 * keys, extension types, float32, uint64, 0xc1, trailing bytes). It is the decoder of entries,
 * which auditors run over every byte of a log: reading and checking canonical form in one pass
 * is several times faster than decoding, re-encoding and comparing.
 *
 * The checks live in three functions that every reader of entries shares: {@link head} (one
 * type byte and its length or number), {@link readKey} (a map key: a string, after the previous
 * one) and {@link checkString}. {@link readValue} builds values on them; {@link skipValue}
 * checks a value without building it, for scans that need a few fields (entry-scan.ts). So the
 * two cannot disagree on what is canonical.
 *
 * Input is attacker-controlled: every length is checked against the bytes left before anything
 * is allocated, and nesting is bounded, so no input can exhaust memory or the stack.
 */
import { LedgerError } from '../error.js'
import { MAX_DECODE_DEPTH as MAX_DEPTH } from '../limits.js'
import { asciiString, decodeUtf8, keyAfter } from './msgpack-strings.js'

/** Kinds of value {@link head} reads; `Reader.n` holds the number or the length. */
export const INT = 0
export const FLOAT = 1
export const NIL = 2
export const FALSE = 3
export const TRUE = 4
export const STR = 5
export const BIN = 6
export const ARRAY = 7
export const MAP = 8

const f64 = new DataView(new ArrayBuffer(8))

/** A position in untrusted bytes, and what {@link head} last read there. */
export class Reader {
  pos = 0
  /** The number (INT, FLOAT) or length (STR, BIN, ARRAY, MAP) of the last head. */
  n = 0
  /** Set by {@link checkString}: the string had only ASCII bytes; else its text. */
  ascii = true
  text = ''
  #buffer: Buffer | undefined
  constructor(readonly bytes: Uint8Array) {}

  /** The same bytes as a Buffer, for its native latin1 slicing of ASCII strings. */
  get buffer(): Buffer {
    return (this.#buffer ??= Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength))
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
    const b = this.bytes
    const v = ((b[this.pos] as number) << 8) | (b[this.pos + 1] as number)
    this.pos += 2
    return v
  }

  u32(): number {
    this.need(4)
    const b = this.bytes
    const p = this.pos
    this.pos += 4
    return (b[p] as number) * 0x100_0000 + (((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number))
  }
}

export function invalid(why: string): never {
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

function int64(r: Reader): number {
  const hi = r.u32() | 0
  const lo = r.u32()
  // hi · 2³² + lo is exact in a double while it is a safe integer, which these bounds ensure.
  if (hi > 0x1f_ffff || hi < -0x20_0000 || (hi === -0x20_0000 && lo === 0)) invalid('an integer beyond 2^53')
  const n = hi * 0x1_0000_0000 + lo
  if (n >= -0x8000_0000 && n <= 0xffff_ffff) notCanonical('an int64 that fits 32 bits')
  return n
}

function float64(r: Reader): number {
  r.need(8)
  for (let i = 0; i < 8; i++) f64.setUint8(i, r.bytes[r.pos + i] as number)
  r.pos += 8
  const f = f64.getFloat64(0)
  if (!Number.isFinite(f)) invalid('a non-finite float')
  if (Number.isSafeInteger(f)) notCanonical('a float holding a safe integer')
  return f
}

function sized(r: Reader, kind: number, n: number, perItem: number): number {
  r.need(perItem * n) // every element takes at least one byte, every map entry two
  r.n = n
  return kind
}

function number(r: Reader, kind: number, n: number): number {
  r.n = n
  return kind
}

/**
 * Reads one type byte and what it carries (the number, or the length after checking that many
 * bytes remain), refusing every non-canonical form. Returns the kind (INT ... MAP); the value or
 * length is in `r.n`, and `r.pos` is at the string, bytes or first element.
 */
export function head(r: Reader): number {
  const b = r.u8()
  if (b < 0x80) return number(r, INT, b)
  if (b >= 0xe0) return number(r, INT, b - 0x100)
  if (b <= 0x8f) return sized(r, MAP, b & 0x0f, 2)
  if (b <= 0x9f) return sized(r, ARRAY, b & 0x0f, 1)
  if (b <= 0xbf) return sized(r, STR, b & 0x1f, 1)
  switch (b) {
    case 0xc0:
      return NIL
    case 0xc2:
      return FALSE
    case 0xc3:
      return TRUE
    case 0xc4:
      return sized(r, BIN, r.u8(), 1)
    case 0xc5:
      return sized(r, BIN, length(r, 2, 0x100), 1)
    case 0xc6:
      return sized(r, BIN, length(r, 4, 0x1_0000), 1)
    case 0xcb:
      return number(r, FLOAT, float64(r))
    case 0xcc: {
      const n = r.u8()
      return n < 0x80 ? notCanonical('a uint8 below 128') : number(r, INT, n)
    }
    case 0xcd:
      return number(r, INT, length(r, 2, 0x100))
    case 0xce:
      return number(r, INT, length(r, 4, 0x1_0000))
    case 0xd0: {
      const n = r.u8() - 0x100
      return n >= -32 || n < -128 ? notCanonical('an int8 outside -128..-33') : number(r, INT, n)
    }
    case 0xd1: {
      const n = (r.u16() << 16) >> 16
      return n >= -0x80 ? notCanonical('an int16 that fits int8') : number(r, INT, n)
    }
    case 0xd2: {
      const n = r.u32() | 0
      return n >= -0x8000 ? notCanonical('an int32 that fits int16') : number(r, INT, n)
    }
    case 0xd3:
      return number(r, INT, int64(r))
    case 0xd9:
      return sized(r, STR, length(r, 1, 32), 1)
    case 0xda:
      return sized(r, STR, length(r, 2, 0x100), 1)
    case 0xdb:
      return sized(r, STR, length(r, 4, 0x1_0000), 1)
    case 0xdc:
      return sized(r, ARRAY, length(r, 2, 16), 1)
    case 0xdd:
      return sized(r, ARRAY, length(r, 4, 0x1_0000), 1)
    case 0xde:
      return sized(r, MAP, length(r, 2, 16), 2)
    case 0xdf:
      return sized(r, MAP, length(r, 4, 0x1_0000), 2)
    default:
      // 0xc1, ext, float32, uint64: never written by the canonical encoder.
      return invalid(`type byte 0x${b.toString(16)} is outside the format`)
  }
}

/**
 * Checks the `n` string bytes at `r.pos` (valid UTF-8) and moves past them; sets `r.ascii`, and
 * `r.text` when the string is not ASCII.
 */
export function checkString(r: Reader, n: number): void {
  const b = r.bytes
  const start = r.pos
  const end = start + n
  let i = start
  while (i < end && (b[i] as number) < 0x80) i++
  r.pos = end
  r.ascii = i === end
  if (!r.ascii) r.text = decodeUtf8(b, start, end)
}

/** Reads a string value at `r.pos` (refused unless it is one). */
export function readString(r: Reader): string {
  if (head(r) !== STR) invalid('a string was expected')
  const n = r.n
  checkString(r, n)
  return r.ascii ? asciiString(r, r.pos - n, r.pos) : r.text
}

/**
 * Reads a map key: a string (refused otherwise, after checking the value that stands in its
 * place) that sorts after the previous key, whose bytes are at [prevStart, prevStart + prevLen)
 * (prevStart < 0 for the first key). Returns the key's start; its length is in `r.n`.
 */
export function readKey(r: Reader, depth: number, prevStart: number, prevLen: number): number {
  const at = r.pos
  if (depth > MAX_DEPTH) invalid(`nesting deeper than ${MAX_DEPTH}`)
  if (head(r) !== STR) {
    r.pos = at
    skipValue(r, depth)
    invalid('a map key is not a string')
  }
  const n = r.n
  const start = r.pos
  checkString(r, n)
  if (prevStart >= 0 && !keyAfter(r.bytes, prevStart, prevLen, start, n)) notCanonical('map keys are not in sorted order')
  r.n = n
  return start
}

/** Checks one value at `r.pos` without building it, and moves past it. */
export function skipValue(r: Reader, depth: number): void {
  if (depth > MAX_DEPTH) invalid(`nesting deeper than ${MAX_DEPTH}`)
  const kind = head(r)
  const n = r.n
  if (kind === STR) checkString(r, n)
  else if (kind === BIN) r.pos += n
  else if (kind === ARRAY) for (let i = 0; i < n; i++) skipValue(r, depth + 1)
  else if (kind === MAP) {
    let prev = -1
    let prevLen = 0
    for (let i = 0; i < n; i++) {
      prev = readKey(r, depth + 1, prev, prevLen)
      prevLen = r.n
      skipValue(r, depth + 1)
    }
  }
}

/** Reads one value at `r.pos`: byte strings come back as fresh `Uint8Array`s. */
export function readValue(r: Reader, depth: number): unknown {
  if (depth > MAX_DEPTH) invalid(`nesting deeper than ${MAX_DEPTH}`)
  const kind = head(r)
  const n = r.n
  switch (kind) {
    case INT:
    case FLOAT:
      return n
    case NIL:
      return null
    case FALSE:
      return false
    case TRUE:
      return true
    case STR:
      checkString(r, n)
      return r.ascii ? asciiString(r, r.pos - n, r.pos) : r.text
    case BIN:
      r.pos += n
      return r.bytes.slice(r.pos - n, r.pos)
    case ARRAY: {
      const out = new Array<unknown>(n)
      for (let i = 0; i < n; i++) out[i] = readValue(r, depth + 1)
      return out
    }
    default:
      return readMap(r, n, depth)
  }
}

function readMap(r: Reader, n: number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  let prev = -1
  let prevLen = 0
  for (let i = 0; i < n; i++) {
    prev = readKey(r, depth + 1, prev, prevLen)
    prevLen = r.n
    const key = r.ascii ? asciiString(r, prev, r.pos) : r.text
    const v = readValue(r, depth + 1)
    // A key named __proto__ must become an own property, never the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true })
    else out[key] = v
  }
  return out
}

/**
 * Decodes one canonical MessagePack value occupying all of `bytes`. Byte strings come back as
 * fresh `Uint8Array`s. Throws `ENCODING_INVALID` or `ENCODING_NOT_CANONICAL`.
 */
export function readCanonical(bytes: Uint8Array): unknown {
  const r = new Reader(bytes)
  const v = readValue(r, 0)
  if (r.pos !== bytes.length) invalid('trailing bytes after the value')
  return v
}
