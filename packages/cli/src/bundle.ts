/**
 * `liuhen bundle` writes an offline proof bundle (`liuhen-bundle/1`, packages/verify/BUNDLE.md):
 * the accountability chain behind one event, each entry with an inclusion proof against one
 * signed checkpoint, and the log's verifier key. `liuhen verify-bundle` checks one on any
 * machine, with the key the auditor pins and no database, and prints the chain it proved.
 */
import { Command } from 'commander'
import { formatLedgerTime, inlineText, isLedgerError, toBase64, toHex, verifierFromKey, type ReadableStore } from '@liuhen/core'
import { buildChain } from '@liuhen/query'
import { createBundle, verifyBundle, type BundleResult, type ChainLink } from '@liuhen/verify'
import { CliError, EXIT } from './exit.js'
import { count, line, out, readArgFile, readKeyArg } from './io.js'
import { withStore } from './open.js'
import { writeOutput } from './output-file.js'

/** The `bundle` command. */
export function bundleCommand(): Command {
  return new Command('bundle')
    .description('write an offline proof bundle: the chain behind an event, with inclusion proofs and the verifier key')
    .argument('<dir>', 'ledger directory')
    .argument('<event-id>', 'the event whose accountability chain to export')
    .requiredOption('-o, --out <file>', 'file to write the bundle (JSON) to')
    .action(async (dir: string, eventId: string, opts: { out: string }) => {
      let later = 0
      const bundle = await withStore(
        dir,
        async (store) => {
          try {
            // The later events that bear on the chain (a revocation, an incident), as `chain` shows them.
            const also = await laterEvents(store, eventId)
            later = also.length
            return await createBundle(store, eventId, { also })
          } catch (err) {
            // The argument names an event the log does not hold: the caller can fix that.
            if (isLedgerError(err, 'BUNDLE_EVENT_NOT_FOUND')) throw new CliError(EXIT.USAGE, err.message, { cause: err })
            throw err
          }
        },
        { index: true },
      )
      await writeOutput(opts.out, JSON.stringify(bundle, null, 2) + '\n')
      const size = bundle.checkpoint.split('\n')[1] ?? '?'
      const reached = bundle.entries.length - 1
      const also = later === 0 ? '' : ` and ${count(later)} later event${later === 1 ? '' : 's'} bearing on its chain`
      await line(`Wrote ${opts.out}: ${eventId} and the ${count(reached)} entr${reached === 1 ? 'y' : 'ies'} its references${also} reach, proven against the checkpoint at size ${size}`)
    })
}

/** Indexes of the later events in the chain of `eventId` (none when the id is unknown: createBundle says so). */
async function laterEvents(store: ReadableStore, eventId: string): Promise<number[]> {
  try {
    return (await buildChain(store, eventId)).chain.filter((l) => l.later).map((l) => l.index)
  } catch (err) {
    if (isLedgerError(err, 'QUERY_EVENT_NOT_FOUND')) return []
    throw err
  }
}

/** What `verify-bundle` reports: a {@link BundleResult}, or a malformed bundle's one failure. */
export type BundleCheck = Omit<BundleResult, 'failures'> & { failures: { code: string; index?: number; message: string }[] }

/** One link of the chain, as `verify-bundle --json` prints it. */
function linkJson(link: ChainLink): Record<string, unknown> {
  const { event, refs, time } = link.entry
  return {
    index: link.index,
    leafHash: link.leafHash,
    id: event.id,
    type: event.type,
    at: event.at,
    time: formatLedgerTime(time),
    actor: event.actor,
    refs: refs.map((r) => ({ name: r.name, id: r.id, ...(r.index === undefined ? {} : { index: r.index }), ...(r.hash === undefined ? {} : { hash: toHex(r.hash) }) })),
  }
}

