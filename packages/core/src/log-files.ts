/**
 * The files of a tlog-tiles log, as pure functions every log store shares: which files a commit
 * writes (and the checks that keep a commit from naming a file it does not write or rewriting a
 * published one), and which file answers a read. Paths and bundle bytes come from layout.ts.
 */
import { parseCheckpoint } from './checkpoint.js'
import { LedgerError } from './error.js'
import { HASH_SIZE } from './hash.js'
import { encodeEntryBundle, entriesPath, entryBundlePrefix, parseEntryBundle, tileCountAt, tilePath, tileWidthAt } from './layout.js'
import { MAX_ENTRY_BYTES } from './limits.js'
import type { LogCommit, ReadableLogStore } from './log-store.js'
import { parseNote } from './note.js'
import { TILE_WIDTH, type LedgerMeta, type StoredCheckpoint } from './store.js'

/** A file of the log: its path under the log's root and its bytes. */
export interface LogFile {
  path: string
  bytes: Uint8Array
}

/** What a log writer carries from one commit to the next: the size and the open bundle. */
export interface LogTip {
  size: number
  /**
   * The bytes of the partial entry bundle at `size` (empty when `size` is a multiple of 256):
   * kept encoded, so a commit appends its entries' framing to them and never re-encodes, and
   * the caller's entry buffers are not held.
   */
  bundle: Uint8Array
}

/** The files of one commit, in the order to write them, and what it leaves behind. */
export interface PlannedCommit {
  /** Entry bundles, then tiles by level. */
  files: LogFile[]
  /** The tip after the commit. */
  tip: LogTip
  /** Full tiles and bundles the commit completes: their partials may go once it is published. */
  completed: string[]
}

/**
 * The tree size a signed checkpoint states, read without checking its signature (the store keeps
 * the text; verifying is the reader's). Throws `NOTE_MALFORMED` or `CHECKPOINT_MALFORMED`.
 * @example checkpointSize(text) // 1234
 */
export function checkpointSize(text: string): number {
  return parseCheckpoint(parseNote(text).text).size
}

/**
 * Plans `commit` on a log at `tip`: the bundles and tiles to write. Throws `RangeError` for a
 * commit that does not follow the tip (entries not contiguous from its size, a checkpoint of
 * another size, a tile of the wrong width, one the new checkpoint needs left out, or one that
 * would rewrite a published file) and `INPUT_TOO_LARGE` for an entry over 65,535 bytes.
 */
export function planLogCommit(tip: LogTip, commit: LogCommit): PlannedCommit {
  const from = tip.size
  const to = commit.checkpoint.size
  if (commit.entries.length === 0) throw new RangeError('a log commit needs at least one entry')
  if (to !== from + commit.entries.length) throw new RangeError(`checkpoint of size ${to} does not follow ${from} + ${commit.entries.length} entries`)
  commit.entries.forEach((e, i) => {
    if (e.index !== from + i) throw new RangeError(`entry ${i} of the commit has index ${e.index}, expected ${from + i}`)
    if (e.bytes.length > MAX_ENTRY_BYTES)
      throw new LedgerError('INPUT_TOO_LARGE', `entry ${e.index} is ${e.bytes.length} bytes, over ${MAX_ENTRY_BYTES}`, { index: e.index, size: e.bytes.length, limit: MAX_ENTRY_BYTES })
  })
  const files: LogFile[] = []
  const completed: string[] = []
  // Bundles: the open one grows; later ones start empty.
  let open = tip.bundle
  let at = 0
  for (let bundle = Math.floor(from / TILE_WIDTH); at < commit.entries.length; bundle++) {
    const had = (from + at) % TILE_WIDTH
    const take = Math.min(TILE_WIDTH - had, commit.entries.length - at)
    const added = encodeEntryBundle(commit.entries.slice(at, at + take).map((e) => e.bytes))
    const bytes = new Uint8Array(open.length + added.length)
    bytes.set(open)
    bytes.set(added, open.length)
    at += take
    if (had + take === TILE_WIDTH) {
      files.push({ path: entriesPath(bundle), bytes })
      completed.push(entriesPath(bundle))
      open = new Uint8Array(0)
    } else {
      files.push({ path: entriesPath(bundle, had + take), bytes })
      open = bytes
    }
  }
  files.push(...tileFiles(from, to, commit, completed))
  return { files, tip: { size: to, bundle: open }, completed }
}

function tileFiles(from: number, to: number, commit: LogCommit, completed: string[]): LogFile[] {
  const given = new Map<string, Uint8Array>()
  for (const t of commit.tiles) {
    const width = t.hashes.length / HASH_SIZE
    if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`tile ${t.level}/${t.index} holds ${t.hashes.length} bytes, not 1 to 256 hashes`)
    const want = tileWidthAt(to, t.level, t.index)
    if (width !== want) throw new RangeError(`tile ${t.level}/${t.index} holds ${width} hashes; size ${to} gives it ${want}`)
    if (tileWidthAt(from, t.level, t.index) >= width) throw new RangeError(`tile ${t.level}/${t.index} of width ${width} is already published`)
    given.set(`${t.level}/${t.index}`, t.hashes)
  }
  const files: LogFile[] = []
  for (let level = 0; tileCountAt(to, level) > 0; level++) {
    const last = tileCountAt(to, level)
    // From the rightmost tile the old size reached (or the first new one): the ones before are full.
    for (let index = Math.max(0, tileCountAt(from, level) - 1); index < last; index++) {
      const width = tileWidthAt(to, level, index)
      if (width === tileWidthAt(from, level, index)) continue
      const hashes = given.get(`${level}/${index}`)
      if (!hashes) throw new RangeError(`the commit to size ${to} lacks tile ${level}/${index} of width ${width}`)
      given.delete(`${level}/${index}`)
      files.push({ path: tilePath(level, index, width), bytes: hashes })
      if (width === TILE_WIDTH) completed.push(tilePath(level, index))
    }
  }
  return files
}

