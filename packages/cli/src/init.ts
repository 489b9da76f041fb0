/** `liuhen init`: create a ledger directory. */
import { basename, join, resolve } from 'node:path'
import { Command } from 'commander'
import { signerFromKey } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { readArgFile, line } from './io.js'
import { checkOrigin } from './keygen.js'
import { ledgerOptions } from './ledger-options.js'
import { writeOutput } from './output-file.js'

/** Name of the public verifier key file written next to the ledger, for convenience. */
export const VKEY_FILE = 'ledger.vkey'

/** The origin `init` uses when none is given: `liuhen.local/<basename of dir>`. */
export function defaultOrigin(dir: string): string {
  return `liuhen.local/${basename(resolve(dir))}`
}

/** The `init` command. */
export function initCommand(): Command {
  return new Command('init')
    .description('create a ledger (with a new signer key unless one is given) and print its verifier key')
    .argument('<dir>', 'ledger directory to create')
    .option('--origin <name>', "the log's origin (default: the key's name, or liuhen.local/<basename of dir>)")
    .option('--key <file>', 'use this signer key (from `liuhen keygen`) instead of a new one')
    .action(async (dir: string, opts: { origin?: string; key?: string }) => {
      const skey = opts.key === undefined ? undefined : readArgFile('key file', opts.key).trim()
      // A given key names the origin; the key check (KEY_MALFORMED, exit 2) comes before any write.
      const origin = opts.origin ?? (skey === undefined ? defaultOrigin(dir) : signerFromKey(skey).name)
      checkOrigin(origin)
      const ledger = await Ledger.create(dir, { ...(await ledgerOptions('read')), origin, ...(skey === undefined ? {} : { skey }) })
      const vkey = ledger.vkey
      await ledger.close()
      await writeOutput(join(dir, VKEY_FILE), `${vkey}\n`)
      await line(vkey)
    })
}
