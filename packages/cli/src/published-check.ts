/**
 * `liuhen verify`'s check of the checkpoint a ledger directory published (its `checkpoint`
 * file, FORMAT.md): a store that reopened smaller after damage to its files is consistent with
 * itself, and only that file shows what the ledger had handed out. The store must hold at least
 * its size, with the same root there.
 */
import { bytesEqual, isLedgerError, openCheckpoint, toHex, verifierFromKey, type ReadableStore } from '@liuhen/core'
import { publishedPath, readPublished } from '@liuhen/ledger'
import { rootFromStore, type AuditFailure, type AuditReport } from '@liuhen/verify'

/** What the published checkpoint says of the store: a failure, and whether the store is behind it. */
export interface PublishedCheck {
  failure?: AuditFailure
  /** Set when the store holds fewer entries than the published checkpoint: the reason, both sizes. */
  behind?: string
  /** Set when a ledger with entries has no published checkpoint: what the audit then cannot see. */
  missing?: string
}

/**
 * Checks the published checkpoint of `dir` against `store` (of `size` entries) with the key
 * `vkey`; an empty result when the ledger published none (written before the file existed).
 */
export async function checkPublished(store: ReadableStore, dir: string, size: number, vkey: string): Promise<PublishedCheck> {
  const text = await readPublished(dir)
  const file = publishedPath(dir)
  // Ledgers written before the file existed have none; so has one whose file was removed, and
  // then a store rolled back by damage is caught only by the checkpoints it still holds.
  if (text === undefined)
    return size === 0
      ? {}
      : { missing: `the ledger has no published checkpoint (${file}): a rollback of its store is checked only against the checkpoints the store holds and those given with --checkpoint` }
  let cp: ReturnType<typeof openCheckpoint>['checkpoint']
  try {
    cp = openCheckpoint(text, verifierFromKey(vkey)).checkpoint
  } catch (err) {
    const why = isLedgerError(err) ? err.code : String(err)
    return { failure: { code: 'AUDIT_CHECKPOINT_SIGNATURE', message: `the checkpoint the ledger published (${file}) does not verify with the key (${why})` } }
  }
  if (size < cp.size) {
    const behind = `the store holds ${size} entries, fewer than the ${cp.size} of the checkpoint the ledger published (${file})`
    return { behind, failure: { code: 'AUDIT_INCONSISTENT', kind: 'rollback', size: cp.size, message: `rollback: ${behind}`, expected: String(cp.size), actual: String(size) } }
  }
  let root: Uint8Array
  try {
    root = await rootFromStore(store, cp.size)
  } catch {
    return {} // tiles the store lacks: the audit names them
  }
  if (bytesEqual(root, cp.root)) return {}
  const message = `fork: the checkpoint the ledger published (${file}) has another root at size ${cp.size} than the store`
  return { failure: { code: 'AUDIT_INCONSISTENT', kind: 'fork', size: cp.size, message, expected: toHex(cp.root), actual: toHex(root) } }
}

/** `report` with `failure` added (not ok any more), or as it was. */
export function withFailure(report: AuditReport, failure: AuditFailure | undefined): AuditReport {
  return failure === undefined ? report : { ...report, ok: false, failures: [...report.failures, failure] }
}
