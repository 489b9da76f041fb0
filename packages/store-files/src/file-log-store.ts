/**
 * The writer of a file log: C2SP tlog-tiles files under one folder (FORMAT.md, "Format 2"). A
 * commit writes each new entry bundle and tile, and its checkpoint, to temporary files and syncs
 * them (together), renames the bundles and tiles into place and syncs their folders; only then
 * is the checkpoint's file renamed over `checkpoint` and the root synced: the commit point. A crash at any moment leaves the previous checkpoint or
 * the new one, each naming only complete files. One writer at a time (internal/lock.ts).
 */
import { mkdir, readdir, rename, rm, unlink } from 'node:fs/promises'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { checkCheckpointText, LedgerError, planLogCommit, type LedgerMeta, type LogCommit, type LogFile, type LogStore, type LogTip, type StoredCheckpoint } from '@liuhen/core'
import { FileLogReader, STATE_DIR } from './file-log-reader.js'
import { replaceFile, syncDir, tempName, writeSynced } from './internal/durable.js'
import { writeError } from './internal/failure.js'
import { WriterLock } from './internal/lock.js'

/** Options of {@link FileLogStore}. */
export interface FileLogStoreOptions {
  /** Fail with `STORE_NOT_FOUND` when the log's folder does not exist, instead of making it. */
  mustExist?: boolean
}

/**
 * Appends to the log in folder `location`; `open` takes the writer lock.
 * @example const log = new FileLogStore('district-ledger/log'); await log.open(); await log.create(meta, signedSizeZero)
 */
export class FileLogStore extends FileLogReader implements LogStore {
  readonly #mustExist: boolean
  #lock: WriterLock | undefined
  #tip: LogTip | undefined
  /** Set when a checkpoint's publication ended in an unknown state: writes wait for a new open. */
  #failed: LedgerError | undefined
  /** Folders known to exist, so a commit makes each at most once. */
  readonly #dirs = new Set<string>()

  /** With `mustExist`, `open` fails with `STORE_NOT_FOUND` instead of making a missing folder. */
  constructor(location: string, options: FileLogStoreOptions = {}) {
    super(location)
    this.#mustExist = options.mustExist ?? false
  }

