/**
 * `liuhen verify`: the audits of `@liuhen/verify` over the ledger's store, printed with its
 * `formatReport` (or `formatReportJson` for `--json`). By default the full audit (`auditLog`):
 * every entry decoded and hashed, the tree recomputed against the stored tiles, the head, every
 * stored checkpoint and every checkpoint the auditor holds. `--incremental` runs only the
 * consistency audit (`auditIncremental`) of the held checkpoints, in O(k log n).
 *
 * The checkpoint the ledger last published (its `checkpoint` file, kept beside the store) is
 * checked too (published-check.ts): a store that reopened smaller after damage to its files
 * holds a consistent, smaller history, which only that checkpoint contradicts.
 */
import { Command } from 'commander'
import { isLedgerError, keyTypeOf, SIG_TYPE_COSIGNATURE_V1, TiledStore } from '@liuhen/core'
import { auditIncremental, auditLog, formatReport, formatReportJson, type AuditReport } from '@liuhen/verify'
import { CliError, EXIT } from './exit.js'
import { out, parseCount, progressBar, readArgFile, readKeyArg, wantProgress } from './io.js'
import { ledgerFormatOf } from '@liuhen/ledger'
import { isRemote, withStore } from './open.js'
import { checkPublished, withFailure, type PublishedCheck } from './published-check.js'

interface VerifyOptions {
  checkpoint?: string[]
  key?: string
  witness?: string[]
  quorum?: string
  json?: boolean
  incremental?: boolean
  index?: boolean
  progress?: boolean
}

/** Which key the audit trusted, and whether the auditor pinned it. */
export interface KeyUse {
  vkey: string
  pinned: boolean
}

/** The witness keys of `--witness` (text or files), each a cosignature/v1 key, else exit 2. */
function witnessKeys(values: readonly string[]): string[] {
  return values.map((value) => {
    const vkey = readKeyArg('witness key', value)
    if (keyTypeOf(vkey) !== SIG_TYPE_COSIGNATURE_V1) throw new CliError(EXIT.USAGE, `--witness ${vkey} is not a cosignature/v1 witness key`)
    return vkey
  })
}

/** `--quorum`: at most the number of witnesses; defaults to all of them. */
function quorumOf(text: string | undefined, witnesses: number): number {
  if (text === undefined) return witnesses
  if (witnesses === 0) throw new CliError(EXIT.USAGE, '--quorum needs at least one --witness')
  return parseCount('--quorum', text, 1, witnesses)
}

/**
 * The human report with the key line under its header: a key taken from the ledger's own meta
 * is called out, since a ledger re-signed wholesale with another key would pass with it.
 */
export function formatVerifyReport(report: AuditReport, key: KeyUse): string {
  const text = formatReport(report)
  const cut = text.indexOf('\n') + 1
  const keyLine = key.pinned ? `Key: ${key.vkey} (pinned with --key)\n` : `Key: ${key.vkey} (from the ledger's own meta, NOT pinned: pass --key with the verifier key from a trusted source)\n`
  return text.slice(0, cut) + keyLine + text.slice(cut)
}

/** The `--json` report: `formatReportJson`'s shape plus `key: {vkey, pinned}`. */
export function formatVerifyJson(report: AuditReport, key: KeyUse): string {
  const withKey: AuditReport & { key: KeyUse } = { ...report, key }
  return formatReportJson(withKey)
}

/**
 * A format-2 head is computed from the tiles: a tile lacking a node (`details.tile`) is for the
 * audit to name, with the first index it leaves unchecked, not a reason to stop before it. Any
 * other failure (an unreachable server, a damaged checkpoint or meta record, a missing last
 * entry) is rethrown and named as it is.
 */
function missingTileForAudit(err: unknown): undefined {
  if (isLedgerError(err, 'STORE_CORRUPT') && err.details['tile'] !== undefined) return undefined
  throw err
}

/** The `verify` command. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('audit the log (entries, tree, head, checkpoints, held checkpoints, witnesses); exit 1 on any failure')
    .argument('<dir>', 'ledger directory, or the http(s) URL of a published log (its tlog-tiles files; needs --key)')
    .option('--checkpoint <file...>', 'checkpoints held by the auditor; each must be consistent with the log')
    .option('--key <vkey>', "pin the log's verifier key (the text, or a file holding it); default: the key the ledger names, NOT pinned")
    .option('--witness <vkey...>', 'witness keys (cosignature/v1; text or files): the largest checkpoint they cosigned is checked, and the entries beyond it counted')
    .option('--quorum <n>', 'valid witness cosignatures that checkpoint needs (default: every --witness)')
    .option('--incremental', 'only check the held checkpoints against the latest one, with proofs from the tiles (no entries read)')
    .option('--index', 'format 2: also check the id index against the log (opens index/, which a running writer holds)')
    .option('--json', 'print the audit report as JSON')
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
    .action(async (dir: string, opts: VerifyOptions) => {
      const held = (opts.checkpoint ?? []).map((file) => readArgFile('checkpoint', file))
      const pinned = opts.key === undefined ? undefined : readKeyArg('key', opts.key)
      const witnesses = witnessKeys(opts.witness ?? [])
      const quorum = quorumOf(opts.quorum, witnesses.length)
      let behind: string | undefined
      const { report, key } = await withStore(
        dir,
        async (store) => {
          // Without --key the audit trusts the key the store names: it still catches any change
          // to entries after signing, but not a store re-signed wholesale with another key.
          const key: KeyUse = { vkey: pinned ?? (await store.readMeta())?.vkey ?? '', pinned: pinned !== undefined }
          const format2 = isRemote(dir) || ledgerFormatOf(dir) === 2
          const size = (await (format2 ? store.readHead().catch(missingTileForAudit) : store.readHead()))?.size ?? 0
          // Format 2's log publishes its own checkpoint, checked with the others by the audit.
          const published: PublishedCheck = format2 ? {} : await checkPublished(store, dir, size, key.vkey)
          behind = published.behind
          if (published.missing !== undefined) process.stderr.write(`liuhen: note: ${published.missing}\n`)
          const common = { key: key.vkey, checkpoints: held, witnesses, quorum }
          if (opts.incremental) return { report: withFailure(await auditIncremental(store, common), published.failure), key }
          const progress = progressBar(wantProgress(opts.progress), size, 'entries')
          try {
            const ids = !(store instanceof TiledStore) || store.hasIndex
            const report = await auditLog(store, { ...common, ids, onProgress: (done, all) => progress.update(done, all) })
            return { report: withFailure(report, published.failure), key }
          } finally {
            progress.stop()
          }
        },
        { index: opts.index === true, key: pinned },
      )
      await out(opts.json ? formatVerifyJson(report, key) : formatVerifyReport(report, key))
      if (behind !== undefined) throw new CliError(EXIT.FAILED, `verification failed: ${behind}`)
      if (!report.ok) {
        const first = report.firstBadIndex === undefined ? '' : `: first bad index ${report.firstBadIndex}`
        const f = report.failures[0]
        const what = f === undefined ? 'see report' : `${f.code}${f.kind === undefined ? '' : ` ${f.kind}`}`
        throw new CliError(EXIT.FAILED, `verification failed${first} (${what})`)
      }
    })
}
