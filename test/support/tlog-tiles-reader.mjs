/**
 * An independent C2SP tlog-tiles client (https://c2sp.org/tlog-tiles), written from the spec
 * texts and RFC 9162 §2.1, sharing no code with Liuhen: it reads a static log from a folder or an
 * http(s) base URL and verifies it — the checkpoint's signature (c2sp-checkpoint.mjs), every tile
 * against the checkpoint's root, every entry bundle against the level-0 tiles. Tests use it to
 * show that Liuhen's log is a tlog-tiles log any client can check, not one only Liuhen can read.
 *
 * Everything a source serves is untrusted: responses are size-limited, tiles must be exactly
 * their width, bundles exactly their entries, and each failure throws an Error naming the file
 * (and the entry index) that failed. Only node:crypto, node:fs and the global fetch are used.
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { MAX_NOTE_BYTES, verifyCheckpoint } from './c2sp-checkpoint.mjs'

const HASH = 32
const WIDTH = 256 // tile height 8: a full tile holds 256 hashes
const MAX_ENTRY = 0xffff // a uint16 length

/** The path element of tile index `n`: 3-digit groups, all but the last prefixed with `x`. */
export function tileIndexPath(n) {
  const groups = []
  let rest = n
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'))
    rest = Math.floor(rest / 1000)
  } while (rest > 0)
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/')
}

/** `tile/<L>/<N>[.p/<W>]`, with `level` 'entries' for an entry bundle. */
export function tileName(level, index, width = WIDTH) {
  return `tile/${level}/${tileIndexPath(index)}${width === WIDTH ? '' : `.p/${width}`}`
}

function sha256(...parts) {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}

/** RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 || entry). */
export function leafHash(entry) {
  return sha256(Buffer.of(0x00), entry)
}

function nodeHash(left, right) {
  return sha256(Buffer.of(0x01), left, right)
}

/** RFC 9162 §2.1.1 MTH over hashes already at one level: split at the largest power of two < n. */
export function merkleTreeHash(hashes) {
  if (hashes.length === 0) return sha256()
  if (hashes.length === 1) return hashes[0]
  let k = 1
  while (k * 2 < hashes.length) k *= 2
  return nodeHash(merkleTreeHash(hashes.slice(0, k)), merkleTreeHash(hashes.slice(k)))
}

function splitHashes(bytes) {
  const out = []
  for (let at = 0; at < bytes.length; at += HASH) out.push(bytes.subarray(at, at + HASH))
  return out
}

/**
 * A reader of `path` (relative to the log's prefix) returning its bytes, or undefined when the
 * source does not have it (ENOENT, HTTP 404/410). Refuses more than `limit` bytes.
 */
function sourceOf(source, options) {
  const timeout = options.timeoutMs ?? 30_000
  if (/^https?:\/\//i.test(source)) {
    const base = source.endsWith('/') ? source : `${source}/`
    return async (path, limit) => {
      let res
      try {
        res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(timeout), redirect: 'error' })
      } catch (cause) {
        throw new Error(`${path}: fetch failed (${cause.message})`, { cause })
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel()
        return undefined
      }
      if (res.status !== 200) {
        await res.body?.cancel()
        throw new Error(`${path}: HTTP ${res.status}`)
      }
      // A declared length is checked before reading, unless compressed (then it is not the size).
      const declared = res.headers.get('content-length')
      if (declared !== null && !res.headers.has('content-encoding') && Number(declared) > limit) {
        await res.body?.cancel()
        throw new Error(`${path} is ${declared} bytes, over the ${limit} it may be`)
      }
      const chunks = []
      let size = 0
      for await (const chunk of res.body ?? []) {
        size += chunk.length
        if (size > limit) throw new Error(`${path} is over the ${limit} bytes it may be`)
        chunks.push(chunk)
      }
      return Buffer.concat(chunks, size)
    }
  }
  return async (path, limit) => {
    let file
    try {
      file = await open(join(source, path), 'r')
    } catch (cause) {
      if (cause.code === 'ENOENT') return undefined
      throw new Error(`${path}: ${cause.message}`, { cause })
    }
    try {
      const stat = await file.stat()
      if (!stat.isFile()) throw new Error(`${path} is not a file`)
      if (stat.size > limit) throw new Error(`${path} is over the ${limit} bytes it may be`)
      // One byte more than the file had, to see one that grew past the limit while read.
      const buffer = Buffer.alloc(stat.size + 1)
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0)
      if (bytesRead > limit) throw new Error(`${path} is over the ${limit} bytes it may be`)
      return buffer.subarray(0, bytesRead)
    } finally {
      await file.close()
    }
  }
}

