/**
 * A canonical MessagePack writer (https://github.com/msgpack/msgpack/blob/master/spec.md): map
 * keys sorted by UTF-16 code unit, safe integers in their smallest form (beyond 32 bits as
 * int64), every other finite number as float64, strings as str, `Uint8Array` as bin. Written straight into one
 * reused buffer: it is the entry encoder on the append path, where building sorted copies for a
 * general encoder cost more than hashing. msgpack-reader.ts reads it back, and a property test
 * holds it equal to msgpackr's own encoding of the sorted value.
 */
import { LedgerError } from '../error.js'
import { MAX_DECODE_DEPTH } from '../limits.js'
import { showText } from '../show.js'

let buf = new Uint8Array(64 * 1024)
let view = new DataView(buf.buffer)
let pos = 0
/** While set, byte strings are refused: the value must be JSON (an event as submitted). */
let jsonOnly = false
/** Most objects and lists a value may sit within (the value itself counted when it is one). */
let maxDepth = MAX_DECODE_DEPTH

function ensure(extra: number): void {
  if (pos + extra <= buf.length) return
  let size = buf.length * 2
  while (size < pos + extra) size *= 2
  const next = new Uint8Array(size)
  next.set(buf.subarray(0, pos))
  buf = next
  view = new DataView(buf.buffer)
}

function byte(b: number): void {
  ensure(1)
  buf[pos++] = b
}

function header(small: number, smallMax: number, codes: readonly [number, number, number], n: number): void {
  ensure(5)
  if (n <= smallMax) buf[pos++] = small | n
  else if (codes[0] !== 0 && n <= 0xff) {
    buf[pos++] = codes[0]
    buf[pos++] = n
  } else if (n <= 0xffff) {
    buf[pos++] = codes[1]
    view.setUint16(pos, n)
    pos += 2
  } else {
    buf[pos++] = codes[2]
    view.setUint32(pos, n)
    pos += 4
  }
}

function writeInt(n: number): void {
  ensure(9)
  if (n >= 0) {
    if (n < 0x80) buf[pos++] = n
    else if (n <= 0xff) {
      buf[pos++] = 0xcc
      buf[pos++] = n
    } else if (n <= 0xffff) {
      buf[pos++] = 0xcd
      view.setUint16(pos, n)
      pos += 2
    } else if (n <= 0xffff_ffff) {
      buf[pos++] = 0xce
      view.setUint32(pos, n)
      pos += 4
    } else {
      buf[pos++] = 0xd3
      view.setBigInt64(pos, BigInt(n))
      pos += 8
    }
  } else if (n >= -32) buf[pos++] = n & 0xff
  else if (n >= -0x80) {
    buf[pos++] = 0xd0
    view.setInt8(pos++, n)
  } else if (n >= -0x8000) {
    buf[pos++] = 0xd1
    view.setInt16(pos, n)
    pos += 2
  } else if (n >= -0x8000_0000) {
    buf[pos++] = 0xd2
    view.setInt32(pos, n)
    pos += 4
  } else {
    buf[pos++] = 0xd3
    view.setBigInt64(pos, BigInt(n))
    pos += 8
  }
}

const STR_CODES = [0xd9, 0xda, 0xdb] as const
const BIN_CODES = [0xc4, 0xc5, 0xc6] as const
const ARRAY_CODES = [0, 0xdc, 0xdd] as const
const MAP_CODES = [0, 0xde, 0xdf] as const
const encoder = new TextEncoder()

function writeString(s: string): void {
  const n = s.length
  // One pass for the common case: the header assumes ASCII (then bytes = code units), and the
  // loop works on locals, which the JIT keeps in registers (module-level `buf`/`pos` it does not).
  const start = pos
  header(0xa0, 31, STR_CODES, n)
  ensure(n)
  const b = buf
  let p = pos
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80) {
      pos = start
      return writeUtf8(s)
    }
    b[p++] = c
  }
  pos = p
}

