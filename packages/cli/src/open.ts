/**
 * Opening ledgers from the command line. A format-2 ledger's log is read with no lock, while
 * another process appends: commands that read only the log (verify, tail, export, prove,
 * checkpoint) never wait and never stop a writer. Its index, and a format-1 store, are LevelDB,
 * which one process holds at a time, so commands that need them (queries) and writers that meet
 * a lock retry for a few seconds before giving up with `STORE_LOCKED` (exit 3).
 *
 * A ledger this process may not write (read-only media, another user's copy, a full disk) is
 * read through a private copy of its LevelDB store, format 1's `db/` or format 2's `index/`
 * (`readOnly`, see @liuhen/store-level): LevelDB cannot open a database without writing to it.
 * Format 2's log needs no copy. Only commands that read do this; `append` fails with
 * `STORE_READ_ONLY` or `STORE_NO_SPACE`.
 */
import { existsSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { isLedgerError, LedgerError, MemoryIndexStore, openCheckpoint, TiledStore, verifierFromKey, type IndexStore, type Store } from '@liuhen/core'
import { indexPath, Ledger, ledgerFormatOf, LogReader, levelStoreOf, logPath, publishedPath, signerPath, storePath, tiledReaderOf, tiledStoreOf } from '@liuhen/ledger'
import { HttpLogReader } from '@liuhen/client'
import { FileLogReader } from '@liuhen/store-files'
import { LevelIndexStore } from '@liuhen/store-level'
import { CliError, EXIT } from './exit.js'
import { ledgerOptions, type LedgerPurpose } from './ledger-options.js'

/** How long a command waits for another process to release a ledger, in ms. */
export const LOCK_WAIT_MS = 5000
const LOCK_POLL_MS = 50

/**
 * Throws before LevelDB is asked: `LEDGER_NOT_FOUND` when `dir` does not exist or is not a
 * directory; `STORE_CORRUPT` when it holds a ledger's other files (its signer key, its published
 * checkpoint, format 2's index: an auditor's copy may lack the key) but no store: that ledger
 * lost its data, which "no ledger" would hide.
 */
function mustExist(dir: string): void {
  let stats
  try {
    stats = statSync(dir)
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code
    throw new LedgerError('LEDGER_NOT_FOUND', errno === 'ENOENT' ? `no ledger at ${dir}` : `no ledger at ${dir} (${errno ?? String(err)})`, {}, { cause: err })
  }
  if (!stats.isDirectory()) throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir}: it is a file, not a ledger directory`)
  if (ledgerFormatOf(dir) === undefined && [signerPath(dir), publishedPath(dir), indexPath(dir)].some((p) => existsSync(p))) {
    throw new LedgerError('STORE_CORRUPT', `the ledger at ${dir} is damaged: its store (${logPath(dir)}, or ${storePath(dir)} in format 1) is missing`)
  }
}

async function retryLocked<T>(open: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      return await open()
    } catch (err) {
      if (!isLedgerError(err, 'STORE_LOCKED') || Date.now() >= deadline) throw err
      await sleep(LOCK_POLL_MS)
    }
  }
}

/** Runs `open` again with `readOnly` when the store cannot be written and `canReadOnly`. */
async function readOnlyFallback<T>(open: (readOnly: boolean) => Promise<T>, canReadOnly: boolean): Promise<T> {
  try {
    return await open(false)
  } catch (err) {
    if (!canReadOnly || !(isLedgerError(err, 'STORE_READ_ONLY') || isLedgerError(err, 'STORE_NO_SPACE'))) throw err
    return open(true)
  }
}

/**
 * Opens the ledger in `dir` (needs its `signer.key`) with the CLI's {@link ledgerOptions} for
 * `purpose`; for reading, from a private copy when `dir` cannot be written.
 */
export async function openLedger(dir: string, purpose: LedgerPurpose, waitMs = LOCK_WAIT_MS): Promise<Ledger> {
  mustExist(dir)
  const options = await ledgerOptions(purpose)
  // Format 2 reads its log with no lock: a reader never waits for, nor stops, a writer.
  if (purpose === 'read' && ledgerFormatOf(dir) === 2) return Ledger.open(dir, { ...options, readOnly: true })
  return retryLocked(() => readOnlyFallback((readOnly) => Ledger.open(dir, readOnly ? { ...options, readOnly } : options), purpose === 'read'), waitMs)
}

/**
 * What a command needs of a store beyond the log: `index` for id lookups and posting scans
 * (queries, chains, bundles), `write` to replace the published checkpoint (a witness's
 * cosignature). Format 1's store holds everything and is always opened whole.
 */
export interface StoreNeeds {
  index?: boolean
  write?: boolean
  /** The pinned verifier key, which a remote log (an http(s) URL in place of a directory) needs. */
  key?: string | undefined
}

/** Whether `target` names a remote log (an http or https URL) rather than a directory. */
export function isRemote(target: string): boolean {
  return /^https?:\/\//i.test(target)
}

/**
 * Opens the store of the ledger in `dir` (no signer key needed); fails with `LEDGER_NOT_FOUND`
 * when it holds no ledger. Format 2: the log alone, lock-free, unless `needs` asks for more.
 * The caller closes it.
 */
export async function openStore(dir: string, waitMs = LOCK_WAIT_MS, needs: StoreNeeds = {}): Promise<Store> {
  if (isRemote(dir)) return openRemote(dir, needs)
  mustExist(dir)
  if (ledgerFormatOf(dir) === 2) return openTiled(dir, waitMs, needs)
  const store = await retryLocked(
    () =>
      readOnlyFallback(async (readOnly) => {
        const s = levelStoreOf(dir, { mustExist: true, readOnly })
        await s.open()
        return s
      }, true),
    waitMs,
  )
  try {
    if (!(await store.readMeta())) throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir} (the store holds no meta record)`)
    return store
  } catch (err) {
    await store.close()
    throw err
  }
}