/**
 * Fetches a tile or bundle of `width`; a missing partial one may be read as the prefix of the full
 * one, which tlog-tiles allows once the full one exists. Returns the bytes and the path read.
 */
async function fetchTileOrBundle(get, level, index, width, limit) {
  const path = tileName(level, index, width)
  const bytes = await get(path, limit(width))
  if (bytes !== undefined) return { bytes, path, prefixOf: false }
  if (width < WIDTH) {
    const full = await get(tileName(level, index), limit(WIDTH))
    if (full !== undefined) return { bytes: full, path: tileName(level, index), prefixOf: true }
  }
  throw new Error(`${path} is missing${width < WIDTH ? ', and so is the full one' : ''}`)
}

/**
 * Entries of a bundle: big-endian uint16 length, then that many bytes, `count` of them exactly
 * (or, when `prefix`, at least `count` of a full bundle). `first` is the log index of entry 0.
 */
function parseBundle(bytes, count, path, first, prefix) {
  const want = prefix ? WIDTH : count
  const entries = []
  let at = 0
  while (at < bytes.length) {
    if (entries.length === want) throw new Error(`${path} holds bytes after its ${want} entries`)
    if (at + 2 > bytes.length) throw new Error(`${path} ends inside the length of entry ${first + entries.length}`)
    const length = bytes.readUInt16BE(at)
    if (at + 2 + length > bytes.length) throw new Error(`${path} cuts entry ${first + entries.length} short`)
    entries.push(bytes.subarray(at + 2, at + 2 + length))
    at += 2 + length
  }
  if (entries.length !== want) throw new Error(`${path} holds ${entries.length} entries, expected ${want}`)
  return entries.slice(0, count)
}

/**
 * Opens the log at `source` (a folder or an http(s) base URL) for the Ed25519 verifier key
 * `vkeyText`: verifies the checkpoint's signature, then computes the RFC 9162 root of its size from
 * the right-edge (partial) tiles and compares it with the checkpoint's. Full tiles are verified when
 * read, against their hash in the tile above. Options: `origin` (default: the key's name),
 * `timeoutMs` per request.
 * @example const log = await openLog('http://127.0.0.1:8080/log/', vkey); await log.readEntries(0, 10)
 */
