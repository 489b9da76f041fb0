/**
 * The ledger engine: append with group commit, signed checkpoints, proofs, reads and a live
 * subscription, over any {@link Store}.
 *
 * Group commit: appends that arrive while a commit is being written wait, and all of them go
 * into the next commit: one atomic, synced store batch holding their entries, tiles, id index,
 * postings, the new head and a checkpoint signed for the new size. `append` resolves only after
 * that batch is durable. One checkpoint is signed per commit (not per interval), so every
 * acknowledged event is covered by a signed checkpoint at once.
 */
import {
  generateSignerKey,
  isLedgerError,
  LedgerError,
  openCheckpoint,
  planRoot,
  signCheckpoint,
  signerFromKey,
  verifierFromKey,
  vkeyOfSignerKey,
  TiledStore,
  type LedgerStores,
  type NoteSigner,
  type Store,
  type Commit,
  type TreeHead,
} from '@liuhen/core'
import { checkCosignedVersion } from './cosignatures.js'
import { createLedgerDir, ledgerFormatOf, levelStoreOf, signerKeyOf, tiledReaderOf, tiledStoreOf } from './files.js'
import { checkNotBehind, checkSameHistory, openPublished, readPublished, removeStaleTemporaries, writePublished } from './published.js'
import { CommitBuilder, type PendingRequest, type Receipt } from './internal/batch.js'
import { EMPTY_HEAD, LogReader } from './log-reader.js'
import { TreeState } from './internal/tree.js'
import { CommitSignal, type CommittedEntry } from './subscription.js'
import type { ConsistencyProof, CreateOptions, InclusionProof, LedgerOptions, StoresOptions } from './options.js'
import { prepareEvents } from './submit.js'
import { IdLookups } from './internal/id-lookups.js'

/** On-disk format version of new ledgers (FORMAT.md); format 1 is still read and written. */
export const FORMAT_VERSION = 2

/** What a ledger is opened over: a directory, the stores of format 2, or a format-1 store. */
export type LedgerTarget = string | LedgerStores | Store

function isLedgerStores(target: LedgerTarget): target is LedgerStores {
  return typeof target === 'object' && 'log' in target && 'index' in target
}

/** An append-only, tamper-evident log of events. */
export class Ledger {
  readonly origin: string
  readonly vkey: string
  readonly #store: Store
  /** Undefined for a directory whose signer key this process cannot read: it reads, never appends. */
  readonly #signer: NoteSigner | undefined
  /** Why there is no signer (the key file's error number). */
  readonly #noSigner: string | undefined
  /** Why the directory's signer.key, read, is no key of this ledger (damaged, another's). */
  readonly #badSigner: string | undefined
  readonly #options: LedgerOptions
  readonly #tree: TreeState
  readonly #signal = new CommitSignal()
  readonly #reader: LogReader
  #head: TreeHead
  #checkpoint: string | undefined
  #queue: PendingRequest[] = []
  #writing: Promise<void> | undefined
  #closed = false
  /** Commits written (or attempted) so far: an id lookup made at an earlier count is stale. */
  #generation = 0
  readonly #lookups: IdLookups
  /** The ledger directory whose `checkpoint` file this ledger keeps (published.ts), if any. */
  readonly #dir: string | undefined
  /**
   * Whether commits replace that file. Not with `sync: false`: the store's commits are not
   * durable then, and a file that outlived a lost commit would leave the store behind it.
   */
  readonly #publishes: boolean
  /** A commit whose checkpoint could not be published: the next appends publish first. */
  #unpublished = false

  private constructor(
    store: Store,
    signer: NoteSigner | { errno: string; damage?: string },
    meta: { origin: string; vkey: string },
    head: TreeHead,
    checkpoint: string | undefined,
    tree: TreeState,
    options: LedgerOptions,
    dir: string | undefined,
  ) {
    this.#dir = dir
    this.#publishes = dir !== undefined && options.sync !== false
    this.#store = store
    this.#signer = 'errno' in signer ? undefined : signer
    this.#noSigner = 'errno' in signer ? signer.errno : undefined
    this.#badSigner = 'errno' in signer ? signer.damage : undefined
    this.origin = meta.origin
    this.vkey = meta.vkey
    this.#head = head
    this.#reader = new LogReader(store, head)
    this.#checkpoint = checkpoint
    this.#tree = tree
    this.#options = options
    this.#lookups = new IdLookups(store)
  }

