/** `liuhen prove inclusion|consistency`: RFC 9162 proofs from the stored tiles. */
import { Command } from 'commander'
import type { ConsistencyProof, InclusionProof } from '@liuhen/ledger'
import { CliError, EXIT } from './exit.js'
import { jsonLine, line, parseCount, readKeyArg } from './io.js'
import { isRemote, withLedger, withRemoteLog } from './open.js'

/** What a proof is read from: the ledger of a directory, or a published log's tiles. */
interface ProofSource {
  size: number
  proveInclusion(index: number, size: number): Promise<InclusionProof>
  proveConsistency(size1: number, size2: number): Promise<ConsistencyProof>
}

/** Runs `fn` on the ledger of `dir`, or on the log published at that URL (with `key`). */
function withSource<T>(dir: string, key: string | undefined, fn: (source: ProofSource) => Promise<T>): Promise<T> {
  return isRemote(dir) ? withRemoteLog(dir, key, (reader) => fn(reader)) : withLedger(dir, fn)
}

const KEY_OPTION = ['--key <vkey>', "the log's verifier key (text or file), for a URL"] as const

async function printHashes(label: string, hashes: string[]): Promise<void> {
  await line(`${label} (${hashes.length} hash${hashes.length === 1 ? '' : 'es'})`)
  for (const h of hashes) await line(`  ${h}`)
}

async function printInclusion(p: InclusionProof): Promise<void> {
  await line(`Inclusion of entry ${p.index} in the tree of size ${p.size}`)
  await line(`leaf hash  ${p.leafHash}`)
  await line(`root       ${p.root}`)
  await printHashes('proof', p.proof)
}

async function printConsistency(p: ConsistencyProof): Promise<void> {
  await line(`Consistency of the tree of size ${p.size1} with the tree of size ${p.size2}`)
  await line(`root1  ${p.root1}`)
  await line(`root2  ${p.root2}`)
  await printHashes('proof', p.proof)
}

function inclusionCommand(): Command {
  return new Command('inclusion')
    .description('prove that entry <index> is in the tree of size N (default: current)')
    .argument('<dir>', 'ledger directory, or the URL of a published log (with --key)')
    .argument('<index>', 'entry index, from 0')
    .option('--size <n>', 'tree size to prove against (default: the current size)')
    .option('--json', 'print {index, size, leafHash, proof: [hex...], root}')
    .option(...KEY_OPTION)
    .action(async (dir: string, indexArg: string, opts: { size?: string; json?: boolean; key?: string }) => {
      const index = parseCount('index', indexArg)
      const wanted = opts.size === undefined ? undefined : parseCount('--size', opts.size, 1)
      const proof = await withSource(dir, opts.key === undefined ? undefined : readKeyArg('key', opts.key), async (ledger) => {
        const size = wanted ?? ledger.size
        if (size > ledger.size) throw new CliError(EXIT.USAGE, `--size ${size} is beyond the ledger's size ${ledger.size}`)
        if (index >= size) throw new CliError(EXIT.USAGE, `index ${index} is not below the tree size ${size}`)
        return ledger.proveInclusion(index, size)
      })
      if (opts.json) await jsonLine(proof)
      else await printInclusion(proof)
    })
}

function consistencyCommand(): Command {
  return new Command('consistency')
    .description('prove that the tree of size1 is a prefix of the tree of size2 (default: current)')
    .argument('<dir>', 'ledger directory, or the URL of a published log (with --key)')
    .argument('<size1>', 'the older tree size')
    .argument('[size2]', 'the newer tree size (default: the current size)')
    .option('--json', 'print {size1, size2, proof: [hex...], root1, root2}')
    .option(...KEY_OPTION)
    .action(async (dir: string, size1Arg: string, size2Arg: string | undefined, opts: { json?: boolean; key?: string }) => {
      const size1 = parseCount('size1', size1Arg)
      const wanted = size2Arg === undefined ? undefined : parseCount('size2', size2Arg)
      const proof = await withSource(dir, opts.key === undefined ? undefined : readKeyArg('key', opts.key), async (ledger) => {
        const size2 = wanted ?? ledger.size
        if (size2 > ledger.size) throw new CliError(EXIT.USAGE, `size2 ${size2} is beyond the ledger's size ${ledger.size}`)
        if (size1 > size2) throw new CliError(EXIT.USAGE, `size1 ${size1} is larger than size2 ${size2}`)
        return ledger.proveConsistency(size1, size2)
      })
      if (opts.json) await jsonLine(proof)
      else await printConsistency(proof)
    })
}

/** The `prove` command group: `inclusion` and `consistency`. */
export function proveCommand(): Command {
  return new Command('prove').description('print an inclusion or consistency proof (RFC 9162)').addCommand(inclusionCommand()).addCommand(consistencyCommand())
}