/** Reads one file of the log by path; undefined when it is not there. */
export type LogFileReader = (path: string) => Promise<Uint8Array | undefined>

/**
 * The first `width` hashes of tile (`level`, `index`), or entries of bundle `index` when `level`
 * is 'entries', in a log published at `size`: undefined when `size` does not reach that far (or
 * is undefined). The partial file of that width answers; once a full one is published it answers
 * instead, cut to `width` (a writer removes the partials then). `latest` gives the size published
 * now, asked only when the partial is gone, so a reader holding an older checkpoint still gets
 * what it names. `RangeError` for a width outside 1–256.
 */
export async function readLogFile(
  read: LogFileReader,
  size: number | undefined,
  level: number | 'entries',
  index: number,
  width: number,
  latest?: () => Promise<number | undefined>,
): Promise<Uint8Array | undefined> {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`width must be 1 to ${TILE_WIDTH}, got ${width}`)
  const path = level === 'entries' ? entriesPath : (i: number, w?: number) => tilePath(level, i, w)
  const tileLevel = level === 'entries' ? 0 : level
  const covered = size === undefined ? 0 : tileWidthAt(size, tileLevel, index)
  if (width > covered) return undefined
  if (width === TILE_WIDTH) return read(path(index))
  const partial = await read(path(index, width))
  if (partial) return partial
  // Only a full file a published size covers is trusted: a later one may be a commit under way.
  const now = covered === TILE_WIDTH ? size : await latest?.()
  if (now === undefined || tileWidthAt(now, tileLevel, index) < TILE_WIDTH) return undefined
  const full = await read(path(index))
  if (!full) return undefined
  const end = level === 'entries' ? entryBundlePrefix(full, width) : width * HASH_SIZE
  return end === undefined || end > full.length ? undefined : full.subarray(0, end)
}

/**
 * What every log reader shares: tiles and bundles served through {@link readLogFile} against the
 * checkpoint last read, and closing. A backend gives the bytes at a path, the size published now,
 * and its meta record and checkpoint (setting `published` when it reads one).
 */
export abstract class TiledLogReader implements ReadableLogStore {
  /** The checkpoint reads are served against: the one last read (or, on a writer, published). */
  protected published: StoredCheckpoint | undefined
  #closed = false

  /** The bytes of the log's file at `path` (slash-separated, under the root); undefined when absent. */
  protected abstract readPath(path: string): Promise<Uint8Array | undefined>
  /** The size published now, without moving the checkpoint reads are served against. */
  protected abstract latestSize(): Promise<number | undefined>
  abstract readMeta(): Promise<LedgerMeta | undefined>
  abstract readCheckpoint(): Promise<StoredCheckpoint | undefined>

  /** Throws `STORE_NOT_OPEN` when reads are not allowed now. */
  protected check(): void {
    if (this.#closed) throw new LedgerError('STORE_NOT_OPEN', 'the log reader is closed')
  }

  async readTile(level: number, index: number, width: number): Promise<Uint8Array | undefined> {
    return this.#read(level, index, width)
  }

  async readEntryBundle(index: number, width: number): Promise<Uint8Array | undefined> {
    return this.#read('entries', index, width)
  }

  async #read(level: number | 'entries', index: number, width: number): Promise<Uint8Array | undefined> {
    this.check()
    if (!this.published) await this.readCheckpoint()
    return readLogFile(
      (path) => this.readPath(path),
      this.published?.size,
      level,
      index,
      width,
      () => this.latestSize(),
    )
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  /**
   * The tip a writer resumes from at published `size`: its open entry bundle, read and checked.
   * `STORE_CORRUPT` when the bundle the checkpoint names is missing or damaged.
   */
  protected async readTip(size: number): Promise<LogTip> {
    const width = size % TILE_WIDTH
    if (width === 0) return { size, bundle: new Uint8Array(0) }
    const index = Math.floor(size / TILE_WIDTH)
    const bytes = await this.readEntryBundle(index, width)
    if (!bytes) throw new LedgerError('STORE_CORRUPT', `entry bundle ${index} of width ${width}, named by the checkpoint, is missing`, { index, width })
    try {
      parseEntryBundle(bytes, width)
      return { size, bundle: bytes }
    } catch (cause) {
      throw new LedgerError('STORE_CORRUPT', `entry bundle ${index} of width ${width} is damaged`, { index, width }, { cause })
    }
  }
}

/**
 * Checks that a checkpoint's text states its size: `RangeError` otherwise, `NOTE_MALFORMED` or
 * `CHECKPOINT_MALFORMED` for text that is no checkpoint. Every log store checks before writing.
 */
export function checkCheckpointText(checkpoint: StoredCheckpoint): void {
  const stated = checkpointSize(checkpoint.text)
  if (stated !== checkpoint.size) throw new RangeError(`checkpoint text states size ${stated}, not ${checkpoint.size}`)
}
