/**
 * `liuhen verify`: the full audit of `@liuhen/verify` (`auditLog`) over the ledger's store,
 * printed with its `formatReport` (or `formatReportJson` for `--json`):
 * every entry decoded and hashed, the tree recomputed against the stored tiles, the head, every
 * stored checkpoint (signature and root) and every checkpoint the auditor holds (consistency).
 */
import { Command } from 'commander'
import type { ReadableStore } from '@liuhen/core'
import { auditLog, formatReport, formatReportJson, type AuditFailure, type AuditReport } from '@liuhen/verify'
import { CliError, EXIT } from './exit.js'
import { out, progressBar, readArgFile, readKeyArg, wantProgress } from './io.js'
import { withStore } from './open.js'

interface VerifyOptions {
  checkpoint?: string[]
  key?: string
  json?: boolean
  progress?: boolean
}

/** True when the store is as `init` leaves it: no head, no entry, no checkpoint yet. */
async function isNewLedger(store: ReadableStore): Promise<boolean> {
  if ((await store.readHead()) !== undefined || (await store.readLatestCheckpoint()) !== undefined) return false
  for await (const _ of store.readEntries(0, 1)) return false
  return true
}

/**
 * A ledger just made by `init` has no head and no checkpoint until its first commit, and the
 * audit reports both as missing. With no held checkpoints (which would reveal a wiped ledger),
 * those two findings at size 0 are the expected state, not a failure.
 * TODO(verify): drop this once `auditLog` accepts a ledger with no commits.
 */
export function acceptNewLedger(report: AuditReport, isNew: boolean, held: number): AuditReport {
  if (!isNew || held > 0 || report.size !== 0 || report.ok) return report
  const expected = (f: AuditFailure): boolean =>
    f.index === undefined && (f.code === 'AUDIT_HEAD_MISMATCH' || (f.code === 'AUDIT_CHECKPOINT_MISSING' && f.size === 0))
  if (report.failuresOmitted > 0 || !report.failures.every(expected)) return report
  return { ...report, ok: true, failures: [] }
}

/** The `verify` command. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('audit the whole log: entries, tree, head and checkpoints; exit 1 on any mismatch')
    .argument('<dir>', 'ledger directory')
    .option('--checkpoint <file...>', 'checkpoints held by the auditor; each must be consistent with the log')
    .option('--key <vkey>', "the log's verifier key, or a file holding it (default: the key the ledger names)")
    .option('--json', 'print the audit report as JSON')
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
    .action(async (dir: string, opts: VerifyOptions) => {
      const held = (opts.checkpoint ?? []).map((file) => readArgFile('checkpoint', file))
      const pinned = opts.key === undefined ? undefined : readKeyArg('key', opts.key)
      const report = await withStore(dir, async (store) => {
        const meta = await store.readMeta()
        // Without --key the audit trusts the key the store names: it still catches any change
        // to entries after signing, but not a store re-signed wholesale with another key.
        const key = pinned ?? meta?.vkey ?? ''
        const total = (await store.readHead())?.size ?? 0
        const progress = progressBar(wantProgress(opts.progress), total, 'entries')
        try {
          const report = await auditLog(store, { key, checkpoints: held, onProgress: (done, all) => progress.update(done, all) })
          return acceptNewLedger(report, await isNewLedger(store), held.length)
        } finally {
          progress.stop()
        }
      })
      await out(opts.json ? formatReportJson(report) : formatReport(report))
      if (!report.ok) {
        const first = report.firstBadIndex === undefined ? '' : `: first bad index ${report.firstBadIndex}`
        throw new CliError(EXIT.FAILED, `verification failed${first} (${report.failures[0]?.code ?? 'see report'})`)
      }
    })
}
