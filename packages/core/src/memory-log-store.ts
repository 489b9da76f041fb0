/**
 * A log store in memory, holding the same files at the same paths as the file store: for tests,
 * and as the reference every log backend's conformance suite is held to. Several readers and
 * writers may share one {@link MemoryLog}; as with files, only one writer may hold it at a time.
 */
import { LedgerError } from './error.js'
import { checkCheckpointText, planLogCommit, TiledLogReader, type LogTip } from './log-files.js'
import type { LogCommit, LogStore } from './log-store.js'
import type { LedgerMeta, StoredCheckpoint } from './store.js'

/** The shared contents of an in-memory log: its files, meta record and published checkpoint. */
export class MemoryLog {
  readonly files = new Map<string, Uint8Array>()
  meta: LedgerMeta | undefined
  checkpoint: StoredCheckpoint | undefined
  /** The writer holding the log, if any. */
  writer: object | undefined
}

/** A lock-free reader of a {@link MemoryLog}. */
export class MemoryLogReader extends TiledLogReader {
  protected readonly log: MemoryLog

  constructor(log: MemoryLog) {
    super()
    this.log = log
  }

  async readMeta(): Promise<LedgerMeta | undefined> {
    this.check()
    return this.log.meta && { ...this.log.meta }
  }

  async readCheckpoint(): Promise<StoredCheckpoint | undefined> {
    this.check()
    this.published = this.log.checkpoint
    return this.published && { ...this.published }
  }

  // A copy: a caller's changes must not reach the shared log.
  protected async readPath(path: string): Promise<Uint8Array | undefined> {
    return this.log.files.get(path)?.slice()
  }

  protected async latestSize(): Promise<number | undefined> {
    return this.log.checkpoint?.size
  }
}

/** The writer of a {@link MemoryLog}: commits are atomic, not durable. */
export class MemoryLogStore extends MemoryLogReader implements LogStore {
  #tip: LogTip | undefined
  #open = false

  constructor(log: MemoryLog = new MemoryLog()) {
    super(log)
  }

  protected override check(): void {
    if (!this.#open) throw new LedgerError('STORE_NOT_OPEN', 'log store is not open')
  }

  async open(): Promise<void> {
    if (this.#open) throw new LedgerError('STORE_OPEN_FAILED', 'log store is already open')
    if (this.log.writer) throw new LedgerError('STORE_LOCKED', 'another writer holds this log')
    this.log.writer = this
    this.#open = true
    const published = await this.readCheckpoint()
    if (!published) return
    this.#tip = await this.readTip(published.size)
  }

  override async close(): Promise<void> {
    if (!this.#open) return
    this.#open = false
    if (this.log.writer === this) this.log.writer = undefined
  }

  async create(meta: LedgerMeta, checkpoint: StoredCheckpoint): Promise<void> {
    this.check()
    if (this.log.checkpoint) throw new LedgerError('STORE_EXISTS', 'the log already has a checkpoint')
    if (checkpoint.size !== 0) throw new RangeError('a new log starts with a checkpoint of size 0')
    checkCheckpointText(checkpoint)
    this.log.meta = { ...meta }
    this.#publish(checkpoint)
    this.#tip = { size: 0, bundle: new Uint8Array(0) }
  }

  async writeCommit(commit: LogCommit): Promise<void> {
    this.check()
    if (!this.#tip) throw new LedgerError('LEDGER_NOT_FOUND', 'the log has no checkpoint yet: create it first')
    const plan = planLogCommit(this.#tip, commit)
    checkCheckpointText(commit.checkpoint)
    for (const f of plan.files) this.log.files.set(f.path, f.bytes.slice())
    this.#publish(commit.checkpoint)
    this.#tip = plan.tip
    // Partials of what the commit completed are no longer needed: the full one answers for them.
    for (const full of plan.completed) for (const path of [...this.log.files.keys()]) if (path.startsWith(`${full}.p/`)) this.log.files.delete(path)
  }

  async writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    this.check()
    const size = this.log.checkpoint?.size
    if (checkpoint.size !== size) throw new RangeError(`the published checkpoint has size ${size}, not ${checkpoint.size}`)
    checkCheckpointText(checkpoint)
    this.#publish(checkpoint)
  }

  #publish(checkpoint: StoredCheckpoint): void {
    this.log.checkpoint = { size: checkpoint.size, text: checkpoint.text }
    this.published = this.log.checkpoint
  }
}
