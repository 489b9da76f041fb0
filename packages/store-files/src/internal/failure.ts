/**
 * What a file system failure means for the log, coded by its error number (FORMAT.md,
 * "Failures"): the environment's faults are named, the rest is a failed write.
 */
import { LedgerError } from '@liuhen/core'

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT'])
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM'])

/** The errno code of a Node file system error, if it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined
}

/** A write of the log that failed: `STORE_NO_SPACE`, `STORE_READ_ONLY` or `STORE_WRITE_FAILED`. */
export function writeError(err: unknown, what: string): LedgerError {
  if (err instanceof LedgerError) return err
  const errno = errnoOf(err)
  if (errno && NO_SPACE.has(errno)) return new LedgerError('STORE_NO_SPACE', `${what}: no space left on the device (${errno})`, { errno }, { cause: err })
  if (errno && READ_ONLY.has(errno)) return new LedgerError('STORE_READ_ONLY', `${what}: the log's files cannot be written here (${errno})`, { errno }, { cause: err })
  return new LedgerError('STORE_WRITE_FAILED', `${what}: ${errno ?? String(err)}`, { errno }, { cause: err })
}

/** A read of the log that failed other than by absence: damage (a folder where a file should be) or the environment. */
export function readError(err: unknown, path: string): LedgerError {
  const errno = errnoOf(err)
  if (errno === 'EISDIR' || errno === 'ENOTDIR') return new LedgerError('STORE_CORRUPT', `${path} is not a file of the log (${errno})`, { path, errno }, { cause: err })
  return new LedgerError('STORE_OPEN_FAILED', `cannot read ${path} (${errno ?? String(err)})`, { path, errno }, { cause: err })
}