/**
 * A format-2 store: the lock-free log reader; with `needs.index`, the index too (opened under
 * LevelDB's lock, and first brought up to the log if a crash left it behind: no writer holds the
 * ledger then, as a writer holds its index); with `needs.write`, the writer's stores.
 */
async function openTiled(dir: string, waitMs: number, needs: StoreNeeds): Promise<Store> {
  // The query indexes' indexer, for a catch-up: loaded only by commands that open the index.
  const indexer = needs.write || needs.index ? (await ledgerOptions('append')).indexer || undefined : undefined
  let store: TiledStore
  if (needs.write) {
    store = tiledStoreOf(dir, indexer, { mustExist: true })
    await retryLocked(() => store.open(), waitMs)
  } else if (needs.index) {
    store = new TiledStore({ log: new FileLogReader(logPath(dir)), index: await openIndexToRead(dir, waitMs) }, indexer)
  } else store = tiledReaderOf(dir)
  try {
    if (!(await store.readMeta())) throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir} (the log holds no meta record)`)
    if (needs.index || needs.write) await store.catchUp()
    return store
  } catch (err) {
    await store.close()
    throw err
  }
}

/**
 * The index of a format-2 ledger, for a command that only reads: `index/` under LevelDB's lock;
 * when a writer keeps it past the wait (a long append, a service holding the ledger), an index in
 * memory that the catch-up builds from the log alone (a scan of the log), so that chain, query
 * and bundle read a ledger being appended to, as the log's other readers do, instead of failing
 * with STORE_LOCKED.
 */
async function openIndexToRead(dir: string, waitMs: number): Promise<IndexStore> {
  try {
    // On media this process may not write, a private copy of the index (brought up to the log there).
    return await retryLocked(
      () =>
        readOnlyFallback(async (readOnly) => {
          const index = new LevelIndexStore(indexPath(dir), readOnly ? { readOnly } : {})
          await index.open()
          return index
        }, true),
      waitMs,
    )
  } catch (err) {
    if (!isLedgerError(err, 'STORE_LOCKED')) throw err
  }
  const memory = new MemoryIndexStore()
  await memory.open()
  return memory
}

/**
 * The log published at URL `url` (tlog-tiles files, from a static web server over a ledger's
 * `log/` or a service), read-only, for the pinned key: a remote log has no index, and its key
 * is never taken from the server.
 */
function openRemote(url: string, needs: StoreNeeds): Store {
  if (needs.key === undefined) throw new CliError(EXIT.USAGE, `reading the remote log ${url} needs the log's verifier key (--key): it is not taken from the server`)
  if (needs.index || needs.write) throw new CliError(EXIT.USAGE, `${url} is a remote log: this command needs a ledger directory`)
  return new TiledStore({ log: new HttpLogReader(url, needs.key) })
}

/** Runs `fn` on the store of `dir` and closes it afterwards. */
export async function withStore<T>(dir: string, fn: (store: Store) => Promise<T>, needs: StoreNeeds = {}): Promise<T> {
  const store = await openStore(dir, LOCK_WAIT_MS, needs)
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/**
 * Runs `fn` on the log published at `url` (a static server over a ledger's `log/`, or a
 * `liuhen serve`): a {@link LogReader} over its tiles, and the checkpoint it was read at, whose
 * signature by `key` is checked first (`PROOF_INVALID` otherwise). Proofs come from the served
 * tiles; the one who checks them holds the root.
 */
export async function withRemoteLog<T>(url: string, key: string | undefined, fn: (reader: LogReader, checkpoint: string) => Promise<T>): Promise<T> {
  if (key === undefined) throw new CliError(EXIT.USAGE, `reading the remote log ${url} needs the log's verifier key (--key): it is not taken from the server`)
  const reader = await LogReader.open(openRemote(url, { key }))
  const latest = await reader.latestCheckpoint()
  if (!latest) throw new LedgerError('LEDGER_NOT_FOUND', `no log at ${url} (no checkpoint)`)
  try {
    openCheckpoint(latest.text, verifierFromKey(key))
  } catch (cause) {
    if (isLedgerError(cause, 'KEY_MALFORMED')) throw cause
    throw new LedgerError('PROOF_INVALID', `the checkpoint ${url} serves is not signed by the key given`, {}, { cause })
  }
  return fn(reader, latest.text)
}

/** Runs `fn` on the ledger of `dir`, opened for reading, and closes it afterwards. */
export async function withLedger<T>(dir: string, fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger(dir, 'read')
  try {
    return await fn(ledger)
  } finally {
    await ledger.close()
  }
}
