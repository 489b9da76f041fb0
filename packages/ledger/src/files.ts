/**
 * A ledger directory. Format 2: `log/` holds the log as tlog-tiles files (@liuhen/store-files),
 * `index/` the indexes (LevelDB). Format 1: `db/` holds the LevelDB store, `checkpoint` the latest
 * published checkpoint (published.ts). Both: `signer.key`, the log's private key (mode 0600, the
 * Go note package's `PRIVATE+KEY+…` text). FORMAT.md documents them.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, constants, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { EMPTY_ROOT, LedgerError, signCheckpoint, signerFromKey, TiledStore, type LedgerMeta } from '@liuhen/core'
import { FileLogReader, FileLogStore } from '@liuhen/store-files'
import { LevelIndexStore, LevelStore, type LevelStoreOptions } from '@liuhen/store-level'
import { syncFolder } from './atomic-file.js'
import { fileError } from './published.js'

/** Path of the LevelDB store inside a ledger directory. */
export const storePath = (dir: string): string => join(dir, 'db')
/** Path of the log (format 2) inside a ledger directory: the folder a static web server serves. */
export const logPath = (dir: string): string => join(dir, 'log')
/** Path of the index (format 2) inside a ledger directory. */
export const indexPath = (dir: string): string => join(dir, 'index')
/** Path of the signer key inside a ledger directory. */
export const signerPath = (dir: string): string => join(dir, 'signer.key')

/**
 * Writes the signer key into `dir` (created), fsynced; the `wx` open refuses an existing key
 * (`EEXIST`). Only {@link createLedgerDir} calls it, on its fresh sibling directory.
 */
function writeSignerKey(dir: string, skey: string): void {
  mkdirSync(dir, { recursive: true })
  const fd = openSync(signerPath(dir), 'wx', 0o600)
  try {
    writeFileSync(fd, `${skey}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Refuses (`STORE_EXISTS`) a directory that exists and is not empty: a ledger is made whole. */
function checkCreatable(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return // absent (or not a directory: the rename will say so)
  }
  if (names.includes('signer.key') || names.includes('db') || names.includes('log')) throw new LedgerError('STORE_EXISTS', `a ledger already exists at ${dir}`)
  if (names.length > 0) throw new LedgerError('STORE_EXISTS', `${dir} exists and is not empty; a ledger is created in a new or empty directory`)
}

/**
 * Creates the ledger directory `dir` whole or not at all: its signer key and store are built in
 * a sibling directory, then renamed into place (over `dir` if it is an empty directory). A
 * crash or a full disk midway leaves no ledger at `dir`, only the sibling, removed on failure.
 */
export async function createLedgerDir(dir: string, skey: string, meta: LedgerMeta, options: LevelStoreOptions): Promise<void> {
  checkCreatable(dir)
  const parent = dirname(resolve(dir))
  const aside = join(parent, `.${basename(resolve(dir))}.creating-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    mkdirSync(parent, { recursive: true })
    writeSignerKey(aside, skey)
    if (meta.format === 1) await createLevelStore(aside, meta, options)
    else await createTiledStores(aside, skey, meta, options)
    renameSync(aside, dir)
    await syncFolder(parent)
  } catch (err) {
    rmSync(aside, { recursive: true, force: true })
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new LedgerError('STORE_EXISTS', `${dir} exists and is not empty; a ledger is created in a new or empty directory`, {}, { cause: err })
    if (err instanceof LedgerError) throw err
    throw fileError(err, `cannot create the ledger at ${dir}`)
  }
}

async function createLevelStore(dir: string, meta: LedgerMeta, options: LevelStoreOptions): Promise<void> {
  const store = levelStoreOf(dir, options)
  await store.open()
  try {
    await store.writeMeta(meta)
  } finally {
    await store.close()
  }
}

/** A new log (meta, signed checkpoint of size 0) and an empty index. */
async function createTiledStores(dir: string, skey: string, meta: LedgerMeta, options: LevelStoreOptions): Promise<void> {
  const store = tiledStoreOf(dir, undefined, options)
  await store.open()
  try {
    const empty = signCheckpoint({ origin: meta.origin, size: 0, root: EMPTY_ROOT, extensions: [] }, signerFromKey(skey))
    await store.create(meta, { size: 0, text: empty })
  } finally {
    await store.close()
  }
}

/**
 * The format of the ledger directory `dir`: 2 when it has a `log/`, 1 when it has a `db/`,
 * undefined when neither.
 */
export function ledgerFormatOf(dir: string): 1 | 2 | undefined {
  if (existsSync(logPath(dir))) return 2
  if (existsSync(storePath(dir))) return 1
  return undefined
}

/**
 * The writer's stores of a format-2 ledger directory (its log and index, not yet open: `open`
 * takes both locks). `indexer` gives the postings of entries indexed on catch-up.
 */
export function tiledStoreOf(dir: string, indexer?: ConstructorParameters<typeof TiledStore>[1], options: { sync?: boolean; mustExist?: boolean } = {}): TiledStore {
  const log = new FileLogStore(logPath(dir), options.mustExist ? { mustExist: true } : {})
  const index = new LevelIndexStore(indexPath(dir), options.sync === undefined ? {} : { sync: options.sync })
  return new TiledStore({ log, index }, indexer)
}

/**
 * A lock-free reader of a format-2 ledger directory: its log alone (no index: the index is
 * LevelDB, which one process holds at a time, and a reader must never stop the writer).
 */
export function tiledReaderOf(dir: string): TiledStore {
  return new TiledStore({ log: new FileLogReader(logPath(dir)) })
}

/**
 * The signer key of a ledger directory, or why this process cannot have it (`ENOENT`, `EACCES`,
 * …): an auditor's copy may lack it or not let them read it, and can still be read.
 */
export function signerKeyOf(dir: string): { skey: string } | { errno: string; damage?: string } {
  let fd: number
  try {
    // Non-blocking: a FIFO in the key's place must not hang the command.
    fd = openSync(signerPath(dir), constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    return { errno: (err as NodeJS.ErrnoException).code ?? String(err) }
  }
  try {
    // A key is a line of ~100 bytes: a folder, a device or a huge file is a damaged key file.
    const stats = fstatSync(fd)
    if (!stats.isFile()) return { errno: 'EINVAL', damage: 'not a regular file' }
    if (stats.size > MAX_KEY_FILE_BYTES) return { errno: 'EINVAL', damage: `${stats.size} bytes, not a key` }
    return { skey: readFileSync(fd, 'utf8').trim() }
  } catch (err) {
    return { errno: (err as NodeJS.ErrnoException).code ?? String(err) }
  } finally {
    closeSync(fd)
  }
}

/** Largest signer key file read (a key is one line of about 100 bytes). */
const MAX_KEY_FILE_BYTES = 64 * 1024

/**
 * Reads the signer key of a ledger directory, as {@link signerKeyOf} does (a FIFO in its place
 * does not hang); `LEDGER_NOT_FOUND` when it cannot, naming why.
 */
export function readSignerKey(dir: string): string {
  const key = signerKeyOf(dir)
  if ('skey' in key) return key.skey
  throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir} (no signer.key: ${key.damage ?? key.errno})`, { errno: key.errno })
}

/** The LevelDB store of a ledger directory. */
export function levelStoreOf(dir: string, options: LevelStoreOptions = {}): LevelStore {
  return new LevelStore(storePath(dir), options)
}
