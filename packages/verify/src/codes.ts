/**
 * The stable codes of audit failures. An audit returns findings, it does not throw: each
 * failure names one of these codes, and the first bad index where one exists. Messages may change;
 * codes never do (new ones may be added).
 */

/** What an audit can find wrong, one code per kind. */
export const AUDIT_CODES = {
  AUDIT_STORE_ERROR: 'the store failed or returned something that is not a store answer; the audit stopped early',
  AUDIT_META_MISMATCH: "the ledger's meta record is missing or names another key or origin than the auditor's",
  AUDIT_ENTRY_MISSING: 'no entry at an index below the tree size (deleted or truncated)',
  AUDIT_ENTRY_CORRUPT: 'entry bytes do not decode, or their leaf hash is not the one that was signed (changed after signing)',
  AUDIT_ENTRY_INDEX: "an entry's own index field is not its position (swapped, inserted or deleted entries)",
  AUDIT_ENTRY_UNEXPECTED: 'an entry stored at or beyond the tree size of the head (inserted or left over)',
  AUDIT_TIME_REGRESSION: 'ledger time goes backwards',
  AUDIT_NODE_MISMATCH: 'a stored tile hash differs from the hash recomputed from the entries, or a tile is missing, short or extra',
  AUDIT_HEAD_MISMATCH: 'the stored head (size, root, time, frontier) differs from the recomputed tree',
  AUDIT_CHECKPOINT_MISSING: 'no checkpoint signed by the key at the tree size of the head',
  AUDIT_CHECKPOINT_SIGNATURE: 'a stored or held checkpoint is malformed, not signed by the pinned key, or stored under another size',
  AUDIT_CHECKPOINT_ROOT: 'a validly signed checkpoint has another root than the entries give at its size (history rewritten)',
  AUDIT_REF_MISMATCH: 'a resolved reference does not point to an earlier entry with the bound leaf hash',
  AUDIT_ID_INDEX: 'the id index does not map an event id to its entry, or holds ids of no entry',
  AUDIT_INCONSISTENT: 'a checkpoint held by the auditor is not consistent with the log (rollback, fork or truncation)',
  AUDIT_WITNESS_QUORUM: 'no stored checkpoint signed by the log has as many valid witness cosignatures as the quorum',
} as const

/** One of {@link AUDIT_CODES}. */
export type AuditCode = keyof typeof AUDIT_CODES

/** How a held checkpoint disagrees with the log, for `AUDIT_INCONSISTENT`. */
export type InconsistencyKind = 'rollback' | 'fork' | 'truncation'

/** One finding of an audit. Hashes are lowercase hex. */
export interface AuditFailure {
  code: AuditCode
  /** The first entry index the finding concerns, when it concerns entries. */
  index?: number
  /** The tree size, for findings about a checkpoint or the head. */
  size?: number
  /** For `AUDIT_INCONSISTENT`. */
  kind?: InconsistencyKind
  message: string
  expected?: string
  actual?: string
}

/** What an audit found. `ok` is true exactly when `failures` is empty. */
export interface AuditReport {
  ok: boolean
  /** `full` streams every entry; `incremental` checks consistency of held checkpoints only. */
  mode: 'full' | 'incremental'
  /** The log's origin line, when known. */
  origin?: string
  /** Tree size audited (recomputed for a full audit, the latest checkpoint's for incremental). */
  size: number
  /** Root at `size` (hex), when computed. */
  root?: string
  entries: { checked: number; valid: number }
  checkpoints: { checked: number; consistent: number }
  /**
   * When witnesses were given: the largest stored checkpoint with a quorum of valid cosignatures
   * (`size`; absent when none has), its valid cosignatures (else those on the latest checkpoint),
   * when the quorum was reached (`cosignedAt`, RFC 3339 in +08:00) and the entries of the log
   * beyond it (`beyond`: appended since, such as an auditor's own recorded questions).
   */
  witnesses?: { valid: number; quorum: number; names: string[]; size?: number; beyond?: number; cosignedAt?: string }
  /** Lowest entry index of any failure, when one has an index. */
  firstBadIndex?: number
  /** Sorted by index (or size); at most `maxFailures` of them. */
  failures: AuditFailure[]
  /** Failures not listed because `maxFailures` was reached. */
  failuresOmitted: number
  durationMs: number
}
