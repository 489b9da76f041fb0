/**
 * `liuhen chain`: the accountability chain behind an event (`buildChain` of @liuhen/query), with
 * every link verified twice: the hash its referrer bound must equal the linked entry's leaf
 * hash, and that entry must be included (an RFC 9162 proof from the stored tiles) in the tree
 * the latest signed checkpoint commits to. Exit 1 if any link fails.
 */
import { Command } from 'commander'
import { formatLedgerTime, inlineText, toBase64 } from '@liuhen/core'
import { chainFindings, chainJson, checkChain, headJson, type ChainLink, type CheckedChain, type Party } from '@liuhen/query'
import { statusCell, statusLines } from './access-status.js'
import { auditorOf, recordQuery, withAuditorOptions, type AsOptions } from './audit-trail.js'
import { CliError, EXIT } from './exit.js'
import { jsonLine, out, readKeyArg } from './io.js'
import { isRemote, withStore } from './open.js'
import { refuseAs, remoteChain, TOKEN_ENV } from './remote.js'

interface ChainOptions extends AsOptions {
  json?: boolean
  key?: string
}

/** Who a party or an actor is, for people: `district.police p-0012`. */
export const partyName = (p: Pick<Party, 'dept'> & { person?: string | undefined }): string => (p.person === undefined ? p.dept : `${p.dept} ${p.person}`)

function describe(l: ChainLink, included: Map<number, boolean>): string {
  const mark = included.get(l.index) === true ? 'ok' : 'NOT INCLUDED'
  const status = l.status === undefined ? '' : `  status: ${statusCell(l.status)}`
  return `${l.id}  ${l.type}  #${l.index}  ${formatLedgerTime(l.at)}  ${partyName(l.actor)}  leaf ${l.hash.slice(0, 16)}…  ${mark}${status}`
}

/** Deepest indentation of the tree: deeper links are drawn at this depth, marked with theirs. */
export const MAX_TREE_INDENT = 24

/**
 * The tree of the chain, depth first: under each link the links its refs reach (and a binding's
 * confirmation), and the later events that cite it, marked `LATER`. A link is shown in full where
 * it first appears; where another event also references it, one line `name: id (shown above)`
 * stands for it. An access shows its status (finding codes, or ok). The walk keeps its own stack,
 * so a chain of any length prints (a long one is deep: each link cites the one before), and
 * indentation stops at {@link MAX_TREE_INDENT}, so output grows with the links, not their square.
 */
export function formatChainTree(c: CheckedChain): string {
  const byId = new Map(c.chain.map((l) => [l.id, l]))
  // Links reached from another (a binding's confirmation) by the id they were reached from.
  const reachedFrom = new Map<string, ChainLink[]>()
  for (const k of c.chain) if (k.from !== undefined) reachedFrom.set(k.from, [...(reachedFrom.get(k.from) ?? []), k])
  const kidsOf = (l: ChainLink): { name: string; link: ChainLink }[] => {
    // A later event's refs lead back to the link it hangs under, or away from the chain.
    const refs = (l.later ? [] : l.refs).flatMap((r) => {
      const link = byId.get(r.id)
      return link ? [{ name: r.name, link }] : []
    })
    const reached = (reachedFrom.get(l.id) ?? []).filter((k) => !refs.some((r) => r.link.id === k.id))
    return [...refs, ...reached.map((k) => ({ name: k.refName ?? '', link: k }))]
  }
  const shown = new Set<string>()
  const lines: string[] = []
  interface Step {
    name: string | undefined
    link: ChainLink
    prefix: string
    last: boolean
    depth: number
  }
  const root = c.chain[0]
  const stack: Step[] = root ? [{ name: undefined, link: root, prefix: '', last: true, depth: 0 }] : []
  while (stack.length > 0) {
    const { name, link: l, prefix, last, depth } = stack.pop() as Step
    const branch = depth === 0 ? '' : last ? '└─ ' : '├─ '
    const deep = depth > MAX_TREE_INDENT ? `[depth ${depth}] ` : ''
    const label = name === undefined ? '' : l.later ? `LATER, citing it by ${name}: ` : `${name}: `
    if (shown.has(l.id)) {
      lines.push(inlineText(`${prefix}${branch}${deep}${label}${l.id} (shown above)`))
      continue
    }
    shown.add(l.id)
    // One line per link: a reference name or id holding a line feed stays on it, escaped.
    lines.push(inlineText(`${prefix}${branch}${deep}${label}${describe(l, c.included)}`))
    const kids = kidsOf(l)
    const next = depth === 0 || depth >= MAX_TREE_INDENT ? prefix : prefix + (last ? '   ' : '│  ')
    // Pushed last child first, so they pop in order.
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i] as { name: string; link: ChainLink }
      stack.push({ name: k.name, link: k.link, prefix: next, last: i === kids.length - 1, depth: depth + 1 })
    }
  }
  return lines.join('\n') + '\n'
}

