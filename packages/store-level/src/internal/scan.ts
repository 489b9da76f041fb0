/**
 * Key-range scans both LevelDB stores share (the format-1 store and the format-2 index store keep
 * postings and id records under the same keys, keys.ts).
 */
import type { Level } from 'level'
import type { Posting, PostingScan } from '@liuhen/core'
import { postingPrefix, prefixEnd, readU64 } from './keys.js'

type Bytes = Uint8Array

// ignoreBOM: posting keys may begin with U+FEFF, which a default decoder drops.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
const encoder = new TextEncoder()

/**
 * The postings of index `name` in `db`: those of `key` when given, else the range `scan` names,
 * in key order (reversed on request), at most `scan.limit`.
 */
export async function* scanPostings(db: Level<Bytes, Bytes>, name: string, key: string | undefined, scan: PostingScan = {}): AsyncIterable<Posting> {
  const all = postingPrefix(name)
  const range =
    key !== undefined
      ? { gte: postingPrefix(name, key), lt: prefixEnd(postingPrefix(name, key)) }
      : {
          gte: scan.gte === undefined ? all : concat(all, encoder.encode(scan.gte)),
          lt: scan.lt === undefined ? prefixEnd(all) : concat(all, encoder.encode(scan.lt)),
        }
  const options = { ...range, reverse: scan.reverse ?? false, ...(scan.limit === undefined ? {} : { limit: scan.limit }) }
  for await (const k of db.keys(options)) {
    yield { name, key: decoder.decode(k.subarray(all.length, k.length - 9)), entry: readU64(k, k.length - 8) }
  }
}

/**
 * Every record of `db` whose key starts with `prefix`, in batches of up to `records` from one
 * native call each (within a byte budget of `bytes`). Batches, not records, so a caller's loop over
 * millions of records pays one generator step per batch.
 */
export async function* scanPrefixBatches(db: Level<Bytes, Bytes>, prefix: Bytes, records: number, bytes: number): AsyncIterable<[Bytes, Bytes][]> {
  const it = db.iterator({ gte: prefix, lt: prefixEnd(prefix), highWaterMarkBytes: bytes })
  try {
    for (;;) {
      const batch = await it.nextv(records)
      if (batch.length === 0) return
      yield batch
    }
  } finally {
    await it.close()
  }
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
