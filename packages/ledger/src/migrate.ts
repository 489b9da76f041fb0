/**
 * `migrate`: converts a format-1 ledger directory (a LevelDB store) to format 2 (a tlog-tiles
 * log in `log/`), and proves the result before it replaces anything. FORMAT.md ("Migrating
 * format 1") documents the steps and what a kill at each leaves.
 *
 * 1. The format-1 store is opened, which takes LevelDB's lock: the ledger must not be in use.
 * 2. Its entries are replayed into a new log built in `<dir>/.migrating-log-<pid>`, every hash,
 *    tile, head and signed checkpoint of the store checked on the way (internal/migrate-convert.ts).
 * 3. The new log is read back from its files and compared with the store: every entry, every
 *    tile, the root (internal/migrate-check.ts). Any difference removes it, and fails.
 * 4. Format 1's `db/` and `checkpoint` move into `<dir>/format1/`, and the new log is renamed to
 *    `<dir>/log` (internal/migrate-swap.ts). The indexes (`index/`) are not written here: the
 *    engine builds them from the log when it opens the ledger to write.
 */
import { existsSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { bytesEqual, LedgerError, toHex, verifierFromKey, type LedgerMeta } from '@liuhen/core'
import { FileLogReader, FileLogStore } from '@liuhen/store-files'
import { LevelStore } from '@liuhen/store-level'
import { FORMAT1, readPublishedCheckpoint, readSigner } from './internal/format1-files.js'
import { checkConvertedLog } from './internal/migrate-check.js'
import { convertStore, type Converted } from './internal/migrate-convert.js'
import { ASIDE_PREFIX, LOG_DIR, removeLeftovers, swapIn, undoSwap } from './internal/migrate-swap.js'

/** Options of {@link migrateLedger}. */
export interface MigrateOptions {
  /**
   * A commit of the new log ends at the first checkpoint of the old store it reaches once it
   * holds this many entries (default 4096); the store's other checkpoints are skipped.
   */
  minCommit?: number
  /**
   * Most entries a commit holds (default 16384): where the store's checkpoints are farther apart,
   * one is signed with the ledger's key at that size (only the log built aside ever holds it).
   */
  maxCommit?: number
  /** Called as entries are converted, then as they are checked. */
  onProgress?(phase: 'convert' | 'check', done: number, total: number): void
}

/** A tree's size and root (hex). */
export interface SizeRoot {
  size: number
  root: string
}

/** What {@link migrateLedger} did. */
export interface MigrateResult {
  /** The format-1 store's head. */
  format1: SizeRoot
  /** The new log, as recomputed from its files: the same size and root. */
  log: SizeRoot
  /** The new log's published checkpoint: the store's latest, cosignatures included. */
  checkpoint: string
  /** The folder format 1's `db/` and `checkpoint` were moved to; remove it once satisfied. */
  kept: string
}

const DEFAULT_MIN_COMMIT = 4096
const DEFAULT_MAX_COMMIT = 16384

/** `LEDGER_NOT_FOUND` / `STORE_CORRUPT` / `STORE_EXISTS` before anything is opened. */
function checkDir(dir: string): void {
  let isDir: boolean
  try {
    isDir = statSync(dir).isDirectory()
  } catch (err) {
    throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {}, { cause: err })
  }
  if (!isDir) throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir}: it is a file, not a ledger directory`)
  if (existsSync(join(dir, LOG_DIR))) throw new LedgerError('STORE_EXISTS', `the ledger at ${dir} is already in format 2 (it has ${join(dir, LOG_DIR)})`)
}

function checkCommitSizes(min: number, max: number): void {
  if (!Number.isSafeInteger(min) || min < 1) throw new RangeError('minCommit must be a positive integer')
  if (!Number.isSafeInteger(max) || max < min) throw new RangeError('maxCommit must be an integer of at least minCommit')
}

/** Removes the log built aside; a failure to is not the error to report. */
async function removeAside(aside: string): Promise<void> {
  await rm(aside, { recursive: true, force: true }).catch(() => undefined)
}

/**
 * Throws `STORE_LOCKED` when the store, moved to `moved` after it was converted and closed, no
 * longer holds the head and latest checkpoint converted: a writer opened it in between.
 */
async function confirmUnchanged(moved: string, converted: Converted, dir: string): Promise<void> {
  const store = new LevelStore(moved, { mustExist: true })
  await store.open()
  try {
    const head = await store.readHead()
    const latest = await store.readLatestCheckpoint()
    if ((head?.size ?? 0) !== converted.size || !bytesEqual(head?.root ?? converted.root, converted.root) || (latest !== undefined && latest.text !== converted.checkpoint)) {
      throw new LedgerError('STORE_LOCKED', `the ledger at ${dir} was written to while it was converted: stop its writers and run migrate again`)
    }
  } finally {
    await store.close()
  }
}

/**
 * Converts the format-1 ledger in `dir` to format 2 and proves it: the new `log/` holds every
 * entry byte for byte, its tiles and root are recomputed from them, and its checkpoint is the
 * store's latest (cosignatures included). Format 1's `db/` and `checkpoint` are kept in
 * `<dir>/format1/`. Runs again after a kill (FORMAT.md, "Migrating format 1").
 *
 * Throws, leaving the format-1 ledger as it was: `LEDGER_NOT_FOUND` (no ledger), `STORE_EXISTS`
 * (already format 2), `STORE_LOCKED` (the ledger is in use), `STORE_FORMAT_UNSUPPORTED`,
 * `LEDGER_NO_SIGNER` (no readable `signer.key`: the new log's size-0 checkpoint needs it),
 * `STORE_CORRUPT` (a damaged store, or a converted log that differs from it, naming the first
 * bad entry in `details.index` where one is known), `STORE_BEHIND_CHECKPOINT`, `STORE_FORKED`,
 * `INPUT_TOO_LARGE` (an entry over 65,535 bytes), and the environment's `STORE_NO_SPACE`,
 * `STORE_READ_ONLY`, `STORE_WRITE_FAILED`.
 * @example const { log, kept } = await migrateLedger('district-ledger')
 */
export async function migrateLedger(dir: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const minCommit = options.minCommit ?? DEFAULT_MIN_COMMIT
  const maxCommit = options.maxCommit ?? Math.max(DEFAULT_MAX_COMMIT, minCommit)
  checkCommitSizes(minCommit, maxCommit)
  checkDir(dir)
  await undoSwap(dir)
  if (!existsSync(join(dir, FORMAT1.store))) {
    if (existsSync(join(dir, FORMAT1.signer)) || existsSync(join(dir, FORMAT1.published))) {
      throw new LedgerError('STORE_CORRUPT', `the ledger at ${dir} is damaged: its store (${join(dir, FORMAT1.store)}) is missing`)
    }
    throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir}`)
  }
  const store = new LevelStore(join(dir, FORMAT1.store), { mustExist: true })
  await store.open()
  let converted: Converted
  let checked: { size: number; root: Uint8Array }
  let meta: LedgerMeta
  const aside = join(dir, `${ASIDE_PREFIX}${process.pid}`)
  try {
    const read = await store.readMeta()
    if (!read) throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir} (the store holds no meta record)`)
    if (read.format !== 1) throw new LedgerError('STORE_FORMAT_UNSUPPORTED', `the store at ${store.location} is format ${read.format}; migrate converts format 1`)
    meta = read
    const signer = readSigner(dir, meta.vkey)
    const verifier = verifierFromKey(meta.vkey)
    const published = readPublishedCheckpoint(dir, meta.vkey)
    // This process holds the store's lock: what earlier runs left is no one else's.
    removeLeftovers(dir)
    try {
      const log = new FileLogStore(aside)
      await log.open()
      try {
        const onProgress = options.onProgress && ((done: number, total: number) => options.onProgress?.('convert', done, total))
        converted = await convertStore({ store, log, meta, signer, verifier, published, minCommit, maxCommit, ...(onProgress ? { onProgress } : {}) })
      } finally {
        await log.close()
      }
      // Read back through a reader of the files alone, as anyone reading the log would.
      const reader = new FileLogReader(aside)
      try {
        const onProgress = options.onProgress && ((done: number, total: number) => options.onProgress?.('check', done, total))
        checked = await checkConvertedLog(store, reader, verifier, { ...converted, origin: meta.origin, vkey: meta.vkey }, onProgress)
      } finally {
        await reader.close()
      }
    } catch (err) {
      await removeAside(aside)
      throw err
    }
  } finally {
    await store.close()
  }
  const kept = await swapIn(dir, aside, (moved) => confirmUnchanged(moved, converted, dir)).catch(async (err: unknown) => {
    await removeAside(aside)
    throw err
  })
  return {
    format1: { size: converted.size, root: toHex(converted.root) },
    log: { size: checked.size, root: toHex(checked.root) },
    checkpoint: converted.checkpoint,
    kept,
  }
}
