/**
 * `liuhen query`: uses of a resource (auditor question 1, and the record side of 6–8), each with
 * its grant, basis and approvers, read through the query indexes (`queryAccesses`). A record is
 * looked up by its keyed digest: `--record` with `--record-key` computes it here, and only the
 * digest reaches the ledger (and the `audit.queried` trail).
 */
import { existsSync } from 'node:fs'
import { Command } from 'commander'
import { formatLedgerTime, inlineText } from '@liuhen/core'
import { queryAccesses, recordDigest, type AccessQuery, type AccessRow } from '@liuhen/query'
import { auditorOf, defined, recordQuery, withAuditorOptions, type AsOptions } from './audit-trail.js'
import { CliError, EXIT } from './exit.js'
import { renamed, withOldSpellings, type OldSpelling } from './flags.js'
import { count, jsonLine, line, out, readArgFile } from './io.js'
import { optionalTime } from './log-scan.js'
import { isRemote, withStore } from './open.js'
import { askService, refuseAs, TOKEN_ENV } from './remote.js'
import { formatTable } from './table.js'
import { statusCell, statusLines } from './access-status.js'
import { partyName } from './chain.js'

interface QueryOptions extends AsOptions {
  resource: string
  record?: string
  recordKey?: string
  /** Old spelling of `recordKey`. */
  key?: string
  digest?: string
  person?: string
  from?: string
  to?: string
  json?: boolean
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/

/** `--key` meant the resource key here before `--key` meant a verifier key everywhere. */
const OLD_KEY: OldSpelling = { flags: '--key <hex|file>', meaning: 'a resource key', use: '--record-key' }

/**
 * The resource's key from `--record-key`: hex, or a JSON file mapping resources to hex keys (the
 * `resource-keys.json` that `liuhen simulate` writes).
 */
export function resourceKey(resource: string, value: string): string {
  if (HEX.test(value)) return value
  if (!existsSync(value)) throw new CliError(EXIT.USAGE, '--record-key must be the resource key in hex, or a JSON file of resource keys')
  let keys: unknown
  try {
    keys = JSON.parse(readArgFile('key file', value))
  } catch (cause) {
    throw new CliError(EXIT.USAGE, `key file ${value} is not JSON`, { cause })
  }
  const key = typeof keys === 'object' && keys !== null ? (keys as Record<string, unknown>)[resource] : undefined
  if (typeof key !== 'string' || !HEX.test(key)) throw new CliError(EXIT.USAGE, `key file ${value} holds no hex key for ${resource}`)
  return key
}

/** The access query of the options; the record id is turned into its digest here. */
export function accessQuery(opts: QueryOptions): AccessQuery {
  const recordKey = renamed(opts.recordKey, opts.key, OLD_KEY)
  if (opts.record !== undefined && recordKey === undefined) throw new CliError(EXIT.USAGE, '--record needs --record-key (the resource key that digests record ids)')
  if (opts.record !== undefined && opts.digest !== undefined) throw new CliError(EXIT.USAGE, 'give --record or --digest, not both')
  if (opts.digest !== undefined && !/^[0-9a-f]{64}$/.test(opts.digest)) throw new CliError(EXIT.USAGE, '--digest must be 64 lowercase hex characters')
  const digest = opts.record !== undefined ? recordDigest(resourceKey(opts.resource, recordKey ?? ''), opts.record) : opts.digest
  const from = optionalTime('--from', opts.from)
  const to = optionalTime('--to', opts.to, true)
  const q: AccessQuery = { resource: opts.resource }
  if (digest !== undefined) q.recordDigest = digest
  if (opts.dept !== undefined) q.dept = opts.dept
  if (opts.person !== undefined) q.person = opts.person
  if (from !== undefined) q.from = from
  if (to !== undefined) q.to = to
  return q
}

/**
 * Human output: one aligned row per access, with its status (finding codes, or ok); then, for
 * each access with findings or with events that changed its grant or cite it, those findings
 * and events (id, index, leaf hash).
 */
export function formatAccesses(rows: readonly AccessRow[]): string {
  const table = rows.map((r) => [
    formatLedgerTime(r.at),
    r.id,
    partyName(r),
    r.grant?.id ?? (r.grantRef === undefined ? '(no grant)' : `${r.grantRef} (unresolved)`),
    r.basis === undefined ? '' : `${r.basis.name} ${r.basis.id}`,
    r.approvers.map((p) => `${p.rule} ${partyName(p)}`).join('; '),
    r.outcome ?? '',
    statusCell(r.status),
  ])
  const details = rows.flatMap((r) => {
    const lines = statusLines(r.status, '  ')
    return lines.length === 0 ? [] : [inlineText(`${r.id} (#${r.index})`), ...lines]
  })
  const text = formatTable(['at', 'access', 'by', 'grant', 'basis', 'approved by', 'outcome', 'status'], table)
  return details.length === 0
    ? text
    : `${text}
Status at the time of each access: findings, and the events that changed its grant or cite it
${details.join('\n')}\n`
}

/** The `query` command. */
export function queryCommand(): Command {
  const command = new Command('query')
    .description('uses of data: accesses of a resource (a record, a dept, a person, a window) with grant, basis and approvers')
    .argument('<dir>', `ledger directory, or the URL of a liuhen serve (an auditor token in ${TOKEN_ENV}; record ids are digested here)`)
    .requiredOption('--resource <id>', 'the resource accessed')
    .option('--record <id>', 'a record id of the resource (digested with --record-key; never stored or logged)')
    .option('--record-key <hex|file>', 'the resource key in hex, or a JSON file of resource keys (resource-keys.json)')
    .option('--digest <hex>', 'the keyed digest of a record, when the auditor holds digests rather than the key')
    .option('--dept <dept>', 'only accesses by this department')
    .option('--person <id>', 'only accesses by this person')
    .option('--from <time>', 'accesses at or after this time (RFC 3339, or YYYY-MM-DD in Beijing time)')
    .option('--to <time>', 'accesses at or before this time (a date includes the whole day)')
    .option('--json', 'print {accesses: [{id, index, at, dept, person, grant, basis, approvers, status: {findings, events}, ...}]}')
  return withAuditorOptions(withOldSpellings(command, [OLD_KEY]), false).action(async (dir: string, opts: QueryOptions) => {
    const q = accessQuery(opts)
    if (isRemote(dir)) refuseAs(dir, opts.as)
    const rows = isRemote(dir)
      ? (
          (await askService(dir, 'query', { resource: q.resource, digest: q.recordDigest, dept: q.dept, person: q.person, from: q.from?.toString(), to: q.to?.toString() })) as {
            accesses: AccessRow[]
          }
        ).accesses
      : await withStore(dir, (store) => queryAccesses(store, q), { index: true })
    const auditor = auditorOf(opts, false)
    if (auditor) {
      const { resource, recordDigest: digest, dept, person, from, to } = q
      const params = defined({ resource, recordDigest: digest, dept, person, from: from?.toString(), to: to?.toString() })
      await recordQuery(dir, auditor, 'query', params, rows.length)
    }
    if (opts.json) return jsonLine({ accesses: rows })
    if (rows.length === 0) return line('No accesses match.')
    await out(formatAccesses(rows))
    await line(`\n${count(rows.length)} access${rows.length === 1 ? '' : 'es'}`)
  })
}
