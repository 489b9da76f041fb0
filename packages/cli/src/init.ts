/** `liuhen init`: create a ledger directory. */
import { basename, join, resolve } from 'node:path'
import { Command } from 'commander'
import { isValidKeyName, signerFromKey } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { oldOption, oldSpellingsHelp, renamed, type OldSpelling } from './flags.js'
import { CliError, EXIT } from './exit.js'
import { readArgFile, line } from './io.js'
import { checkOrigin } from './keygen.js'
import { ledgerOptions } from './ledger-options.js'
import { writeOutput } from './output-file.js'

/** Name of the public verifier key file written next to the ledger, for convenience. */
export const VKEY_FILE = 'ledger.vkey'

/**
 * The origin `init` uses when none is given: `liuhen.local/<basename of dir>`, each character a
 * key name may not hold (core's isValidKeyName: spaces, `+`, control characters) replaced by
 * `-`, so a folder such as `审计 台账` gets a valid origin.
 */
export function defaultOrigin(dir: string): string {
  const name = Array.from(basename(resolve(dir)), (c) => (isValidKeyName(c) ? c : '-')).join('')
  return `liuhen.local/${name}`
}

/**
 * Refuses (exit 2) the directory this process works in (`init .`): a ledger is built aside and
 * renamed into place, which the system refuses for `.` (EBUSY) and which would leave the shell
 * that ran it in a removed directory. Its parent can name it.
 */
export function checkNotWorkingDir(dir: string): void {
  if (resolve(dir) !== process.cwd()) return
  const name = basename(process.cwd())
  throw new CliError(EXIT.USAGE, `cannot create a ledger in the current directory: run the command from its parent, naming it ${JSON.stringify(name)}`)
}

/** `--key` named the signer key file here before `--key` meant a verifier key everywhere. */
const OLD_KEY: OldSpelling = { flags: '--key <file>', meaning: 'a signer key file', use: '--signer' }

/** The `init` command. */
export function initCommand(): Command {
  return new Command('init')
    .description('create a ledger (with a new signer key unless one is given) and print its verifier key')
    .argument('<dir>', 'ledger directory to create')
    .option('--origin <name>', "the log's origin (default: the key's name, or liuhen.local/<basename of dir>)")
    .option('--signer <file>', 'use this signer key file (from `liuhen keygen`) instead of a new one')
    .option('--format <1|2>', 'on-disk format (FORMAT.md): 2, or 1 for tools that read only format 1', '2')
    .addOption(oldOption(OLD_KEY))
    .addHelpText('after', oldSpellingsHelp([OLD_KEY]))
    .action(async (dir: string, opts: { origin?: string; signer?: string; key?: string; format: string }) => {
      if (opts.format !== '1' && opts.format !== '2') throw new CliError(EXIT.USAGE, `--format must be 1 or 2, got ${JSON.stringify(opts.format)}`)
      const format = opts.format === '1' ? 1 : 2
      const signer = renamed(opts.signer, opts.key, OLD_KEY)
      const skey = signer === undefined ? undefined : readArgFile('signer key file', signer).trim()
      // A given key names the origin; the key check (KEY_MALFORMED, exit 2) comes before any write.
      const origin = opts.origin ?? (skey === undefined ? defaultOrigin(dir) : signerFromKey(skey).name)
      checkOrigin(origin)
      checkNotWorkingDir(dir)
      const ledger = await Ledger.create(dir, { ...(await ledgerOptions('read')), origin, format, ...(skey === undefined ? {} : { skey }) })
      const vkey = ledger.vkey
      await ledger.close()
      await writeOutput(join(dir, VKEY_FILE), `${vkey}\n`)
      await line(vkey)
    })
}
