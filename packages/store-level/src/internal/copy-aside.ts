/**
 * A private copy of a LevelDB database, for reading one this process may not write (read-only
 * media, another user's files). LevelDB has no read-only mode: every open takes its LOCK file,
 * starts a new info LOG, write-ahead log and MANIFEST, and replays the old log into a table. So
 * the copy gets those small files as copies and the table files as symbolic links: LevelDB never
 * changes a table once written (it reads them, and deletes the ones a compaction replaced, which
 * here removes a link), so the copy costs the size of the logs and manifest, not of the data.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { LedgerError } from '@liuhen/core'

/** Files of LevelDB's own that a copy does without: the lock and the info logs. */
const SKIP = new Set(['LOCK', 'LOG', 'LOG.old'])
const TABLE = /\.(ldb|sst)$/

/**
 * Makes the copy of the database at `location` in a new directory under the system's temporary
 * directory and returns its path; the caller removes it with {@link removeCopy}.
 * @example const copy = copyAside('ledger/db'); try { … } finally { removeCopy(copy) }
 */
export function copyAside(location: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuhen-readonly-'))
  try {
    for (const name of readdirSync(location)) {
      if (SKIP.has(name)) continue
      const from = resolve(location, name)
      if (TABLE.test(name)) symlinkSync(from, join(dir, name))
      else copyFileSync(from, join(dir, name))
    }
    return dir
  } catch (err) {
    removeCopy(dir)
    throw err
  }
}

/** Removes a copy made by {@link copyAside} (never the original: only links point there). */
export function removeCopy(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * {@link copyAside}, its failure coded: `STORE_NOT_FOUND` when there is no database at
 * `location`, else `STORE_OPEN_FAILED` naming the cause (a missing temporary folder by name, as
 * TMPDIR may point where nothing is).
 */
export function copyForReading(location: string): string {
  try {
    return copyAside(location)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    if (!existsSync(location)) throw new LedgerError('STORE_NOT_FOUND', `no ledger at ${location}`, {}, { cause })
    const temp = tmpdir()
    if (!existsSync(temp)) {
      const why = `the temporary folder ${temp} does not exist (set TMPDIR to a folder this user can write)`
      throw new LedgerError('STORE_OPEN_FAILED', `cannot copy the store at ${location} to read it: ${why}`, { errno: code }, { cause })
    }
    throw new LedgerError('STORE_OPEN_FAILED', `cannot copy the store at ${location} to read it (${code ?? String(cause)})`, { errno: code }, { cause })
  }
}
