/**
 * A lock-free reader of a file log (FORMAT.md, "Format 2"): it reads `checkpoint` first and then
 * only the files that checkpoint names. Every file but `checkpoint` is written once, whole, under
 * its final name, and `checkpoint` is replaced atomically, so a reader never sees a torn file and
 * may run while a writer in another process appends.
 */
import { readFile as readFileCallback } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { checkpointSize, LedgerError, TiledLogReader, type LedgerMeta, type StoredCheckpoint } from '@liuhen/core'
import { errnoOf, readError } from './internal/failure.js'

/**
 * Node 20's `fs.promises.readFile` reads in chunks with a round trip to the thread pool each and
 * costs about twice the callback form's wall time on a 117 KB entry bundle (200 against 100 µs,
 * benchmarks/RESULTS.md): entry reads for proofs and audits go through the callback form.
 */
const readFile = promisify(readFileCallback)

/** The folder of the store's own files under the log's root: meta record, lock, temporary files. */
export const STATE_DIR = '.state'

/**
 * Reads the log in folder `location` (a ledger's `log/`); needs no lock and no signer.
 * @example const reader = new FileLogReader('district-ledger/log'); await reader.readCheckpoint()
 */
export class FileLogReader extends TiledLogReader {
  readonly location: string

  constructor(location: string) {
    super()
    this.location = location
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

  /** The size published now, read afresh without moving the checkpoint reads are served against. */
  protected async latestSize(): Promise<number | undefined> {
    const held = this.published
    try {
      return (await this.readCheckpoint())?.size
    } finally {
      this.published = held
    }
  }
}
