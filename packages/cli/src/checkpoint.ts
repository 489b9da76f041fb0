/** `liuhen checkpoint`: the latest signed checkpoint. */
import { Command } from 'commander'
import { out } from './io.js'
import { withLedger } from './open.js'

/** The `checkpoint` command. */
export function checkpointCommand(): Command {
  return new Command('checkpoint')
    .description('print the latest signed checkpoint (C2SP signed note text)')
    .argument('<dir>', 'ledger directory')
    .action(async (dir: string) => {
      // Through the ledger, so an empty ledger still gets its (signed) size-0 checkpoint.
      const text = await withLedger(dir, async (ledger) => ledger.checkpoint())
      await out(text.endsWith('\n') ? text : `${text}\n`)
    })
}