function writeUtf8(s: string): void {
  // A lone surrogate has no UTF-8 form; TextEncoder would silently store U+FFFD instead.
  if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) fail('string holds a lone surrogate')
  const bytes = encoder.encode(s)
  header(0xa0, 31, STR_CODES, bytes.length)
  ensure(bytes.length)
  buf.set(bytes, pos)
  pos += bytes.length
}

/**
 * A refusal on its way out of the recursion: each enclosing list or map adds its segment, so the
 * path (`a.b[0]`) costs nothing while values are written (tracking it for every field cost as
 * much as writing the field).
 */
class Refusal {
  readonly segments: (string | number)[] = []
  constructor(readonly what: string) {}
}

function fail(what: string): never {
  throw new Refusal(what)
}

function within(segment: string | number, err: unknown): never {
  if (err instanceof Refusal) err.segments.push(segment)
  throw err
}

function pathOf(segments: readonly (string | number)[]): string {
  let path = ''
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i] as string | number
    path += typeof s === 'number' ? `[${s}]` : path === '' ? s : `.${s}`
  }
  return path
}

/** Bytes that are already canonical MessagePack, written as they are (see {@link writeCanonical}). */
export class RawMsgpack {
  constructor(readonly bytes: Uint8Array) {}
}

/** Writes `value`, which sits within `depth` lists and maps. */
function write(value: unknown, depth: number): void {
  if (value === null) return byte(0xc0)
  switch (typeof value) {
    case 'boolean':
      return byte(value ? 0xc3 : 0xc2)
    case 'string':
      return writeString(value)
    case 'number':
      // Safe integers take integer forms; every other finite number (1.5, 1e300) is a float64.
      if (Number.isSafeInteger(value)) return writeInt(value === 0 ? 0 : value) // -0 means 0
      if (!Number.isFinite(value)) fail('non-finite number')
      ensure(9)
      buf[pos++] = 0xcb
      view.setFloat64(pos, value)
      pos += 8
      return
    case 'object':
      break
    default:
      fail(`cannot encode ${typeof value}`)
  }
  if (value instanceof RawMsgpack) {
    ensure(value.bytes.length)
    buf.set(value.bytes, pos)
    pos += value.bytes.length
    return
  }
  if (value instanceof Uint8Array) {
    if (jsonOnly) fail('binary data is not JSON')
    header(0, -1, BIN_CODES, value.length)
    ensure(value.length)
    buf.set(value, pos)
    pos += value.length
    return
  }
  // Bounded here, not by the stack: a reader must accept every value written (limits.ts).
  if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`)
  if (Array.isArray(value)) {
    header(0x90, 15, ARRAY_CODES, value.length)
    for (let i = 0; i < value.length; i++) {
      try {
        write(value[i], depth + 1)
      } catch (err) {
        within(i, err)
      }
    }
    return
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) fail('cannot encode a class instance')
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  let count = 0
  for (const k of keys) if (record[k] !== undefined) count++
  header(0x80, 15, MAP_CODES, count)
  for (const k of keys) {
    const v = record[k]
    if (v === undefined) continue
    writeString(k)
    try {
      write(v, depth + 1)
    } catch (err) {
      within(k, err)
    }
  }
}

/**
 * Canonical MessagePack bytes of `value` (a fresh copy; the working buffer is reused). With
 * `json`, byte strings are refused, so the value is exactly a JSON value. Nesting deeper than
 * `depth` lists and maps is refused (`ENCODING_INVALID` with the path).
 */
export function writeCanonical(value: unknown, json = false, depth = MAX_DECODE_DEPTH): Uint8Array {
  pos = 0
  jsonOnly = json
  maxDepth = depth
  try {
    write(value, 0)
    return buf.slice(0, pos)
  } catch (err) {
    if (!(err instanceof Refusal)) throw err
    const path = pathOf(err.segments)
    throw new LedgerError('ENCODING_INVALID', `${err.what} at ${path === '' ? 'top level' : showText(path)}`, { path })
  } finally {
    pos = 0
    jsonOnly = false
    maxDepth = MAX_DECODE_DEPTH
  }
}
