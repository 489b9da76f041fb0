/**
 * A lock-free reader of a file log (FORMAT.md, "Format 2"): it reads `checkpoint` first and then
 * only the files that checkpoint names. Every file but `checkpoint` is written once, whole, under
 * its final name, and `checkpoint` is replaced atomically, so a reader never sees a torn file and
 * may run while a writer in another process appends.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkpointSize, LedgerError, readLogFile, type LedgerMeta, type ReadableLogStore, type StoredCheckpoint } from '@liuhen/core'
import { errnoOf, readError } from './internal/failure.js'

/** The folder of the store's own files under the log's root: meta record, lock, temporary files. */
export const STATE_DIR = '.state'

/**
 * Reads the log in folder `location` (a ledger's `log/`); needs no lock and no signer.
 * @example const reader = new FileLogReader('district-ledger/log'); await reader.readCheckpoint()
 */
export class FileLogReader implements ReadableLogStore {
  readonly location: string
  /** The checkpoint reads are served against: the one last read (or, on a writer, published). */
  protected published: StoredCheckpoint | undefined
  #closed = false

  constructor(location: string) {
    this.location = location
  }

  /** Throws `STORE_NOT_OPEN` when reads are not allowed now. */
  protected check(): void {
    if (this.#closed) throw new LedgerError('STORE_NOT_OPEN', 'the log reader is closed')
  }

  /** The bytes of the log's file at `path` (slash-separated, under the root); undefined when absent. */
  protected async readPath(path: string): Promise<Uint8Array | undefined> {
    const file = join(this.location, ...path.split('/'))
    try {
      const bytes = await readFile(file)
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return undefined
      throw readError(err, file)
    }
  }

  /** The meta record (`.state/meta.json`); `STORE_CORRUPT` when it is no record. */
  async readMeta(): Promise<LedgerMeta | undefined> {
    this.check()
    const bytes = await this.readPath(`${STATE_DIR}/meta.json`)
    if (!bytes) return undefined
    try {
      const meta = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LedgerMeta>
      if (Number.isSafeInteger(meta.format) && typeof meta.origin === 'string' && typeof meta.vkey === 'string') return { format: meta.format as number, origin: meta.origin, vkey: meta.vkey }
    } catch {
      // Reported below, as any other malformed record.
    }
    throw new LedgerError('STORE_CORRUPT', `the log's meta record in ${join(this.location, STATE_DIR)} is malformed`)
  }

  /** The published checkpoint, read afresh; `STORE_CORRUPT` when the file is no checkpoint. */
  async readCheckpoint(): Promise<StoredCheckpoint | undefined> {
    this.check()
    const bytes = await this.readPath('checkpoint')
    if (!bytes) return undefined
    let text: string
    let size: number
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
      size = checkpointSize(text)
    } catch (cause) {
      throw new LedgerError('STORE_CORRUPT', `${join(this.location, 'checkpoint')} is not a checkpoint`, {}, { cause })
    }
    this.published = { size, text }
    return { size, text }
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
    const latest = async (): Promise<number | undefined> => (await this.#peekCheckpoint())?.size
    return readLogFile((path) => this.readPath(path), this.published?.size, level, index, width, latest)
  }

  /** The checkpoint published now, without moving the one reads are served against. */
  async #peekCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const held = this.published
    try {
      return await this.readCheckpoint()
    } finally {
      this.published = held
    }
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}
