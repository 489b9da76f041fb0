/**
 * Builds real commits for log stores in tests, and checks a log against them, from the RFC 9162
 * definitions directly: every complete node of the tree is kept by height (a node of height h+1
 * is made as soon as its two children exist), so a tile is a slice of one height. Plain
 * JavaScript so that the crash tests' child processes (which run the built packages) use it too.
 */
import { EMPTY_ROOT, hashChildren, hashLeaf, openCheckpoint, parseEntryBundle, signCheckpoint, signerFromKey, tileWidthAt, verifierFromKey } from '@liuhen/core'

const encoder = new TextEncoder()

/** The deterministic bytes of entry `i`: its number and some padding, 10 to 60 bytes. */
export function entryBytes(i) {
  return encoder.encode(`entry ${i} ${'x'.repeat((i * 7) % 50)}`)
}

export class LogBuilder {
  /** Complete node hashes by height: nodes[h][i] covers leaves [i·2^h, (i+1)·2^h). */
  nodes = [[]]

  /** `skey` may be left out by a builder that only checks (it signs nothing then). */
  constructor(skey, origin) {
    this.signer = skey === undefined ? undefined : signerFromKey(skey)
    this.origin = origin
  }

  /** A builder that has seen entries 0 … size−1 already. */
  static resumed(skey, origin, size) {
    const b = new LogBuilder(skey, origin)
    for (let i = 0; i < size; i++) b.push(entryBytes(i))
    return b
  }

  get size() {
    return this.nodes[0].length
  }

  /** Adds entry `bytes` as the next leaf. */
  push(bytes) {
    this.nodes[0].push(hashLeaf(bytes))
    for (let h = 0; this.nodes[h].length % 2 === 0; h++) {
      const row = this.nodes[h]
      ;(this.nodes[h + 1] ??= []).push(hashChildren(row[row.length - 2], row[row.length - 1]))
    }
  }

  /** RFC 9162 root of the first `size` leaves, from the perfect subtrees of its binary decomposition. */
  root(size = this.size) {
    if (size === 0) return EMPTY_ROOT
    const parts = []
    let at = 0
    for (let h = 52; h >= 0; h--) {
      if (size & (2 ** h)) {
        parts.push(this.nodes[h][at / 2 ** h])
        at += 2 ** h
      }
    }
    let acc = parts[parts.length - 1]
    for (let i = parts.length - 2; i >= 0; i--) acc = hashChildren(parts[i], acc)
    return acc
  }

  /** The signed checkpoint of `size` (default: current), as a log store takes it. */
  checkpoint(size = this.size) {
    return { size, text: signCheckpoint({ origin: this.origin, size, root: this.root(size), extensions: [] }, this.signer) }
  }

  /** The hashes of tile (level, index) at width `width`, concatenated. */
  tile(level, index, width) {
    const row = this.nodes[level * 8] ?? []
    const out = new Uint8Array(width * 32)
    for (let i = 0; i < width; i++) out.set(row[index * 256 + i], i * 32)
    return out
  }

  /** The commit of `count` new entries: their bytes, the tiles they change, the new checkpoint. */
  commit(count) {
    const from = this.size
    const entries = []
    for (let i = 0; i < count; i++) {
      const bytes = entryBytes(from + i)
      entries.push({ index: from + i, bytes })
      this.push(bytes)
    }
    const to = this.size
    const tiles = []
    for (let level = 0; Math.floor(to / 256 ** level) > 0; level++) {
      for (let index = Math.floor(Math.floor(from / 256 ** level) / 256); index * 256 < Math.floor(to / 256 ** level); index++) {
        const width = tileWidthAt(to, level, index)
        if (width !== tileWidthAt(from, level, index)) tiles.push({ level, index, hashes: this.tile(level, index, width) })
      }
    }
    return { entries, tiles, checkpoint: this.checkpoint(to) }
  }
}

/**
 * Checks a log through `reader` as a client would: reads its checkpoint, verifies the signature
 * with `vkey`, then every entry bundle and every tile the checkpoint names, against the entries
 * `entryBytes` makes and the tree they give. Returns the size; throws on the first difference.
 */
export async function checkLog(reader, vkey) {
  const published = await reader.readCheckpoint()
  if (!published) throw new Error('no checkpoint')
  const { checkpoint } = openCheckpoint(published.text, verifierFromKey(vkey))
  const size = checkpoint.size
  const expected = new LogBuilder(undefined, '')
  for (let index = 0; index * 256 < size; index++) {
    const width = tileWidthAt(size, 0, index)
    const bundle = await reader.readEntryBundle(index, width)
    if (!bundle) throw new Error(`bundle ${index}.p/${width} is missing at size ${size}`)
    const entries = parseEntryBundle(bundle, width)
    entries.forEach((e, k) => {
      const want = entryBytes(index * 256 + k)
      if (Buffer.compare(e, want) !== 0) throw new Error(`entry ${index * 256 + k} differs`)
      expected.push(e)
    })
  }
  if (Buffer.compare(expected.root(size), checkpoint.root) !== 0) throw new Error(`the entries' root differs from the checkpoint's at size ${size}`)
  for (let level = 0; Math.floor(size / 256 ** level) > 0; level++) {
    for (let index = 0; index * 256 < Math.floor(size / 256 ** level); index++) {
      const width = tileWidthAt(size, level, index)
      const tile = await reader.readTile(level, index, width)
      if (!tile || Buffer.compare(tile, expected.tile(level, index, width)) !== 0) throw new Error(`tile ${level}/${index}.p/${width} is missing or differs at size ${size}`)
    }
  }
  return size
}
