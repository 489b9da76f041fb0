/**
 * The conversion of `migrate` (migrate.ts): the entries of a format-1 store replayed into a new
 * log store, in commits whose checkpoints are the store's own signed checkpoints, their text
 * kept verbatim. Nothing of the old tree is copied: each entry is hashed afresh and the tiles are
 * computed from those hashes (TreeState), while every hash, root and checkpoint the old store
 * holds is checked against them, so a damaged store is refused, not carried over. Memory stays
 * bounded: entries are read in chunks and written in commits of at most `maxCommit` entries.
 */
import {
  bytesEqual,
  EMPTY_ROOT,
  HASH_SIZE,
  hashLeaf,
  LedgerError,
  MAX_ENTRY_BYTES,
  openCheckpoint,
  readEntryChunk,
  signCheckpoint,
  TILE_WIDTH,
  toHex,
  type Checkpoint,
  type LedgerMeta,
  type LogStore,
  type NoteSigner,
  type NoteVerifier,
  type ReadableStore,
  type StoredCheckpoint,
  type StoredEntry,
} from '@liuhen/core'
import { TreeState } from './tree.js'

/** Entries read from the old store at a time. */
const READ_CHUNK = 1024

/** What {@link convertStore} needs. */
export interface ConvertInput {
  /** The format-1 store, open; it is only read. */
  store: ReadableStore
  /** The new log, open and empty. */
  log: LogStore
  /** The format-1 store's meta record (the new log's gets format 2). */
  meta: LedgerMeta
  signer: NoteSigner
  verifier: NoteVerifier
  /** The checkpoint the ledger published (its `checkpoint` file), if any. */
  published: Checkpoint | undefined
  /** A commit ends at the first stored checkpoint it reaches with at least this many entries. */
  minCommit: number
  /** A commit that reaches this many entries with no stored checkpoint ends with one signed here. */
  maxCommit: number
  onProgress?: (done: number, total: number) => void
}

/** What the conversion wrote: the log's size, root and published checkpoint text. */
export interface Converted {
  size: number
  root: Uint8Array
  checkpoint: string
}

/** `STORE_CORRUPT` for damage found in the format-1 store. */
function damaged(message: string, details: Record<string, unknown> = {}, cause?: unknown): LedgerError {
  return new LedgerError('STORE_CORRUPT', `the format-1 store is damaged: ${message}; nothing was converted (run \`liuhen verify\` on it)`, details, { cause })
}

/** The replay: one instance per conversion. */
class Replay {
  readonly #in: ConvertInput
  readonly #size: number
  readonly #tree: TreeState
  readonly #checkpoints: AsyncIterator<StoredCheckpoint>
  #next: StoredCheckpoint | undefined
  /** Size of the last checkpoint checked (a changed entry lies after it). */
  #checked = 0
  #group: StoredEntry[] = []
  /** The old store's level-0 tile holding the current entry's hash. */
  #oldTile: { index: number; hashes: Uint8Array | undefined } | undefined
  #final: StoredCheckpoint | undefined

  constructor(input: ConvertInput, size: number, tree: TreeState) {
    this.#in = input
    this.#size = size
    this.#tree = tree
    this.#checkpoints = input.store.readCheckpoints()[Symbol.asyncIterator]()
  }