  get #tmp(): string {
    return join(this.location, STATE_DIR, 'tmp')
  }

  protected override check(): void {
    if (!this.#lock) throw new LedgerError('STORE_NOT_OPEN', 'log store is not open')
  }

  /** {@link check}, and refuses writes after a publication of unknown outcome. */
  #checkWrite(): void {
    this.check()
    if (this.#failed) throw this.#failed
  }

  /**
   * Takes the writer lock (`STORE_LOCKED` naming the holder), removes temporary files a killed
   * writer left, and reads the published checkpoint and its open entry bundle.
   */
  async open(): Promise<void> {
    if (this.#lock) throw new LedgerError('STORE_OPEN_FAILED', `the log at ${this.location} is already open`)
    if (this.#mustExist && !existsSync(this.location)) throw new LedgerError('STORE_NOT_FOUND', `no log at ${this.location}`)
    try {
      mkdirSync(this.#tmp, { recursive: true })
    } catch (err) {
      throw writeError(err, `cannot make ${this.#tmp}`)
    }
    try {
      this.#lock = WriterLock.acquire(join(this.location, STATE_DIR, 'lock'), this.#tmp)
    } catch (err) {
      // A full disk or read-only media is met first here, writing the lock's record: name it.
      throw writeError(err, `cannot take the writer lock of the log at ${this.location}`)
    }
    try {
      for (const name of await readdir(this.#tmp)) await rm(join(this.#tmp, name), { force: true, recursive: true })
      const published = await this.readCheckpoint()
      if (published) this.#tip = await this.readTip(published.size)
    } catch (err) {
      this.#lock.release()
      this.#lock = undefined
      throw err
    }
  }

  /** Releases the writer lock. */
  override async close(): Promise<void> {
    this.#lock?.release()
    this.#lock = undefined
    this.#tip = undefined
    this.#failed = undefined
  }

  async create(meta: LedgerMeta, checkpoint: StoredCheckpoint): Promise<void> {
    this.#checkWrite()
    if (this.#tip || (await this.readCheckpoint())) throw new LedgerError('STORE_EXISTS', `a log already exists at ${this.location}`)
    if (checkpoint.size !== 0) throw new RangeError('a new log starts with a checkpoint of size 0')
    checkCheckpointText(checkpoint)
    const record = JSON.stringify({ format: meta.format, origin: meta.origin, vkey: meta.vkey })
    try {
      await replaceFile(join(this.location, STATE_DIR, 'meta.json'), tempName(this.#tmp), `${record}\n`)
      // The log's own folder, which open() may have made, and `.state` in it.
      await syncDir(this.location)
      await syncDir(dirname(this.location))
    } catch (err) {
      throw writeError(err, 'cannot write the meta record')
    }
    await this.#publish(checkpoint)
    this.#tip = { size: 0, bundle: new Uint8Array(0) }
  }

  async writeCommit(commit: LogCommit): Promise<void> {
    this.#checkWrite()
    if (!this.#tip) throw new LedgerError('LEDGER_NOT_FOUND', `there is no log at ${this.location}: create it first`)
    const plan = planLogCommit(this.#tip, commit)
    checkCheckpointText(commit.checkpoint)
    // The checkpoint's temporary file is written and synced alongside the files it names (one
    // round of syncs, not two); only its rename, in #publish, waits for them.
    const staged = this.#stage(commit.checkpoint.text)
    try {
      await this.#writeFiles(plan.files)
    } catch (err) {
      await staged.then((temp) => unlink(temp)).catch(() => undefined)
      throw err
    }
    await this.#publish(commit.checkpoint, staged)
    this.#tip = plan.tip
    // The full files answer for their partials now (readLogFile); removing them is only tidying.
    await Promise.all(
      plan.completed.map((full) => {
        const partials = join(this.location, ...`${full}.p`.split('/'))
        this.#dirs.delete(partials)
        return rm(partials, { recursive: true, force: true }).catch(() => undefined)
      }),
    )
  }

  async writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    this.#checkWrite()
    const size = this.#tip?.size
    if (checkpoint.size !== size) throw new RangeError(`the published checkpoint has size ${size}, not ${checkpoint.size}`)
    checkCheckpointText(checkpoint)
    await this.#publish(checkpoint)
  }

  /**
   * Writes `files` durably: each to a synced temporary file, renamed into place (replacing what
   * a failed or killed commit may have left past the checkpoint), then every folder synced.
   */
  async #writeFiles(files: readonly LogFile[]): Promise<void> {
    const staged = files.map((f) => ({ path: join(this.location, ...f.path.split('/')), temp: tempName(this.#tmp), bytes: f.bytes }))
    try {
      await Promise.all(staged.map((f) => writeSynced(f.temp, f.bytes)))
      const changed = new Set<string>()
      for (const f of staged) {
        const dir = dirname(f.path)
        if (!this.#dirs.has(dir)) {
          await mkdir(dir, { recursive: true })
          // The folder and its parents up to the root, synced once a session: one may have been
          // made by a writer killed before it synced it, and lost with the power later.
          for (let d = dir; d.length > this.location.length; d = dirname(d)) changed.add(dirname(d))
          this.#dirs.add(dir)
        }
        await rename(f.temp, f.path)
        changed.add(dir)
      }
      await Promise.all([...changed].map(syncDir))
    } catch (err) {
      await Promise.all(staged.map((f) => unlink(f.temp).catch(() => undefined)))
      // A folder made here may have been lost with the failure: make sure of it next time.
      this.#dirs.clear()
      throw writeError(err, 'cannot write the commit')
    }
  }

  /**
   * Writes `text` to a new temporary file, synced; resolves with its path. A failed write
   * leaves no file behind. The promise is handled by whoever awaits it later, not left dangling.
   */
  #stage(text: string): Promise<string> {
    const temp = tempName(this.#tmp)
    const written = writeSynced(temp, text).then(
      () => temp,
      async (err: unknown) => {
        await unlink(temp).catch(() => undefined)
        throw err
      },
    )
    // Awaited later (after the commit's other files): mark it handled meanwhile.
    written.catch(() => undefined)
    return written
  }

  /**
   * Replaces `checkpoint`: the commit point. Refused when the lock is no longer this writer's.
   * When the rename is done but the folder's sync fails, the new checkpoint may be visible and
   * may not be durable: the store then refuses writes until it is opened again, which reads what
   * the disk holds.
   */
  async #publish(checkpoint: StoredCheckpoint, staged?: Promise<string>): Promise<void> {
    if (!this.#lock?.isHeld()) {
      await staged?.then((t) => unlink(t)).catch(() => undefined)
      throw new LedgerError('STORE_LOCKED', `the writer lock of ${this.location} was taken by another process`)
    }
    let temp: string | undefined
    let renamed = false
    try {
      temp = await (staged ?? this.#stage(checkpoint.text))
      await rename(temp, join(this.location, 'checkpoint'))
      renamed = true
      await syncDir(this.location)
    } catch (err) {
      if (!renamed && temp !== undefined) await unlink(temp).catch(() => undefined)
      const failure = writeError(err, 'cannot publish the checkpoint')
      if (renamed)
        this.#failed = new LedgerError(
          'STORE_WRITE_FAILED',
          `the log at ${this.location} must be opened again: a checkpoint may or may not be published (${failure.message})`,
          { ...failure.details },
          { cause: failure },
        )
      throw failure
    }
    this.published = { size: checkpoint.size, text: checkpoint.text }
  }
}