  /**
   * Creates a ledger in directory `dir` (or in a given store) with a new signer key unless
   * `options.skey` is given, and opens it. Fails with `STORE_EXISTS` if there is one already.
   * @example const ledger = await Ledger.create('district-ledger', { origin: 'ledger.district.example/audit' })
   */
  static create(stores: LedgerStores, options: CreateOptions & StoresOptions): Promise<Ledger>
  static create(target: string | Store, options: CreateOptions): Promise<Ledger>
  static async create(target: LedgerTarget, options: CreateOptions): Promise<Ledger> {
    const skey = options.skey ?? generateSignerKey(options.origin).skey
    const signer = signerFromKey(skey)
    if (signer.name !== options.origin) throw new LedgerError('KEY_MALFORMED', `signer key is named ${signer.name}, not the origin ${options.origin}`)
    const format = typeof target === 'string' ? (options.format ?? FORMAT_VERSION) : isLedgerStores(target) ? 2 : 1
    const meta = { format, origin: options.origin, vkey: vkeyOfSignerKey(skey) }
    if (typeof target === 'string') await createLedgerDir(target, skey, meta, options.sync === undefined ? {} : { sync: options.sync })
    else if (isLedgerStores(target)) {
      const store = new TiledStore(target)
      await store.open()
      try {
        const empty = signCheckpoint({ origin: meta.origin, size: 0, root: planRoot(0).build([])[0] as Uint8Array, extensions: [] }, signer)
        await store.create(meta, { size: 0, text: empty })
      } finally {
        await store.close()
      }
    } else {
      await target.open()
      try {
        await target.writeMeta(meta)
      } finally {
        await target.close()
      }
    }
    return Ledger.#open(target, { ...options, skey })
  }

  /**
   * Opens an existing ledger in O(1): reads its meta record, head and partial tiles, no replay.
   * A directory's published checkpoint (FORMAT.md) must not be ahead of the store: else
   * `STORE_BEHIND_CHECKPOINT`, naming both sizes, and nothing can be appended; nor may the store
   * hold another root at its size (`STORE_FORKED`). A directory whose
   * `signer.key` this process cannot read opens for reading: appends fail with `LEDGER_NO_SIGNER`.
   */
  static open(stores: LedgerStores, options: StoresOptions): Promise<Ledger>
  static open(target: string | Store, options?: LedgerOptions): Promise<Ledger>
  static open(target: LedgerTarget, options: LedgerOptions = {}): Promise<Ledger> {
    return Ledger.#open(target, options)
  }

  static async #open(target: LedgerTarget, options: LedgerOptions): Promise<Ledger> {
    const key = options.signer ? { signer: options.signer } : options.skey !== undefined ? { skey: options.skey } : typeof target === 'string' ? signerKeyOf(target) : undefined
    if (!key) throw new TypeError('a signer (or its key text) is needed to open a ledger over stores')
    const format = typeof target === 'string' ? ledgerFormatOf(target) : isLedgerStores(target) ? 2 : 1
    // The published checkpoint file is format 1's: format 2's log publishes its own checkpoint.
    const dir = typeof target === 'string' && format === 1 ? target : undefined
    const storeOptions = { mustExist: true, ...(options.sync === undefined ? {} : { sync: options.sync }), ...(options.readOnly ? { readOnly: true } : {}) }
    const store = storeOf(target, format, storeOptions, options)
    const writer = !(format === 2 && options.readOnly)
    if (writer) await store.open()
    try {
      const meta = await store.readMeta()
      if (!meta) throw new LedgerError('LEDGER_NOT_FOUND', 'the store holds no ledger')
      if (meta.format !== format) throw new LedgerError('STORE_FORMAT_UNSUPPORTED', `format ${meta.format} is not supported here (this code reads formats 1 and 2)`)
      const signer = 'signer' in key ? checkSigner(key.signer, meta) : 'skey' in key ? signerOf(key.skey, meta.vkey, options.skey === undefined) : key
      const head = (await store.readHead()) ?? EMPTY_HEAD
      // A crash between the log's commit and its index batch leaves the index behind: index first.
      if (store instanceof TiledStore && writer) await store.catchUp()
      const text = dir === undefined ? undefined : await readPublished(dir)
      const published = dir !== undefined && text !== undefined ? openPublished(text, dir, meta.vkey) : undefined
      if (published) checkNotBehind(head.size, published, dir as string)
      const tree = await TreeState.load(store, head)
      const empty = { origin: meta.origin, size: 0, root: head.root, extensions: [] }
      const checkpoint = (await store.readLatestCheckpoint())?.text ?? ('errno' in signer ? undefined : signCheckpoint(empty, signer))
      const ledger = new Ledger(store, signer, meta, head, checkpoint, tree, options, options.readOnly ? undefined : dir)
      // Same size is not enough: the store must hold the history the file's checkpoint names.
      if (published) checkSameHistory(await ledger.rootAt(published.size), published, dir as string)
      // Kills during earlier commits leave `.checkpoint.*.tmp` files; this process holds the store.
      if (ledger.#publishes) await removeStaleTemporaries(dir as string)
      return ledger
    } catch (err) {
      await store.close()
      throw err
    }
  }

