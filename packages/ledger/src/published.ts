/**
 * The ledger's published checkpoint, kept outside the store: `<dir>/checkpoint` holds the latest
 * checkpoint the ledger has handed out (FORMAT.md, "Ledger directory"). A damaged LevelDB
 * write-ahead log can reopen the store at an older head, and then the store's own checkpoints
 * are gone with it; this file is not, so opening, appending and `verify` notice that the store
 * is behind what was published instead of quietly starting a different history.
 */
import { constants, open, readdir, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { bytesEqual, environmentError, LedgerError, openCheckpoint, toHex, verifierFromKey, type Checkpoint } from '@liuhen/core'
import { writeFileAtomic } from './atomic-file.js'

/** Name of the published checkpoint file inside a ledger directory. */
export const PUBLISHED_FILE = 'checkpoint'

/** Largest published checkpoint file read: a note with many cosignatures is a few KiB. */
const MAX_PUBLISHED_BYTES = 1 << 20

/** Path of the published checkpoint inside a ledger directory. */
export const publishedPath = (dir: string): string => join(dir, PUBLISHED_FILE)

/**
 * A coded error for a failed file operation on the ledger's files: `STORE_NO_SPACE` (ENOSPC,
 * EDQUOT), `STORE_READ_ONLY` (EROFS, EACCES, EPERM), else `STORE_WRITE_FAILED`, the errno named.
 */
export function fileError(err: unknown, what: string): LedgerError {
  const errno = (err as NodeJS.ErrnoException).code
  const details = errno === undefined ? {} : { errno }
  return environmentError(errno, what, details, err) ?? new LedgerError('STORE_WRITE_FAILED', `${what}: ${errno ?? String(err)}`, details, { cause: err })
}

/**
 * The published checkpoint text of the ledger in `dir`, or undefined when there is none (a ledger
 * written before the file existed, or one with no commit yet).
 */
export async function readPublished(dir: string): Promise<string | undefined> {
  const file = publishedPath(dir)
  let handle: FileHandle
  try {
    // Non-blocking: a FIFO put in its place must not hang every command that opens the ledger.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new LedgerError('STORE_OPEN_FAILED', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {}, { cause: err })
  }
  try {
    // Only the ledger writes the file, a note of a few hundred bytes: anything else (a folder, a
    // device such as /dev/zero, a huge file) is damage, and is not read into memory.
    const stats = await handle.stat()
    if (!stats.isFile()) throw new LedgerError('STORE_CORRUPT', `${file} is not a regular file: the ledger's published checkpoint is damaged`)
    if (stats.size > MAX_PUBLISHED_BYTES) throw new LedgerError('STORE_CORRUPT', `${file} is ${stats.size} bytes, not a checkpoint (at most ${MAX_PUBLISHED_BYTES})`)
    return await handle.readFile('utf8')
  } catch (err) {
    if (err instanceof LedgerError) throw err
    throw new LedgerError('STORE_OPEN_FAILED', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {}, { cause: err })
  } finally {
    await handle.close()
  }
}

/**
 * Opens a published checkpoint with the ledger's key; one that does not verify is damage
 * (`STORE_CORRUPT`), since only the ledger writes the file.
 */
export function openPublished(text: string, dir: string, vkey: string): Checkpoint {
  try {
    return openCheckpoint(text, verifierFromKey(vkey)).checkpoint
  } catch (cause) {
    throw new LedgerError('STORE_CORRUPT', `${publishedPath(dir)} is not a checkpoint signed by the ledger's key`, {}, { cause })
  }
}

/**
 * Throws `STORE_BEHIND_CHECKPOINT`, naming both sizes, when a store of `size` entries is behind
 * the checkpoint the ledger published; a store ahead of it is fine (a crash between the store's
 * commit and the file's replacement).
 */
export function checkNotBehind(size: number, published: Checkpoint, dir: string): void {
  if (size >= published.size) return
  throw new LedgerError(
    'STORE_BEHIND_CHECKPOINT',
    `the store holds ${size} entries, fewer than the ${published.size} of the checkpoint the ledger published (${publishedPath(dir)}): its files were damaged or rolled back`,
    { size, published: published.size },
  )
}

/**
 * Throws `STORE_FORKED` when the store's root at the published checkpoint's size (`root`) is not
 * the checkpoint's: the store holds another history than the one handed out (it was restored,
 * rolled back and appended to, or replaced). Appending then would replace the file, the only
 * evidence of that, with a checkpoint of the other history.
 */
export function checkSameHistory(root: Uint8Array, published: Checkpoint, dir: string): void {
  if (bytesEqual(root, published.root)) return
  const [expected, actual] = [toHex(published.root), toHex(root)]
  throw new LedgerError(
    'STORE_FORKED',
    `the store holds another history than the checkpoint the ledger published (${publishedPath(dir)}): at size ${published.size} its root is ${actual}, not ${expected}`,
    { size: published.size, expected, actual },
  )
}

/** Replaces the published checkpoint of `dir` atomically (written aside, fsynced, renamed). */
export async function writePublished(dir: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(publishedPath(dir), text)
  } catch (err) {
    throw fileError(err, `cannot write ${publishedPath(dir)}`)
  }
}

/** Temporary files of {@link writePublished}: `.checkpoint.<pid>-<random>.tmp`. */
const PUBLISHED_TMP = /^\.checkpoint\.\d+-[0-9a-f]+\.tmp$/

/**
 * Removes the temporary files that writers killed midway left beside the published checkpoint.
 * Only for a process that holds the store open (LevelDB's lock): no other process then writes
 * the file, so every such file is stale. Best effort: a file that cannot be removed stays.
 */
export async function removeStaleTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(names.filter((n) => PUBLISHED_TMP.test(n)).map((n) => rm(join(dir, n), { force: true }).catch(() => undefined)))
}
