/**
 * The C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles): where a static log keeps its tiles and
 * entry bundles, and the bytes of an entry bundle. The one place of tile paths and bundle framing,
 * so the file store, the service and every reader agree byte for byte.
 *
 * - `tile/<L>/<N>[.p/<W>]`: tile level L, tile index N, partial width W (1–255); a full tile has
 *   256 hashes and no `.p/` suffix.
 * - `tile/entries/<N>[.p/<W>]`: the entry bundle of the entries of level-0 tile N.
 * - N is written in groups of three decimal digits, each group but the last prefixed with `x`
 *   (1234067 → `x001/x234/067`), so no folder holds more than 1,000 names.
 */
import { LedgerError } from './error.js'
import { MAX_ENTRY_BYTES } from './limits.js'
import { TILE_HEIGHT, TILE_WIDTH } from './store.js'

/** A file of the layout: a tile (`level` a number) or an entry bundle (`level` 'entries'). */
export interface TilePath {
  level: number | 'entries'
  index: number
  /** Hashes or entries it holds: 1–256, 256 for a full one. */
  width: number
}

/**
 * The path element of a tile index N: three-digit groups, `x` before all but the last.
 * @example tileIndexPath(1234067) // 'x001/x234/067'
 */
export function tileIndexPath(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`tile index must be a non-negative safe integer, got ${index}`)
  let rest = index
  let path = String(rest % 1000).padStart(3, '0')
  rest = Math.floor(rest / 1000)
  while (rest > 0) {
    path = `x${String(rest % 1000).padStart(3, '0')}/${path}`
    rest = Math.floor(rest / 1000)
  }
  return path
}

function widthSuffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`tile width must be 1 to ${TILE_WIDTH}, got ${width}`)
  return width === TILE_WIDTH ? '' : `.p/${width}`
}

/**
 * The path of tile (level, index) holding `width` hashes (default: full), relative to the log's root.
 * @example tilePath(0, 1234067, 5) // 'tile/0/x001/x234/067.p/5'
 */
export function tilePath(level: number, index: number, width = TILE_WIDTH): string {
  if (!Number.isSafeInteger(level) || level < 0 || level > 63) throw new RangeError(`tile level must be 0 to 63, got ${level}`)
  return `tile/${level}/${tileIndexPath(index)}${widthSuffix(width)}`
}

/**
 * The path of the entry bundle of level-0 tile `index`, holding `width` entries (default: full).
 * @example entriesPath(0, 15) // 'tile/entries/000.p/15'
 */
export function entriesPath(index: number, width = TILE_WIDTH): string {
  return `tile/entries/${tileIndexPath(index)}${widthSuffix(width)}`
}

const PATH = /^tile\/(entries|0|[1-9]\d?)\/((?:x\d{3}\/)*)(\d{3})(?:\.p\/([1-9]\d{0,2}))?$/

/**
 * Parses a tile or entry-bundle path strictly (the canonical form only: no leading zeros in L or
 * W, no `x000` group in front, W below 256), or undefined when `path` is not one.
 * @example parseTilePath('tile/entries/x001/234.p/7') // { level: 'entries', index: 1234, width: 7 }
 */
export function parseTilePath(path: string): TilePath | undefined {
  const m = PATH.exec(path)
  if (!m) return undefined
  const groups = [
    ...(m[2] ?? '')
      .split('/')
      .filter((g) => g !== '')
      .map((g) => g.slice(1)),
    m[3] as string,
  ]
  if (groups.length > 1 && groups[0] === '000') return undefined
  if (groups.length > 6) return undefined // beyond 2^53 leaves; no log gets there
  const index = groups.reduce((n, g) => n * 1000 + Number(g), 0)
  // Six groups reach 10^18: past 2^53 the sum is rounded, and two paths would name one index.
  if (!Number.isSafeInteger(index)) return undefined
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4])
  if (m[4] !== undefined && width >= TILE_WIDTH) return undefined // a full one has no suffix
  const level = m[1] === 'entries' ? 'entries' : Number(m[1])
  if (typeof level === 'number' && level > 63) return undefined
  return { level, index, width }
}