  /** The store, for readers (verifier, queries) that share this process. */
  get store(): Store {
    return this.#store
  }

  /** Number of durable entries. */
  get size(): number {
    return this.#head.size
  }

  /** The head after the last durable commit. */
  get head(): TreeHead {
    return this.#head
  }

  /** Appends one event; resolves with its receipt once durable. */
  async append(event: unknown): Promise<Receipt> {
    const [receipt] = await this.appendBatch([event])
    return receipt as Receipt
  }

  /**
   * Appends events atomically: all of them or, on a bad event, none (`INPUT_INVALID` naming its
   * position and field). Resolves with one receipt per event once the commit is durable.
   */
  appendBatch(events: readonly unknown[]): Promise<Receipt[]> {
    if (this.#closed) return Promise.reject(new LedgerError('LEDGER_CLOSED', 'ledger is closed'))
    if (!this.#signer) return Promise.reject(this.#unsigned())
    if (this.#options.readOnly) return Promise.reject(new LedgerError('STORE_READ_ONLY', 'this ledger was opened for reading only'))
    try {
      const prepared = prepareEvents(events, this.#options, (ids) => this.#lookups.lookUp(ids, this.#generation))
      if (prepared.events.length === 0) return Promise.resolve([])
      return new Promise((resolve, reject) => {
        this.#queue.push({ ...prepared, resolve, reject })
        this.#kick()
      })
    } catch (err) {
      return Promise.reject(err)
    }
  }

  #kick(): void {
    if (this.#writing) return
    this.#writing = this.#drain().finally(() => {
      this.#writing = undefined
      if (this.#queue.length > 0) this.#kick()
    })
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const max = this.#options.maxCommitEvents ?? 10_000
      const group: PendingRequest[] = []
      let count = 0
      while (this.#queue.length > 0 && (group.length === 0 || count + (this.#queue[0] as PendingRequest).events.length <= max)) {
        const next = this.#queue.shift() as PendingRequest
        group.push(next)
        count += next.events.length
      }
      await this.#commit(group)
    }
  }

  async #commit(group: PendingRequest[]): Promise<void> {
    if (this.#store instanceof TiledStore && this.#store.indexBehind) {
      // A commit whose index batch failed: its ids must be in the index before this group's are looked up.
      try {
        await this.#store.catchUp()
      } catch (err) {
        for (const request of group) request.reject(err)
        return
      } finally {
        this.#generation++
      }
    }
    const time = Math.max((this.#options.clock ?? Date.now)(), this.#head.time)
    const builder = new CommitBuilder(this.#store, this.#tree, time, this.#options.indexer || undefined)
    try {
      await builder.prefetch(group, this.#generation)
      for (const request of group) await builder.add(request)
      if (builder.entries.length === 0) {
        // Only events already in the log: acknowledged once their checkpoint is published.
        const failure = this.#unpublished ? await this.#publish() : undefined
        for (const s of builder.staged) {
          if (failure === undefined) s.request.resolve(s.receipts)
          else s.request.reject(failure)
        }
        return
      }
      const head: TreeHead = { size: this.#tree.size, root: this.#tree.root(), time, frontier: this.#tree.frontier() }
      const text = signCheckpoint({ origin: this.origin, size: head.size, root: head.root, extensions: [] }, this.#signer as NoteSigner)
      await this.#writeCommit({
        entries: builder.entries,
        ids: builder.ids,
        tiles: this.#tree.stagedTiles(),
        head,
        checkpoint: { size: head.size, text },
        postings: builder.postings,
      })
      this.#tree.commit()
      this.#head = head
      this.#reader.advance(head)
      this.#checkpoint = text
    } catch (err) {
      if (isLedgerError(err) && err.details['committed'] === true) {
        // The log holds the commit (its index batch failed, and is redone before the next one):
        // the tree and head move on; the appends are refused, and come back as repeats.
        this.#tree.commit()
        this.#head = { size: this.#tree.size, root: this.#tree.root(), time, frontier: this.#tree.frontier() }
        this.#reader.advance(this.#head)
        this.#checkpoint = (await this.#store.readLatestCheckpoint())?.text ?? this.#checkpoint
        this.#signal.notify()
      } else this.#tree.rollback()
      for (const s of builder.staged) s.request.reject(err)
      return
    }
    // Published before the appends are acknowledged, after the store's commit: a crash in
    // between leaves the store ahead of the file, which opens; never behind it.
    const failure = await this.#publish()
    this.#signal.notify()
    for (const s of builder.staged) {
      if (failure === undefined) s.request.resolve(s.receipts)
      else s.request.reject(failure)
    }
  }

  /**
   * Replaces the directory's published checkpoint with the latest; resolves with the error when
   * that fails. The commit's events are durable in the store then, but not acknowledged:
   * appending them again finds them there (same ids, same content), publishes, acknowledges.
   */
  async #publish(): Promise<unknown> {
    if (!this.#publishes) return undefined
    try {
      await writePublished(this.#dir as string, this.#checkpoint as string)
      this.#unpublished = false
      return undefined
    } catch (err) {
      this.#unpublished = true
      return err
    }
  }

  async #writeCommit(commit: Commit): Promise<void> {
    try {
      await this.#store.writeCommit(commit)
    } finally {
      // After the write, not before: a lookup made while it was under way may predate it.
      this.#generation++
    }
  }

  /** `LEDGER_NO_SIGNER`: this ledger was opened without its signer key. */
  #unsigned(): LedgerError {
    if (this.#badSigner !== undefined) {
      return new LedgerError('STORE_CORRUPT', `the ledger can be read but not signed for: its signer.key is damaged (${this.#badSigner})`, { file: 'signer.key' })
    }
    const why = this.#noSigner === 'ENOENT' ? 'there is no signer.key' : `its signer.key cannot be read (${this.#noSigner ?? 'unknown'})`
    return new LedgerError('LEDGER_NO_SIGNER', `the ledger can be read but not signed for: ${why}`, { errno: this.#noSigner })
  }

  /**
   * The latest signed checkpoint (C2SP signed note text), with any cosignatures stored for it.
   * Throws `LEDGER_NO_SIGNER` for an empty ledger opened without its signer key.
   */
  checkpoint(): string {
    if (this.#checkpoint === undefined) throw this.#unsigned()
    return this.#checkpoint
  }

  /**
   * Stores `note`, a witness-cosigned version of a checkpoint this ledger signed (same body, its
   * own signature kept, only cosignature lines added: {@link checkCosignedVersion}), in place of
   * the stored one at that size; {@link checkpoint} returns it when it is the latest. Throws
   * `CHECKPOINT_MISMATCH` (no checkpoint stored at that size, or not a cosigned version of it),
   * `NOTE_*` / `CHECKPOINT_*` for a bad note, `LEDGER_CLOSED`.
   * @example await ledger.addCosignatures(cosignCheckpoint(ledger.checkpoint(), cosigner, now))
   */
  async addCosignatures(note: string): Promise<void> {
    if (this.#closed) throw new LedgerError('LEDGER_CLOSED', 'ledger is closed')
    const log = verifierFromKey(this.vkey)
    const size = openCheckpoint(note, log).checkpoint.size
    const stored = await this.#store.readCheckpoint(size)
    if (!stored) throw new LedgerError('CHECKPOINT_MISMATCH', `no checkpoint is stored at size ${size}`, { size })
    checkCosignedVersion(stored.text, note, log)
    await this.#store.writeCheckpoint({ size, text: note })
    // A commit may have signed a newer checkpoint meanwhile; that one stays the latest.
    if (size === this.#head.size) {
      this.#checkpoint = note
      if (this.#publishes) await writePublished(this.#dir as string, note)
    }
  }

  /** The read side at the committed head: entries, proofs and roots, with the tile cache. */
  get reader(): LogReader {
    return this.#reader
  }

  /** Inclusion proof of entry `index` in the tree of size `size` (default: current): {@link LogReader.proveInclusion}. */
  proveInclusion(index: number, size?: number): Promise<InclusionProof> {
    return this.#reader.proveInclusion(index, size)
  }

  /** Consistency proof from size `size1` to `size2` (default: current): {@link LogReader.proveConsistency}. */
  proveConsistency(size1: number, size2?: number): Promise<ConsistencyProof> {
    return this.#reader.proveConsistency(size1, size2)
  }

  /** Root of the first `size` entries, from stored tiles through the tile cache. */
  rootAt(size: number): Promise<Uint8Array> {
    return this.#reader.rootAt(size)
  }

  /** The entry at `index`, decoded, with its bytes and leaf hash; undefined past the end. */
  get(index: number): Promise<CommittedEntry | undefined> {
    return this.#reader.get(index)
  }

  /** The entry of event `id`, or undefined. */
  async getById(id: string): Promise<CommittedEntry | undefined> {
    const index = await this.#store.readIdIndex(id)
    return index === undefined ? undefined : this.get(index)
  }

  /** Entries with `from <= index < to` (default: to the current size), in order. */
  entries(from = 0, to = this.#head.size): AsyncIterable<CommittedEntry> {
    return this.#reader.entries(from, to)
  }

  /**
   * Every entry from `from` (default: the current size) on, waiting for new commits; ends when
   * the ledger closes.
   * @example for await (const { entry } of ledger.subscribe()) console.log(entry.event.id)
   */
  async *subscribe(from = this.#head.size): AsyncIterable<CommittedEntry> {
    let next = from
    while (!this.#signal.closed) {
      if (next < this.#head.size) {
        const to = this.#head.size
        for await (const e of this.entries(next, to)) yield e
        next = to
        continue
      }
      await this.#signal.next()
    }
  }

  /** Resolves at the next commit (the head has moved when it does), or when the ledger closes. */
  nextCommit(): Promise<void> {
    return this.#signal.next()
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** Waits for queued appends, then closes the store. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    while (this.#writing) await this.#writing
    this.#signal.close()
    await this.#store.close()
  }
}

/**
 * The store of `target`: format 2's log and index (a reader's log alone, lock-free, with
 * `readOnly`), or format 1's LevelDB store. `LEDGER_NOT_FOUND` for a directory of neither.
 */
function storeOf(target: LedgerTarget, format: 1 | 2 | undefined, storeOptions: { mustExist: boolean; sync?: boolean; readOnly?: boolean }, options: LedgerOptions): Store {
  if (typeof target !== 'string') return isLedgerStores(target) ? new TiledStore(target, options.indexer || undefined) : target
  if (format === 2) return options.readOnly ? tiledReaderOf(target) : tiledStoreOf(target, options.indexer || undefined, storeOptions)
  if (format === 1) return levelStoreOf(target, storeOptions)
  throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${target} (neither log/ nor db/)`)
}

/**
 * `signer` when it signs for the ledger of `meta`: a probe checkpoint it signs must verify with
 * the ledger's key (it may hold its private key anywhere). `KEY_MALFORMED` otherwise.
 */
function checkSigner(signer: NoteSigner, meta: { origin: string; vkey: string }): NoteSigner {
  const probe = signCheckpoint({ origin: meta.origin, size: 0, root: EMPTY_HEAD.root, extensions: [] }, signer)
  try {
    openCheckpoint(probe, verifierFromKey(meta.vkey))
  } catch (cause) {
    throw new LedgerError('KEY_MALFORMED', `the signer ${signer.name} does not sign for the ledger's key`, {}, { cause })
  }
  return signer
}

/**
 * The signer of key text `skey` for the ledger of verifier key `vkey`. A key given by the caller
 * that is malformed or another ledger's is refused (`KEY_MALFORMED`); one read from the ledger's
 * own `signer.key` (`fromDir`) is damage to that file: the ledger opens for reading, and appends
 * fail with `STORE_CORRUPT` naming it, as readers need no signer.
 */
function signerOf(skey: string, vkey: string, fromDir: boolean): NoteSigner | { errno: string; damage: string } {
  try {
    const signer = signerFromKey(skey)
    if (vkeyOfSignerKey(skey) !== vkey) throw new LedgerError('KEY_MALFORMED', 'the signer key does not match the ledger')
    return signer
  } catch (err) {
    if (!fromDir || !isLedgerError(err)) throw err
    return { errno: 'EINVAL', damage: err.message }
  }
}
