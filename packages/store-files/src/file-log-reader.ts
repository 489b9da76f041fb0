/**
 * A lock-free reader of a file log (FORMAT.md, "Format 2"): it reads `checkpoint` first and then
 * only the files that checkpoint names. Every file but `checkpoint` is written once, whole, under
 * its final name, and `checkpoint` is replaced atomically, so a reader never sees a torn file and
 * may run while a writer in another process appends.
 */
import { close as closeCallback, constants, fstat as fstatCallback, open as openCallback, readFile as readFileCallback } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { checkpointSize, LedgerError, TiledLogReader, type LedgerMeta, type StoredCheckpoint } from '@liuhen/core'
import { errnoOf, readError } from './internal/failure.js'

/**
 * Node 20's `fs.promises.readFile` reads in chunks with a round trip to the thread pool each and
 * costs about twice the callback form's wall time on a 117 KB entry bundle (200 against 100 µs,
 * benchmarks/RESULTS.md): entry reads for proofs and audits go through the callback forms.
 */
const readFile = promisify(readFileCallback)
const openFile = promisify(openCallback)
const fstat = promisify(fstatCallback)
const closeFile = promisify(closeCallback)

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
    let fd: number
    try {
      // Non-blocking: a FIFO in a file's place must not hang the reader.
      fd = await openFile(file, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return undefined
      throw readError(err, file)
    }
    try {
      // A FIFO, a device (a link to /dev/zero) or a folder is no file of the log: damage.
      if (!(await fstat(fd)).isFile()) throw new LedgerError('STORE_CORRUPT', `${file} is not a regular file: the log is damaged`, { path: file })
      const bytes = await readFile(fd)
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    } catch (err) {
      if (err instanceof LedgerError) throw err
      throw readError(err, file)
    } finally {
      await closeFile(fd)
    }
  }

  /**
   * The meta record (`.state/meta.json`); `STORE_CORRUPT` when it is no record, or is missing
   * from a log that has a checkpoint (a log is created meta record first).
   */
  async readMeta(): Promise<LedgerMeta | undefined> {
    this.check()
    const bytes = await this.readPath(`${STATE_DIR}/meta.json`)
    if (!bytes) {
      if (!(await this.readPath('checkpoint'))) return undefined
      throw new LedgerError('STORE_CORRUPT', `the log's meta record ${join(this.location, STATE_DIR, 'meta.json')} is missing: the log is damaged`)
    }
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