  async run(): Promise<StoredCheckpoint | undefined> {
    await this.#advance()
    // A checkpoint of size 0 states the empty root; nothing to commit for it.
    if (this.#next?.size === 0) await this.#checkpointAt(0)
    for (let pos = 0; pos < this.#size;) {
      const chunk = await readEntryChunk(this.#in.store, pos, Math.min(pos + READ_CHUNK, this.#size))
      if (chunk.length === 0) throw damaged(`entry ${pos} is missing (its head has ${this.#size})`, { index: pos })
      for (const entry of chunk) {
        if (entry.index !== pos) throw damaged(`entry ${pos} is missing`, { index: pos })
        await this.#add(entry)
        pos++
        await this.#settle(pos)
      }
      this.#in.onProgress?.(pos, this.#size)
    }
    if (this.#next) throw damaged(`it holds a checkpoint of size ${this.#next.size}, past its head of size ${this.#size}`, { size: this.#next.size })
    return this.#final
  }

  async #advance(): Promise<void> {
    const r = await this.#checkpoints.next()
    const next = r.done ? undefined : r.value
    if (next && this.#next && next.size <= this.#next.size) throw damaged(`its checkpoints are out of order at size ${next.size}`, { size: next.size })
    this.#next = next
  }

  async #add(entry: StoredEntry): Promise<void> {
    const index = entry.index
    if (entry.bytes.length > MAX_ENTRY_BYTES) {
      throw new LedgerError('INPUT_TOO_LARGE', `entry ${index} is ${entry.bytes.length} bytes, over the ${MAX_ENTRY_BYTES} a format-2 entry bundle holds: this ledger cannot be converted`, {
        index,
        size: entry.bytes.length,
        limit: MAX_ENTRY_BYTES,
      })
    }
    const leaf = hashLeaf(entry.bytes)
    // The old tree's leaf hash names the first changed entry at once, where the checkpoints
    // below could only say that one of a commit's entries changed.
    const tile = Math.floor(index / TILE_WIDTH)
    if (this.#oldTile?.index !== tile) this.#oldTile = { index: tile, hashes: await this.#in.store.readTile(0, tile) }
    const at = (index % TILE_WIDTH) * HASH_SIZE
    const old = this.#oldTile.hashes
    if (!old || old.length < at + HASH_SIZE || !bytesEqual(old.subarray(at, at + HASH_SIZE), leaf)) {
      throw damaged(`entry ${index} does not hash to the leaf its tree holds (tile 0/${tile})`, { index })
    }
    this.#tree.append(leaf)
    this.#group.push(entry)
  }

  /** At size `pos`: checks a stored checkpoint there, and ends the commit when it is time. */
  async #settle(pos: number): Promise<void> {
    // The store's own checkpoint first: a changed entry is damage to the store, named as such.
    const stored = this.#next?.size === pos ? await this.#checkpointAt(pos) : undefined
    if (this.#in.published?.size === pos && !bytesEqual(this.#in.published.root, this.#tree.root())) {
      const [expected, actual] = [toHex(this.#in.published.root), toHex(this.#tree.root())]
      throw new LedgerError('STORE_FORKED', `the format-1 store holds another history than the checkpoint the ledger published: at size ${pos} its root is ${actual}, not ${expected}`, {
        size: pos,
        expected,
        actual,
      })
    }
    if (stored) {
      if (pos === this.#size || this.#group.length >= this.#in.minCommit) await this.#commit(stored)
    } else if (this.#group.length >= this.#in.maxCommit) {
      // The store's checkpoints are too far apart to bound a commit: sign one here. Only this
      // log, built aside, ever holds it; the final checkpoint is the store's own.
      const text = signCheckpoint({ origin: this.#in.meta.origin, size: pos, root: this.#tree.root(), extensions: [] }, this.#in.signer)
      await this.#commit({ size: pos, text })
    }
  }

  /** Checks the stored checkpoint at `pos` (the next one) against the tree, and moves past it. */
  async #checkpointAt(pos: number): Promise<StoredCheckpoint> {
    const stored = this.#next as StoredCheckpoint
    let checkpoint: Checkpoint
    try {
      checkpoint = openCheckpoint(stored.text, this.#in.verifier).checkpoint
    } catch (cause) {
      throw damaged(`its checkpoint at size ${pos} is not signed by the ledger's key`, { size: pos }, cause)
    }
    if (checkpoint.size !== pos) throw damaged(`its checkpoint stored at size ${pos} states size ${checkpoint.size}`, { size: pos })
    if (!bytesEqual(checkpoint.root, pos === 0 ? EMPTY_ROOT : this.#tree.root())) {
      throw damaged(`entries ${this.#checked} to ${pos - 1} do not hash to its signed checkpoint at size ${pos}: one of them was changed`, { from: this.#checked, size: pos })
    }
    this.#checked = pos
    await this.#advance()
    return stored
  }

  async #commit(checkpoint: StoredCheckpoint): Promise<void> {
    try {
      await this.#in.log.writeCommit({ entries: this.#group, tiles: this.#tree.stagedTiles(), checkpoint })
    } catch (err) {
      this.#tree.rollback()
      throw err
    }
    this.#tree.commit()
    this.#group = []
    if (checkpoint.size === this.#size) this.#final = checkpoint
  }
}

/**
 * Replays the format-1 store into `input.log` (a new, empty log): creates it (its meta record with
 * format 2, a size-0 checkpoint signed by `input.signer`), then commits every entry up to the
 * store's head, ending with the store's latest checkpoint, verbatim. Throws `STORE_CORRUPT`
 * naming the first bad entry or checkpoint when the store's entries, tree, head and signed
 * checkpoints disagree; `STORE_FORKED` when the published checkpoint names another root;
 * `INPUT_TOO_LARGE` for an entry a bundle cannot hold; the log store's write errors.
 */
export async function convertStore(input: ConvertInput): Promise<Converted> {
  const { store, log, meta, signer } = input
  const head = await store.readHead()
  const size = head?.size ?? 0
  const published = input.published
  if (published && published.size > size) {
    throw new LedgerError(
      'STORE_BEHIND_CHECKPOINT',
      `the format-1 store holds ${size} entries, fewer than the ${published.size} of the checkpoint the ledger published: its files were damaged or rolled back`,
      {
        size,
        published: published.size,
      },
    )
  }
  if (published?.size === 0 && !bytesEqual(published.root, EMPTY_ROOT)) throw new LedgerError('STORE_FORKED', 'the checkpoint the ledger published at size 0 names another root than the empty tree')
  const empty = signCheckpoint({ origin: meta.origin, size: 0, root: EMPTY_ROOT, extensions: [] }, signer)
  await log.create({ format: 2, origin: meta.origin, vkey: meta.vkey }, { size: 0, text: empty })
  const tree = await TreeState.load(store, undefined)
  const final = await new Replay(input, size, tree).run()
  if (!bytesEqual(tree.root(), head?.root ?? EMPTY_ROOT)) throw damaged(`its head names root ${toHex(head?.root ?? EMPTY_ROOT)} at size ${size}, not the root of its entries`, { size })
  if (size > 0 && !final) throw damaged(`it holds no signed checkpoint at its head's size ${size}`, { size })
  return { size, root: tree.root(), checkpoint: final?.text ?? empty }
}
