/**
 * What a LevelDB failure means. classic-level reports a failed open or write as a code
 * (`LEVEL_LOCKED`, `LEVEL_CORRUPTION`, `LEVEL_IO_ERROR`) under a generic one, and an I/O error only
 * as LevelDB's text (`IO error: <file>: No space left on device`): the operating system's error
 * number survives only as its strerror text, so it is read back from there.
 */
import { readdirSync } from 'node:fs'
import { environmentError as codedByErrno, LedgerError } from '@liuhen/core'

/** strerror texts (glibc, musl, macOS) of the error numbers that name the environment's fault. */
const ERRNO_TEXT: readonly (readonly [RegExp, string])[] = [
  [/no space left on device/i, 'ENOSPC'],
  [/disk quota exceeded/i, 'EDQUOT'],
  [/read-only file system/i, 'EROFS'],
  [/permission denied/i, 'EACCES'],
  [/operation not permitted/i, 'EPERM'],
  [/too many open files/i, 'EMFILE'],
  [/input\/output error/i, 'EIO'],
]

/** The innermost `code` and message of a classic-level error (its `cause` chain). */
function levelCause(err: unknown): { code: string | undefined; message: string } {
  let code: string | undefined
  let message = ''
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') code = e.code
    if (typeof e.message === 'string') message = e.message
  }
  return { code, message }
}

/** The error number (`ENOSPC`, …) named in a LevelDB message, or the errno code of a Node error. */
export function errnoOf(err: unknown): string | undefined {
  const direct = (err as { code?: unknown } | undefined)?.code
  if (typeof direct === 'string' && /^E[A-Z]+$/.test(direct)) return direct
  const { message } = levelCause(err)
  return ERRNO_TEXT.find(([text]) => text.test(message))?.[1]
}

/** A storage failure caused by the environment, coded by its error number; undefined otherwise. */
export function environmentError(err: unknown, what: string): LedgerError | undefined {
  return codedByErrno(errnoOf(err), what, { detail: levelCause(err).message }, err)
}

/** Whether `dir` holds any file: LevelDB's "does not exist" then means damage, not absence. */
function holdsFiles(dir: string): boolean {
  try {
    // LevelDB's own open creates the directory and its LOCK file before it looks for CURRENT.
    return readdirSync(dir).some((name) => name !== 'LOCK' && name !== 'LOG' && name !== 'LOG.old')
  } catch {
    return false
  }
}

/**
 * The coded error for a failed open of the LevelDB database at `location`: `STORE_LOCKED`,
 * `STORE_CORRUPT` (damaged or missing files of an existing database), `STORE_NO_SPACE`,
 * `STORE_READ_ONLY`, `STORE_NOT_FOUND` (no database at all, when `mustExist`), else
 * `STORE_OPEN_FAILED` with LevelDB's reason.
 */
export function openError(err: unknown, location: string, mustExist: boolean): LedgerError {
  const { code, message } = levelCause(err)
  if (code === 'LEVEL_LOCKED') return new LedgerError('STORE_LOCKED', `ledger at ${location} is in use by another process`, {}, { cause: err })
  if (code === 'LEVEL_CORRUPTION') return new LedgerError('STORE_CORRUPT', `the store at ${location} is damaged: ${message}`, { detail: message }, { cause: err })
  const env = environmentError(err, `cannot open the store at ${location}`)
  if (env) return env
  // CURRENT names a manifest, the manifest names tables and logs: one of them is gone or cut.
  if (DAMAGED_FILE.test(message)) return new LedgerError('STORE_CORRUPT', `the store at ${location} is damaged: ${message}`, { detail: message }, { cause: err })
  if (/does not exist/.test(message)) {
    // CURRENT names the live manifest; without it the tables left are unreadable.
    if (holdsFiles(location)) return new LedgerError('STORE_CORRUPT', `the store at ${location} is damaged: its CURRENT file is missing`, { detail: message }, { cause: err })
    if (mustExist) return new LedgerError('STORE_NOT_FOUND', `no ledger at ${location}`, {}, { cause: err })
  }
  return new LedgerError('STORE_OPEN_FAILED', `cannot open the store at ${location}: ${message}`, { detail: message }, { cause: err })
}

/**
 * LevelDB's text for a file of the database that is missing or shorter than its records say (a
 * table read past its end is `Invalid argument`): damage, whatever the operation.
 */
const DAMAGED_FILE = /IO error: .*(\.ldb|\.sst|\.log|MANIFEST-\d+): (No such file or directory|Invalid argument)/

/**
 * The coded error for a failed read of the database at `location`: `STORE_CORRUPT` for damaged or
 * missing files (LevelDB's corruption, a table cut short), the environment's code where the
 * operating system named one, else the error as it was.
 */
export function readError(err: unknown, location: string): unknown {
  const { code, message } = levelCause(err)
  if (code === 'LEVEL_CORRUPTION' || DAMAGED_FILE.test(message)) {
    return new LedgerError('STORE_CORRUPT', `the store at ${location} is damaged: ${message}`, { detail: message }, { cause: err })
  }
  return environmentError(err, `cannot read the store at ${location}`) ?? err
}

/** The coded error for a failed write: `STORE_NO_SPACE`, `STORE_READ_ONLY` or `STORE_WRITE_FAILED`. */
export function writeError(err: unknown): LedgerError {
  const { code, message } = levelCause(err)
  if (code === 'LEVEL_CORRUPTION') return new LedgerError('STORE_CORRUPT', `commit to LevelDB failed, the store is damaged: ${message}`, { detail: message }, { cause: err })
  return environmentError(err, 'commit to LevelDB failed') ?? new LedgerError('STORE_WRITE_FAILED', `commit to LevelDB failed: ${message}`, { detail: message }, { cause: err })
}