/**
 * An entry bundle: each entry as a big-endian uint16 length and its bytes. Throws
 * `INPUT_TOO_LARGE` for an entry over 65,535 bytes and RangeError for more than 256 entries.
 * @example encodeEntryBundle([new TextEncoder().encode('one')]) // 00 03 6f 6e 65
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > TILE_WIDTH) throw new RangeError(`an entry bundle holds at most ${TILE_WIDTH} entries, got ${entries.length}`)
  let size = 0
  for (const [i, e] of entries.entries()) {
    if (e.length > MAX_ENTRY_BYTES)
      throw new LedgerError('INPUT_TOO_LARGE', `entry ${i} of the bundle is ${e.length} bytes, over ${MAX_ENTRY_BYTES}`, { position: i, size: e.length, limit: MAX_ENTRY_BYTES })
    size += 2 + e.length
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const e of entries) {
    out[at] = e.length >>> 8
    out[at + 1] = e.length & 0xff
    out.set(e, at + 2)
    at += 2 + e.length
  }
  return out
}

/**
 * The entries of an entry bundle, as views into `bytes`. With `count`, exactly that many entries
 * must fill the bytes; without, as many as there are (at most 256). Throws `ENCODING_INVALID`
 * for a truncated entry, trailing bytes, or another count: a bundle is untrusted input.
 * @example parseEntryBundle(bytes, 15).map((e) => new TextDecoder().decode(e))
 */
export function parseEntryBundle(bytes: Uint8Array, count?: number): Uint8Array[] {
  const out: Uint8Array[] = []
  let at = 0
  while (at < bytes.length) {
    if (out.length === TILE_WIDTH) throw new LedgerError('ENCODING_INVALID', `entry bundle holds more than ${TILE_WIDTH} entries`, { offset: at })
    if (at + 2 > bytes.length) throw new LedgerError('ENCODING_INVALID', `entry bundle ends inside the length of entry ${out.length}`, { offset: at })
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number)
    if (at + 2 + length > bytes.length) throw new LedgerError('ENCODING_INVALID', `entry ${out.length} of the bundle is cut short`, { offset: at, length })
    out.push(bytes.subarray(at + 2, at + 2 + length))
    at += 2 + length
  }
  if (count !== undefined && out.length !== count) throw new LedgerError('ENCODING_INVALID', `entry bundle holds ${out.length} entries, expected ${count}`, { count: out.length, expected: count })
  return out
}

/**
 * How many hashes tile (`level`, `index`) holds in a tree of `size` leaves: 256 when full, 0 when
 * the tree does not reach it. With `level` 0 it is also the width of entry bundle `index`.
 * @example tileWidthAt(300, 0, 1) // 44
 */
export function tileWidthAt(size: number, level: number, index: number): number {
  const nodes = Math.floor(size / 2 ** (level * TILE_HEIGHT))
  return Math.max(0, Math.min(TILE_WIDTH, nodes - index * TILE_WIDTH))
}

/**
 * How many tiles (full and partial) tile level `level` has in a tree of `size` leaves: 0 above
 * the top. With `level` 0 it is also the number of entry bundles.
 * @example tileCountAt(300, 0) // 2
 */
export function tileCountAt(size: number, level: number): number {
  return Math.ceil(Math.floor(size / 2 ** (level * TILE_HEIGHT)) / TILE_WIDTH)
}

/**
 * The byte length of the first `count` entries of entry bundle `bytes` (its prefix of `count`
 * entries is then `bytes.subarray(0, length)`), or undefined when it holds fewer.
 * @example entryBundlePrefix(full, 15) // bytes of the partial bundle of 15 entries
 */
export function entryBundlePrefix(bytes: Uint8Array, count: number): number | undefined {
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.length) return undefined
    at += 2 + (((bytes[at] as number) << 8) | (bytes[at + 1] as number))
  }
  return at <= bytes.length ? at : undefined
}
