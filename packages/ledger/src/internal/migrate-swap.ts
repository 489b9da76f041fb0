/**
 * The swap of `migrate` (migrate.ts) and its recovery. The converted log, built and checked in a
 * folder aside, becomes `<dir>/log` by one rename: the commit point. Before it, format 1's files
 * are moved into `<dir>/format1/`; a kill before that rename leaves a half-done swap (format 1's
 * files partly moved, no `log/`) that {@link undoSwap} moves back, so `migrate` can run again.
 * FORMAT.md ("Migrating format 1") gives the order and what a kill at each step leaves.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { environmentError, LedgerError } from '@liuhen/core'
import { syncFolder } from '../atomic-file.js'
import { FORMAT1 } from './format1-files.js'

/** The folder format 1's store and published checkpoint are kept in after the swap. */
export const KEPT_DIR = 'format1'
/** The folder the converted log is built in: `.migrating-log-<pid>`. */
export const ASIDE_PREFIX = '.migrating-log-'
/** The format-2 log's folder. */
export const LOG_DIR = 'log'
/** Temporary files of the published checkpoint that a format-1 writer killed midway left. */
const PUBLISHED_TMP = /^\.checkpoint\.\d+-[0-9a-f]+\.tmp$/

/** A coded error for a failed move: `STORE_NO_SPACE`, `STORE_READ_ONLY`, else `STORE_WRITE_FAILED`. */
function fileError(err: unknown, what: string): LedgerError {
  const errno = (err as NodeJS.ErrnoException).code
  const details = errno === undefined ? {} : { errno }
  return environmentError(errno, what, details, err) ?? new LedgerError('STORE_WRITE_FAILED', `${what}: ${errno ?? String(err)}`, details, { cause: err })
}

/** The two files a swap moves, format 1's store first. */
const MOVED = [FORMAT1.store, FORMAT1.published] as const

/**
 * Moves back what a swap killed before its commit point moved into `<dir>/format1/`, then
 * removes that folder; nothing when there is none. `STORE_EXISTS` when a file is both there and
 * in `dir`, or the folder holds anything else: not a state a swap leaves, so nothing is touched.
 * Only for a directory with no `log/`.
 */
export async function undoSwap(dir: string): Promise<boolean> {
  const kept = join(dir, KEPT_DIR)
  if (!existsSync(kept)) return false
  if (!statSync(kept).isDirectory()) throw new LedgerError('STORE_EXISTS', `${kept} is not a folder a conversion made: move it away and run migrate again`)
  // A conversion swapping right now has closed the store, so its lock protects nothing here.
  const running = liveConversion(dir)
  if (running !== undefined)
    throw new LedgerError('STORE_LOCKED', `another migrate (process ${running}) is converting ${dir}; if there is none, remove ${join(dir, ASIDE_PREFIX + running)}`, { pid: running })
  const names = readdirSync(kept)
  const unknown = names.filter((n) => !(MOVED as readonly string[]).includes(n))
  if (unknown.length > 0) throw new LedgerError('STORE_EXISTS', `${kept} holds ${unknown.join(', ')}, which no conversion put there: move it away and run migrate again`)
  for (const name of names) {
    if (existsSync(join(dir, name))) throw new LedgerError('STORE_EXISTS', `${name} is both in ${dir} and in ${kept}: keep one of them and run migrate again`)
  }
  try {
    for (const name of names) renameSync(join(kept, name), join(dir, name))
    rmdirSync(kept)
    await syncFolder(dir)
  } catch (err) {
    throw fileError(err, `cannot move format 1's files back from ${kept}`)
  }
  return true
}

/** The process id of another live `migrate` whose folder aside is in `dir`, if any. */
function liveConversion(dir: string): number | undefined {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(ASIDE_PREFIX)) continue
    const pid = Number(name.slice(ASIDE_PREFIX.length))
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) continue
    try {
      process.kill(pid, 0)
      return pid
    } catch (err) {
      // EPERM: alive, another user's. ESRCH: gone, its folder is a leftover.
      if ((err as NodeJS.ErrnoException).code === 'EPERM') return pid
    }
  }
  return undefined
}

/**
 * Removes what earlier conversions left in `dir`: folders built aside by a killed `migrate`, and
 * temporary files of a format-1 writer killed midway. Only for a process holding the format-1
 * store's lock: no other `migrate` or writer of this ledger runs then.
 */
export function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(ASIDE_PREFIX) || PUBLISHED_TMP.test(name)) rmSync(join(dir, name), { recursive: true, force: true })
  }
}

/**
 * Swaps the checked log in `aside` in: format 1's store and published checkpoint into
 * `<dir>/format1/`, synced; `confirm` (which checks that the store did not change since it was
 * converted, and throws if it did: the move is then undone); then `aside` renamed to
 * `<dir>/log` and `dir` synced. Returns the folder format 1 is kept in.
 */
export async function swapIn(dir: string, aside: string, confirm: (movedStore: string) => Promise<void>): Promise<string> {
  const kept = join(dir, KEPT_DIR)
  try {
    mkdirSync(kept)
    for (const name of MOVED) if (existsSync(join(dir, name))) renameSync(join(dir, name), join(kept, name))
    await syncFolder(kept)
    await syncFolder(dir)
  } catch (err) {
    await undoSwap(dir).catch(() => undefined)
    throw fileError(err, `cannot move format 1's files into ${kept}`)
  }
  try {
    await confirm(join(kept, FORMAT1.store))
  } catch (err) {
    await undoSwap(dir)
    throw err
  }
  try {
    renameSync(aside, join(dir, LOG_DIR))
  } catch (err) {
    await undoSwap(dir).catch(() => undefined)
    throw fileError(err, `cannot rename ${aside} to ${join(dir, LOG_DIR)}`)
  }
  try {
    await syncFolder(dir)
  } catch (err) {
    throw fileError(err, `the ledger at ${dir} was converted, but its folder could not be synced`)
  }
  return kept
}
