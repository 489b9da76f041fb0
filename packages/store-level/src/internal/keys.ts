/**
 * Key layout of the LevelDB store (FORMAT.md at the repository root is the reference). Every key
 * starts with one byte naming its record kind; integers are 8-byte big-endian so LevelDB's byte
 * order is numeric order.
 */

export const KIND = {
  meta: 0x6d, // 'm'
  head: 0x68, // 'h'
  entry: 0x65, // 'e' + index
  id: 0x69, // 'i' + UTF-8 id  -> index
  tile: 0x74, // 't' + level (1 byte) + index
  checkpoint: 0x63, // 'c' + size
  posting: 0x78, // 'x' + name + 0x00 + key + 0x00 + entry
} as const

/** 8-byte big-endian encoding of a safe non-negative integer. */
export function u64(n: number): Uint8Array {
  const out = Buffer.allocUnsafe(8)
  out.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 0)
  out.writeUInt32BE(n >>> 0, 4)
  return out
}

/** Reads the 8-byte big-endian integer at `offset`. */
export function readU64(bytes: Uint8Array, offset = 0): number {
  // Byte arithmetic, not a DataView per call: this runs once per record of every scan.
  if (!(offset >= 0 && offset + 8 <= bytes.length)) throw new RangeError(`no 8-byte integer at offset ${offset} of ${bytes.length} bytes`)
  const b = bytes
  const hi = (b[offset] as number) * 0x100_0000 + (((b[offset + 1] as number) << 16) | ((b[offset + 2] as number) << 8) | (b[offset + 3] as number))
  const lo = (b[offset + 4] as number) * 0x100_0000 + (((b[offset + 5] as number) << 16) | ((b[offset + 6] as number) << 8) | (b[offset + 7] as number))
  return hi * 0x1_0000_0000 + lo
}

// Keys are built with one allocation each: Buffer's native UTF-8 writer, no TextEncoder copies
// (key building was a tenth of the append path when done part by part).

export const metaKey = (): Uint8Array => Uint8Array.of(KIND.meta)
export const headKey = (): Uint8Array => Uint8Array.of(KIND.head)

/** A kind byte followed by a u64: the key of an entry (by index) or a checkpoint (by size). */
function kindAndU64(kind: number, n: number): Uint8Array {
  const out = Buffer.allocUnsafe(9)
  out[0] = kind
  out.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 1)
  out.writeUInt32BE(n >>> 0, 5)
  return out
}

export const entryKey = (index: number): Uint8Array => kindAndU64(KIND.entry, index)

export function idKey(id: string): Uint8Array {
  const out = Buffer.allocUnsafe(1 + Buffer.byteLength(id, 'utf8'))
  out[0] = KIND.id
  out.write(id, 1, 'utf8')
  return out
}

export function tileKey(level: number, index: number): Uint8Array {
  const out = Buffer.allocUnsafe(10)
  out[0] = KIND.tile
  out[1] = level
  out.writeUInt32BE(Math.floor(index / 0x1_0000_0000), 2)
  out.writeUInt32BE(index >>> 0, 6)
  return out
}

export const checkpointKey = (size: number): Uint8Array => kindAndU64(KIND.checkpoint, size)

/** The value of an id record: u64(index) ‖ leaf hash, in one allocation. */
export function idValue(index: number, hash: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(8 + hash.length)
  out.writeUInt32BE(Math.floor(index / 0x1_0000_0000), 0)
  out.writeUInt32BE(index >>> 0, 4)
  out.set(hash, 8)
  return out
}

/** Prefix of a posting list, or of every posting of an index when `key` is undefined. */
export function postingPrefix(name: string, key?: string): Uint8Array {
  const nameLength = Buffer.byteLength(name, 'utf8')
  const keyLength = key === undefined ? 0 : Buffer.byteLength(key, 'utf8') + 1
  const out = Buffer.allocUnsafe(2 + nameLength + keyLength)
  out[0] = KIND.posting
  out.write(name, 1, 'utf8')
  out[1 + nameLength] = 0
  if (key !== undefined) {
    out.write(key, 2 + nameLength, 'utf8')
    out[out.length - 1] = 0
  }
  return out
}

export function postingKey(name: string, key: string, entry: number): Uint8Array {
  const nameLength = Buffer.byteLength(name, 'utf8')
  const keyLength = Buffer.byteLength(key, 'utf8')
  const out = Buffer.allocUnsafe(3 + nameLength + keyLength + 8)
  out[0] = KIND.posting
  out.write(name, 1, 'utf8')
  let at = 1 + nameLength
  out[at++] = 0
  out.write(key, at, 'utf8')
  at += keyLength
  out[at++] = 0
  out.writeUInt32BE(Math.floor(entry / 0x1_0000_0000), at)
  out.writeUInt32BE(entry >>> 0, at + 4)
  return out
}

/** The first key after every key that starts with `prefix`. */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  // A copy: Buffer's slice is a view, and the caller may still use `prefix` as a bound.
  const out = Uint8Array.from(prefix)
  for (let i = out.length - 1; i >= 0; i--) {
    if ((out[i] as number) < 0xff) {
      out[i] = (out[i] as number) + 1
      return out.subarray(0, i + 1)
    }
  }
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
}
