/**
 * Errors with stable codes. Codes are SCREAMING_SNAKE with an area prefix and never change;
 * messages may. `LedgerErrorCode` lists the codes of core, the store and the ledger; a package
 * with codes of its own declares them in its `error.ts` as a subclass,
 * `class VerifyError extends LedgerError<VerifyErrorCode>`, and lists them in its README.
 */
export type LedgerErrorCode =
  // input refused before anything is written
  | 'INPUT_INVALID'
  | 'INPUT_TOO_LARGE'
  | 'INPUT_ID_CONFLICT'
  // encoding of entries and other hashed bytes
  | 'ENCODING_INVALID'
  | 'ENCODING_NOT_CANONICAL'
  // Merkle proofs
  | 'PROOF_INVALID'
  | 'PROOF_ROOT_MISMATCH'
  | 'PROOF_RANGE'
  // signed notes, keys and checkpoints
  | 'NOTE_MALFORMED'
  | 'NOTE_UNVERIFIED'
  | 'KEY_MALFORMED'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'CHECKPOINT_MISMATCH'
  // storage
  | 'STORE_NOT_OPEN'
  | 'STORE_OPEN_FAILED'
  | 'STORE_LOCKED'
  | 'STORE_CORRUPT'
  | 'STORE_FORMAT_UNSUPPORTED'
  | 'STORE_NOT_FOUND'
  | 'STORE_EXISTS'
  | 'STORE_WRITE_FAILED'
  | 'STORE_NO_SPACE'
  | 'STORE_READ_ONLY'
  | 'STORE_BEHIND_CHECKPOINT'
  | 'STORE_FORKED'
  /** A remote log (HTTP) could not be reached or answered with an error status. */
  | 'REMOTE_UNAVAILABLE'
  // ledger engine
  | 'LEDGER_CLOSED'
  | 'LEDGER_NOT_FOUND'
  | 'LEDGER_NO_SIGNER'
  // offline bundles
  | 'BUNDLE_MALFORMED'
  | 'BUNDLE_UNVERIFIED'

/**
 * The one error class of the project: `code` is stable, `message` is for people, `cause` keeps
 * the lower error (a LevelDB `LEVEL_LOCKED` under `STORE_LOCKED`, say).
 *
 * @example
 * throw new LedgerError('PROOF_ROOT_MISMATCH', 'root mismatch', { expected: hex(a), actual: hex(b) })
 */
export class LedgerError<C extends string = LedgerErrorCode> extends Error {
  override readonly name: string = 'LedgerError'
  readonly code: C
  /** Machine-readable details: positions, field paths, expected and actual values. */
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: C, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.details = details
  }
}

/** True when `err` is a {@link LedgerError}, optionally with the given code. */
export function isLedgerError(err: unknown, code?: string): err is LedgerError<string> {
  return err instanceof LedgerError && (code === undefined || err.code === code)
}

/**
 * The coded error for a storage operation that failed by the environment's fault, from its error
 * number (FORMAT.md, "Failures"): `STORE_NO_SPACE` for a full disk (ENOSPC, EDQUOT),
 * `STORE_READ_ONLY` for media this process may not write (EROFS, EACCES, EPERM); undefined for
 * any other. `what` says what failed; `details` gain the `errno`. Every store and the ledger's
 * own files map failures through this one rule.
 * @example environmentError('ENOSPC', 'commit failed', {}, err)?.code // 'STORE_NO_SPACE'
 */
export function environmentError(errno: string | undefined, what: string, details: Record<string, unknown> = {}, cause?: unknown): LedgerError | undefined {
  if (errno === 'ENOSPC' || errno === 'EDQUOT') return new LedgerError('STORE_NO_SPACE', `${what}: no space left on the device (${errno})`, { errno, ...details }, { cause })
  if (errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM') return new LedgerError('STORE_READ_ONLY', `${what}: the files cannot be written here (${errno})`, { errno, ...details }, { cause })
  return undefined
}
