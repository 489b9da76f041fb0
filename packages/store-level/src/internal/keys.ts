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

const encoder = new TextEncoder()

/** 8-byte big-endian encoding of a safe non-negative integer. */
export function u64(n: number): Uint8Array {
  const out = new Uint8Array(8)
  const view = new DataView(out.buffer)
  view.setUint32(0, Math.floor(n / 0x1_0000_0000))
  view.setUint32(4, n >>> 0)
  return out
}

/** Reads the 8-byte big-endian integer at `offset`. */
export function readU64(bytes: Uint8Array, offset = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return view.getUint32(offset) * 0x1_0000_0000 + view.getUint32(offset + 4)
}

function withKind(kind: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 1
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  out[0] = kind
  let at = 1
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export const metaKey = (): Uint8Array => Uint8Array.of(KIND.meta)
export const headKey = (): Uint8Array => Uint8Array.of(KIND.head)
export const entryKey = (index: number): Uint8Array => withKind(KIND.entry, u64(index))
export const idKey = (id: string): Uint8Array => withKind(KIND.id, encoder.encode(id))
export const tileKey = (level: number, index: number): Uint8Array => withKind(KIND.tile, Uint8Array.of(level), u64(index))
export const checkpointKey = (size: number): Uint8Array => withKind(KIND.checkpoint, u64(size))

/** Prefix of a posting list, or of every posting of an index when `key` is undefined. */
export function postingPrefix(name: string, key?: string): Uint8Array {
  const head = withKind(KIND.posting, encoder.encode(name), Uint8Array.of(0))
  return key === undefined ? head : withKind(KIND.posting, encoder.encode(name), Uint8Array.of(0), encoder.encode(key), Uint8Array.of(0))
}

export const postingKey = (name: string, key: string, entry: number): Uint8Array => {
  const prefix = postingPrefix(name, key)
  const out = new Uint8Array(prefix.length + 8)
  out.set(prefix)
  out.set(u64(entry), prefix.length)
  return out
}

/** The first key after every key that starts with `prefix`. */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const out = prefix.slice()
  for (let i = out.length - 1; i >= 0; i--) {
    if ((out[i] as number) < 0xff) {
      out[i] = (out[i] as number) + 1
      return out.subarray(0, i + 1)
    }
  }
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
}