export async function openLog(source, vkeyText, options = {}) {
  const get = sourceOf(source, options)
  const note = await get('checkpoint', MAX_NOTE_BYTES)
  if (note === undefined) throw new Error('checkpoint is missing')
  let checkpoint
  try {
    checkpoint = verifyCheckpoint(note, vkeyText, options)
  } catch (cause) {
    throw new Error(`checkpoint: ${cause.message}`, { cause })
  }
  const size = checkpoint.size
  // Level L holds the hashes of the floor(size / 256^L) complete subtrees of 256^L leaves.
  const hashesAt = (level) => Math.floor(size / WIDTH ** level)
  const levels = []
  for (let level = 0; hashesAt(level) > 0; level++) levels.push(level)
  const verified = new Map() // `${level}/${index}` → the tile's hashes, verified against the root

  const widthOf = (level, index) => {
    const full = Math.floor(hashesAt(level) / WIDTH)
    if (index < full) return WIDTH
    if (index === full && hashesAt(level) % WIDTH > 0) return hashesAt(level) % WIDTH
    throw new RangeError(`tile ${level}/${index} is outside a tree of size ${size}`)
  }
  const fetchTile = async (level, index) => {
    const width = widthOf(level, index)
    const { bytes, path, prefixOf } = await fetchTileOrBundle(get, level, index, width, (w) => w * HASH)
    if (bytes.length !== (prefixOf ? WIDTH : width) * HASH) throw new Error(`${path} is ${bytes.length} bytes, not ${width} hashes`)
    return { hashes: splitHashes(bytes.subarray(0, width * HASH)), path: tileName(level, index, width) }
  }

  // The root from the partial tiles, top level first: each partial tile's width splits into
  // perfect subtrees (its binary digits, largest first), which are the tree's frontier, and the
  // MTH of RFC 9162 §2.1.1 hashes the frontier from the right: H(f0, H(f1, … H(fk-1, fk))).
  const frontier = []
  const edge = []
  for (const level of levels.toReversed()) {
    const width = hashesAt(level) % WIDTH
    if (width === 0) continue
    const tile = await fetchTile(level, Math.floor(hashesAt(level) / WIDTH))
    edge.push(tile.path)
    verified.set(`${level}/${Math.floor(hashesAt(level) / WIDTH)}`, tile.hashes)
    let at = 0
    for (let bit = 7; bit >= 0; bit--) {
      if ((width & (1 << bit)) === 0) continue
      frontier.push(merkleTreeHash(tile.hashes.slice(at, at + (1 << bit))))
      at += 1 << bit
    }
  }
  const root = frontier.length === 0 ? sha256() : frontier.reduceRight((right, left) => nodeHash(left, right))
  if (!root.equals(checkpoint.root)) {
    throw new Error(`root of size ${size} from ${edge.join(', ') || 'no tiles'} is ${root.toString('base64')}, the checkpoint's is ${checkpoint.root.toString('base64')}`)
  }

  /** The hashes of tile (level, index), verified: a full one against its hash in the tile above. */
  const readTile = async (level, index) => {
    const cached = verified.get(`${level}/${index}`)
    if (cached) return cached
    const { hashes, path } = await fetchTile(level, index)
    const parent = await readTile(level + 1, Math.floor(index / WIDTH))
    const want = parent[index % WIDTH]
    if (!merkleTreeHash(hashes).equals(want)) {
      throw new Error(`${path} does not hash to hash ${index % WIDTH} of ${tileName(level + 1, Math.floor(index / WIDTH), widthOf(level + 1, Math.floor(index / WIDTH)))}`)
    }
    if (level > 0) verified.set(`${level}/${index}`, hashes) // level 0 is many tiles, read once each
    return hashes
  }

  /** Entries `from <= i < to`, each checked against its leaf hash in a verified level-0 tile. */
  const readEntries = async (from, to) => {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to || to > size) throw new RangeError(`entries ${from}..${to} are not within 0..${size}`)
    const out = []
    if (from === to) return out
    for (let index = Math.floor(from / WIDTH); index * WIDTH < to; index++) {
      const width = widthOf(0, index)
      const first = index * WIDTH
      const { bytes, path, prefixOf } = await fetchTileOrBundle(get, 'entries', index, width, (w) => w * (2 + MAX_ENTRY))
      const entries = parseBundle(bytes, width, path, first, prefixOf)
      const tile = await readTile(0, index)
      entries.forEach((entry, i) => {
        if (!leafHash(entry).equals(tile[i])) throw new Error(`entry ${first + i} in ${path} does not hash to hash ${i} of ${tileName(0, index, width)}`)
      })
      out.push(...entries.slice(Math.max(0, from - first), to - first))
    }
    return out
  }

  return { checkpoint, levels: levels.length, readTile, readEntries }
}

/**
 * Verifies the whole log at `source`: the checkpoint's signature, the root from the tiles, every
 * full tile of every level against the level above, and every entry against the level-0 tiles.
 * Returns the checkpoint and all entries; throws an Error naming the first thing that failed.
 * @example const { checkpoint, entries } = await verifyLog('test/vectors/tessera-testdata-log/log', vkey)
 */
export async function verifyLog(source, vkeyText, options = {}) {
  const log = await openLog(source, vkeyText, options)
  const size = log.checkpoint.size
  // Top level first, so each tile's parent is verified (and cached) before it; level 0 is read
  // (and checked against level 1) with the entries.
  for (let level = log.levels - 1; level >= 1; level--) {
    const tiles = Math.ceil(Math.floor(size / WIDTH ** level) / WIDTH)
    for (let index = 0; index < tiles; index++) await log.readTile(level, index)
  }
  return { checkpoint: log.checkpoint, entries: await log.readEntries(0, size) }
}
