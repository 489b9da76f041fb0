/** `liuhen checkpoint`: the latest signed checkpoint. */
import { Command } from 'commander'
import { out, readKeyArg } from './io.js'
import { isRemote, withLedger, withRemoteLog } from './open.js'

/** The `checkpoint` command. */
export function checkpointCommand(): Command {
  return new Command('checkpoint')
    .description('print the latest signed checkpoint (C2SP signed note text)')
    .argument('<dir>', 'ledger directory, or the URL of a published log (with --key)')
    .option('--key <vkey>', "the log's verifier key (text or file), for a URL: the checkpoint printed is checked with it")
    .action(async (dir: string, opts: { key?: string }) => {
      const key = opts.key === undefined ? undefined : readKeyArg('key', opts.key)
      // Through the ledger, so an empty ledger still gets its (signed) size-0 checkpoint.
      const text = isRemote(dir) ? await withRemoteLog(dir, key, async (_, checkpoint) => checkpoint) : await withLedger(dir, async (ledger) => ledger.checkpoint())
      await out(text.endsWith('\n') ? text : `${text}\n`)
    })
}
