/**
 * What kind of failure each error code is, the one table the command line (exit codes) and the
 * service (HTTP statuses) both map from: the caller's input refused (fix it and retry), a check
 * that failed or data found damaged (the answer is "no"), or the environment (try again later or
 * elsewhere: a lock, a full disk, an unreachable server).
 */
import type { LedgerErrorCode } from './error.js'

/** The kind of a coded error. */
export type ErrorKind = 'refused' | 'failed' | 'environment'

// Refused input or arguments: the caller can fix them. STORE_EXISTS is here too: like keygen
// refusing to overwrite a key file, `init` refusing an existing ledger is a usage error; so is
// asking about an event id the log does not hold, or with a token that may not ask (AUTH_).
const REFUSED_PREFIXES = ['INPUT_', 'ENCODING_', 'NOTE_', 'CHECKPOINT_', 'SCHEMA_', 'BUNDLE_MALFORMED', 'AUTH_']
const REFUSED_CODES = new Set(['KEY_MALFORMED', 'PROOF_RANGE', 'STORE_EXISTS', 'QUERY_EVENT_NOT_FOUND'])
// A proof or signature that does not check is a verification failure, and so is a ledger whose
// data is damaged (missing or unreadable files, a store behind the checkpoint it published).
const FAILED_CODES = new Set(['PROOF_INVALID', 'PROOF_ROOT_MISMATCH', 'BUNDLE_UNVERIFIED', 'STORE_CORRUPT', 'STORE_BEHIND_CHECKPOINT', 'STORE_FORKED'])

/**
 * The kind of error `code`: `refused` (input, encoding, key, note and checkpoint codes),
 * `failed` (proof failures and damaged data), else `environment` (locks, read-only or full
 * disks, other store and ledger codes, anything unknown).
 * @example errorKind('INPUT_INVALID') // 'refused'
 */
export function errorKind(code: LedgerErrorCode | string): ErrorKind {
  if (FAILED_CODES.has(code)) return 'failed'
  if (REFUSED_CODES.has(code) || REFUSED_PREFIXES.some((p) => code.startsWith(p))) return 'refused'
  return 'environment'
}