/** Human output: the tree, the parties with their rules, the broken links, the verdict. */
export function formatChain(c: CheckedChain): string {
  const head = headJson(c.head)
  const parts = [`Accountability chain of ${inlineText(c.event.id)} (${inlineText(c.event.type)}), checked against the signed checkpoint of size ${head.size} (root ${toBase64(c.head.root)})`, '']
  parts.push(formatChainTree(c))
  parts.push('Parties')
  for (const p of c.parties) parts.push(inlineText(`  ${p.rule}  ${p.role.padEnd(15)}  ${partyName(p)}`))
  if (c.parties.length === 0) parts.push('  (none named)')
  const statuses = c.chain.filter((l) => l.status !== undefined && (l.status.findings.length > 0 || l.status.events.length > 0))
  if (statuses.length > 0) {
    parts.push('', 'Status of the accesses at the time they happened (findings, and the events that changed their grant or cite them)')
    for (const l of statuses) parts.push(inlineText(`  ${l.id} (#${l.index})`), ...statusLines(l.status!, '    '))
  }
  if (c.broken.length > 0) {
    parts.push('', 'Broken links')
    for (const b of c.broken) parts.push(inlineText(`  ${b.id}: ${b.reason}`))
  }
  const later = c.chain.filter((l) => l.later).length
  const laterNote = later === 0 ? '' : ` (${later} of them later events that bear on the chain, marked LATER)`
  const verdict =
    c.broken.length === 0
      ? `VERIFIED: ${c.chain.length} links${laterNote}, each bound by hash and included in the checkpoint.`
      : `FAILED: ${c.broken.length} broken link${c.broken.length === 1 ? '' : 's'}.`
  parts.push('', `Result: ${verdict}`)
  const found = chainFindings(c)
  if (found.length > 0) parts.push(`NOT CLEAN: ${found.length} finding${found.length === 1 ? '' : 's'} about its accesses: ${found.map((f) => `${f.code} (${inlineText(f.event)})`).join(', ')}.`)
  return parts.join('\n') + '\n'
}

/** Builds and checks the chain of `id` in the store of `dir`. */
export function checkedChain(dir: string, id: string, vkey?: string): Promise<CheckedChain> {
  return withStore(dir, (store) => checkChain(store, id, vkey), { index: true })
}

/** The `chain` command. */
export function chainCommand(): Command {
  const command = new Command('chain')
    .description('the accountability chain behind an event, every link verified, with the parties and rules')
    .argument('<dir>', `ledger directory, or the URL of a liuhen serve (with --key, an auditor token in ${TOKEN_ENV}; every link proven here)`)
    .argument('<event-id>', 'id of the event (an access, grant, incident, ...)')
    .option('--json', 'print {ok, clean, event, checkpoint, chain: [{id, type, index, hash, included, later?, status?, ...}], parties, broken, findings}')
    .option('--key <vkey>', "the log's verifier key, or a file holding it (default: the key the ledger names)")
  return withAuditorOptions(command, true).action(async (dir: string, id: string, opts: ChainOptions) => {
    const pinned = opts.key === undefined ? undefined : readKeyArg('key', opts.key)
    if (isRemote(dir)) {
      refuseAs(dir, opts.as)
      if (pinned === undefined) throw new CliError(EXIT.USAGE, `checking a chain from ${dir} needs the log's verifier key (--key): it is not taken from the server`)
    }
    const c = isRemote(dir) ? await remoteChain(dir, id, pinned as string) : await checkedChain(dir, id, pinned)
    const auditor = auditorOf(opts, true)
    if (auditor) await recordQuery(dir, auditor, 'chain', { event: id }, c.chain.length)
    const ok = c.broken.length === 0
    if (opts.json) await jsonLine(chainJson(c))
    else await out(formatChain(c))
    if (!ok) throw new CliError(EXIT.FAILED, `chain of ${id} failed: ${c.broken[0]?.reason ?? 'broken link'}`)
  })
}
