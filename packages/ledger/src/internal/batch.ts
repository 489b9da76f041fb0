/**
 * Builds one commit from a group of append requests: idempotency, reference resolution, entry
 * encoding, leaf hashing and tree staging. The ids a group names (its events' and their refs')
 * are read from the store in one round trip first, so staging an event touches no I/O. A
 * request whose ids conflict is refused alone; the others of its group still commit.
 */
import {
  bytesEqual,
  decodeEntry,
  encodeCanonical,
  encodeEntryWithEvent,
  hashLeaf,
  LedgerError,
  showText,
  type Encodable,
  type Entry,
  type EntryRef,
  type Event,
  type Posting,
  type Store,
  type StoredEntry,
} from '@liuhen/core'
import { idNote } from '../envelope.js'
import { namedIds, type PreparedEvents } from '../submit.js'
import type { TreeState } from './tree.js'

/** What the ledger acknowledges for each appended event. */
export interface Receipt {
  id: string
  index: number
  /** Leaf hash of the entry, lowercase hex. */
  leafHash: string
  /** Ledger time of the entry, ms since the epoch. */
  time: number
}

/** One `append`/`appendBatch` call waiting for a commit. */
export interface PendingRequest extends PreparedEvents {
  resolve: (receipts: Receipt[]) => void
  reject: (err: unknown) => void
}

/** A request with its receipts, once its entries are staged. */
export interface StagedRequest {
  request: PendingRequest
  receipts: Receipt[]
}

/** An id already in the log, or staged in this commit. */
interface Known {
  index: number
  hash: Uint8Array
  /** The event's canonical bytes and ledger time when staged in this commit (else read from the store). */
  staged?: { content: Uint8Array; time: number }
}

type StoredId = { index: number; hash?: Uint8Array } | undefined

/** The content of a commit being assembled. */
export class CommitBuilder {
  readonly entries: StoredEntry[] = []
  readonly ids: { id: string; index: number; hash: Uint8Array }[] = []
  readonly postings: Posting[] = []
  readonly staged: StagedRequest[] = []
  readonly #known = new Map<string, Known>()
  #stored = new Map<string, StoredId>()

  constructor(
    private readonly store: Store,
    private readonly tree: TreeState,
    private readonly time: number,
    private readonly indexer: ((entry: Entry) => { name: string; key: string }[]) | undefined,
  ) {}

  /**
   * Gathers the store's record of every id the group names (events and references): from the
   * lookups started at submission when no store write came since (`generation`), the rest in
   * one store round trip.
   */
  async prefetch(group: readonly PendingRequest[], generation: number): Promise<void> {
    const stored = new Map<string, StoredId>()
    const stale: PendingRequest[] = []
    for (const request of group) {
      const lookup = request.lookup
      if (lookup?.generation !== generation) {
        stale.push(request)
        continue
      }
      const records = await lookup.records
      lookup.ids.forEach((id, i) => stored.set(id, records[i]))
    }
    const missing = namedIds(
      stale.flatMap((r) => r.events),
      stale.flatMap((r) => r.refs),
    ).filter((id) => !stored.has(id))
    const records = await this.store.readIdRecords(missing)
    missing.forEach((id, i) => stored.set(id, records[i]))
    this.#stored = stored
  }

  /** Stages `request`, or rejects it alone when one of its ids is taken with other content. */
  async add(request: PendingRequest): Promise<void> {
    // Pass 1 finds conflicts before anything is staged, so a refused request leaves no trace.
    const firstInRequest = new Map<string, Uint8Array>()
    const repeats = new Map<number, Receipt | undefined>()
    for (const [position, event] of request.events.entries()) {
      const content = request.encoded[position] as Uint8Array
      const earlier = firstInRequest.get(event.id)
      const known = earlier ? undefined : this.#knownId(event.id)
      const logged = known && (known.staged ?? (await this.#load(event.id, known.index)))
      const previous = earlier ?? logged?.content
      if (!previous) {
        firstInRequest.set(event.id, content)
        continue
      }
      if (!bytesEqual(previous, content)) {
        request.reject(new LedgerError('INPUT_ID_CONFLICT', `event ${position}${idNote(event.id)}: id already used for other content`, { position, path: 'id', id: event.id }))
        return
      }
      repeats.set(position, known && logged && receiptOf(event.id, known.index, known.hash, logged.time))
    }
    const receipts = request.events.map((event, position) => {
      if (!repeats.has(position)) return this.#stage(event, request.encoded[position] as Uint8Array, request.refs[position] ?? [])
      // A repeat inside the same request gets the receipt of the copy staged before it.
      const staged = this.#known.get(event.id) as Known
      return repeats.get(position) ?? receiptOf(event.id, staged.index, staged.hash, this.time)
    })
    this.staged.push({ request, receipts })
  }

  #knownId(id: string): Known | undefined {
    const known = this.#known.get(id)
    if (known) return known
    const stored = this.#stored.get(id)
    if (!stored) return undefined
    if (!stored.hash) throw new LedgerError('STORE_CORRUPT', `id record of ${id} lacks its leaf hash`, { id })
    return { index: stored.index, hash: stored.hash }
  }

  /** The canonical bytes and ledger time of the logged event `id`: read only when an id comes again. */
  async #load(id: string, index: number): Promise<{ content: Uint8Array; time: number }> {
    const bytes = await this.store.readEntry(index)
    if (!bytes) throw new LedgerError('STORE_CORRUPT', `id ${showText(id)} points at missing entry ${index}`, { id, index })
    const { event, time } = decodeEntry(bytes)
    return { content: encodeCanonical(event as unknown as Encodable), time }
  }

  #resolve(ref: { name: string; id: string }): EntryRef {
    const known = this.#known.get(ref.id) ?? this.#stored.get(ref.id)
    return known?.hash ? { ...ref, index: known.index, hash: known.hash } : ref
  }

  #stage(event: Event, content: Uint8Array, named: readonly { name: string; id: string }[]): Receipt {
    const refs = named.map((ref) => this.#resolve(ref))
    const entry: Entry = { v: 1, index: this.tree.size, time: this.time, event, refs }
    const bytes = encodeEntryWithEvent(entry, content)
    const leafHash = hashLeaf(bytes)
    this.tree.append(leafHash)
    this.entries.push({ index: entry.index, bytes })
    this.ids.push({ id: event.id, index: entry.index, hash: leafHash })
    const time = this.time
    this.#known.set(event.id, { index: entry.index, hash: leafHash, staged: { content, time } })
    const postings = this.indexer?.(entry)
    if (postings) for (const p of postings) this.postings.push({ name: p.name, key: p.key, entry: entry.index })
    return receiptOf(event.id, entry.index, leafHash, time)
  }
}

function receiptOf(id: string, index: number, hash: Uint8Array, time: number): Receipt {
  return { id, index, leafHash: Buffer.from(hash).toString('hex'), time }
}
