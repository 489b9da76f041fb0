/**
 * Builds one commit from a group of append requests: idempotency, reference resolution, entry
 * encoding, leaf hashing and tree staging. A request whose ids conflict is refused alone; the
 * others of its group still commit.
 */
import { decodeEntry, encodeCanonical, encodeEntry, hashLeaf, LedgerError, listRefs, type Encodable, type Entry, type EntryRef, type Event, type Posting, type Store, type StoredEntry } from '@liuhen/core'
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
export interface PendingRequest {
  events: Event[]
  resolve: (receipts: Receipt[]) => void
  reject: (err: unknown) => void
}

/** A request with its receipts, once its entries are staged. */
export interface StagedRequest {
  request: PendingRequest
  receipts: Receipt[]
}

interface Known {
  index: number
  hash: Uint8Array
  time: number
  content: Uint8Array
}

/** The content of a commit being assembled. */
export class CommitBuilder {
  readonly entries: StoredEntry[] = []
  readonly ids: { id: string; index: number; hash: Uint8Array }[] = []
  readonly postings: Posting[] = []
  readonly staged: StagedRequest[] = []
  readonly decoded: { entry: Entry; bytes: Uint8Array; leafHash: Uint8Array }[] = []
  readonly #inGroup = new Map<string, Known>()

  constructor(
    private readonly store: Store,
    private readonly tree: TreeState,
    private readonly time: number,
    private readonly indexer: ((entry: Entry) => { name: string; key: string }[]) | undefined,
  ) {}

  /** Stages `request`, or rejects it alone when one of its ids is taken with other content. */
  async add(request: PendingRequest): Promise<void> {
    // Pass 1 finds conflicts before anything is staged, so a refused request leaves no trace.
    const plans: ({ kind: 'new'; event: Event; content: Uint8Array } | { kind: 'dup'; id: string; known: Known | undefined })[] = []
    const local = new Map<string, Uint8Array>()
    for (const [position, event] of request.events.entries()) {
      const content = encodeCanonical(event as unknown as Encodable)
      const seen = local.get(event.id)
      const known = seen ? undefined : (this.#inGroup.get(event.id) ?? (await this.#stored(event.id)))
      const previous = seen ?? known?.content
      if (previous) {
        if (!Buffer.from(previous).equals(content)) {
          request.reject(new LedgerError('INPUT_ID_CONFLICT', `event ${position} (id ${event.id}): id already used for other content`, { position, path: 'id', id: event.id }))
          return
        }
        plans.push({ kind: 'dup', id: event.id, known })
        continue
      }
      local.set(event.id, content)
      plans.push({ kind: 'new', event, content })
    }
    const receipts: Receipt[] = []
    for (const plan of plans) {
      if (plan.kind === 'dup') {
        // A repeat inside the same request gets the receipt of the copy staged before it.
        receipts.push(receiptOf(plan.id, plan.known ?? (this.#inGroup.get(plan.id) as Known)))
        continue
      }
      receipts.push(await this.#stage(plan.event, plan.content))
    }
    this.staged.push({ request, receipts })
  }

  async #stored(id: string): Promise<Known | undefined> {
    const record = await this.store.readIdRecord(id)
    if (!record) return undefined
    const bytes = await this.store.readEntry(record.index)
    if (!bytes) throw new LedgerError('STORE_CORRUPT', `id ${id} points at missing entry ${record.index}`)
    const entry = decodeEntry(bytes)
    return { index: record.index, hash: record.hash ?? hashLeaf(bytes), time: entry.time, content: encodeCanonical(entry.event as unknown as Encodable) }
  }

  async #resolve(ref: { name: string; id: string }): Promise<EntryRef> {
    const known = this.#inGroup.get(ref.id)
    if (known) return { ...ref, index: known.index, hash: known.hash }
    const record = await this.store.readIdRecord(ref.id)
    if (!record) return ref
    const hash = record.hash ?? hashLeaf((await this.store.readEntry(record.index)) as Uint8Array)
    return { ...ref, index: record.index, hash }
  }

  async #stage(event: Event, content: Uint8Array): Promise<Receipt> {
    const refs: EntryRef[] = []
    for (const ref of listRefs(event)) refs.push(await this.#resolve(ref))
    const entry: Entry = { v: 1, index: this.tree.size, time: this.time, event, refs }
    const bytes = encodeEntry(entry)
    const leafHash = hashLeaf(bytes)
    this.tree.append(leafHash)
    this.entries.push({ index: entry.index, bytes })
    this.ids.push({ id: event.id, index: entry.index, hash: leafHash })
    this.#inGroup.set(event.id, { index: entry.index, hash: leafHash, time: this.time, content })
    for (const p of this.indexer?.(entry) ?? []) this.postings.push({ ...p, entry: entry.index })
    this.decoded.push({ entry, bytes, leafHash })
    return receiptOf(event.id, { index: entry.index, hash: leafHash, time: this.time, content })
  }
}

function receiptOf(id: string, known: Known): Receipt {
  return { id, index: known.index, leafHash: Buffer.from(known.hash).toString('hex'), time: known.time }
}