/** The `--json` output: `{format: "liuhen-bundle-check/1", ok, checkpoint?, chain, failures}`. */
export function formatBundleJson(result: BundleCheck): string {
  const checkpoint = result.checkpoint && { origin: result.checkpoint.origin, size: result.checkpoint.size, root: toHex(result.checkpoint.root) }
  return JSON.stringify({ format: 'liuhen-bundle-check/1', ok: result.ok, ...(checkpoint ? { checkpoint } : {}), chain: result.chain.map(linkJson), failures: result.failures }, null, 2) + '\n'
}

/** Who acted: `dept`, with the person and role when given. */
function actorOf(actor: ChainLink['entry']['event']['actor']): string {
  const extra = [actor.person, actor.role].filter((v) => typeof v === 'string' && v !== '')
  return extra.length > 0 ? `${actor.dept} (${extra.join(', ')})` : actor.dept
}

/**
 * The human report of a bundle check: the checkpoint, then each proven event (index, type, id,
 * actor, time) with the references that link it to the others, then failures and the result.
 */
export function formatBundleReport(result: BundleCheck): string {
  const lines: string[] = []
  const cp = result.checkpoint
  if (cp) lines.push(`Checkpoint: ${cp.origin} at size ${count(cp.size)}, root ${toBase64(cp.root)}, signed by the pinned key`)
  const subject = result.chain[0]
  if (subject) {
    lines.push('', `Chain behind ${inlineText(subject.entry.event.id)}: ${count(result.chain.length)} entr${result.chain.length === 1 ? 'y' : 'ies'}, each included in that checkpoint`)
    for (const link of result.chain) {
      const e = link.entry.event
      const after = link.index > subject.index ? '  (appended after the subject)' : ''
      // The event's values are a department's text: escaped, so none can start a line of its own.
      lines.push('', inlineText(`  #${link.index}  ${e.type}  ${e.id}${after}`), inlineText(`      by ${actorOf(e.actor)} at ${formatLedgerTime(e.at)}`))
      for (const r of link.entry.refs) {
        lines.push(
          inlineText(
            `      ${r.name} -> ${r.id}${r.index === undefined ? ' (not in the log when appended; binds nothing)' : ` (#${r.index}, leaf ${toHex(r.hash ?? new Uint8Array()).slice(0, 16)}...)`}`,
          ),
        )
      }
    }
  }
  if (result.failures.length > 0) lines.push('')
  // A failure's message may quote the crafted file: escaped like the events.
  for (const f of result.failures) lines.push(inlineText(`${f.index === undefined ? 'Bundle' : `Entry ${count(f.index)}`} INVALID (${f.code}): ${f.message}`))
  lines.push('')
  if (result.ok && cp) lines.push(`Result: VALID. ${count(result.chain.length)} entries proven in ${cp.origin} as of size ${count(cp.size)}.`)
  else lines.push(`Result: FAILED. ${count(result.failures.length)} failure${result.failures.length === 1 ? '' : 's'}.`)
  return lines.join('\n') + '\n'
}

/** The `verify-bundle` command. */
export function verifyBundleCommand(): Command {
  return new Command('verify-bundle')
    .description('verify an offline proof bundle with the pinned verifier key (no database); print the chain it proves')
    .argument('<file>', 'bundle file (from `liuhen bundle`)')
    .requiredOption('--key <vkey>', "the log's verifier key (the text, or a file holding it), from a trusted source")
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { key: string; json?: boolean }) => {
      const key = verifierFromKey(readKeyArg('key', opts.key)) // a bad key is bad usage (exit 2)
      const text = readArgFile('bundle', file)
      let result: BundleCheck
      try {
        result = verifyBundle(text, { key })
      } catch (err) {
        // A file that is not a well-formed bundle proves nothing: a failed verification.
        if (!isLedgerError(err)) throw err
        result = { ok: false, chain: [], failures: [{ code: err.code, message: err.message }] }
      }
      await out(opts.json ? formatBundleJson(result) : formatBundleReport(result))
      if (!result.ok) throw new CliError(EXIT.FAILED, `bundle verification failed (${result.failures[0]?.code ?? 'see report'})`)
    })
}
