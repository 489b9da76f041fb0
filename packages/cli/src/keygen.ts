/** `liuhen keygen`: a new signer key in a file, its verifier key on stdout. */
import { Command } from 'commander'
import { generateSignerKey, isValidKeyName } from '@liuhen/core'
import { CliError, EXIT } from './exit.js'
import { line } from './io.js'
import { writeOutput } from './output-file.js'

/**
 * Writes `skey` to a new file `file` with mode 0600, whole or not at all; refuses (exit 2) when
 * `file` exists.
 * @example await writeKeyFile('log.key', generateSignerKey('example.com/log').skey)
 */
export function writeKeyFile(file: string, skey: string): Promise<void> {
  return writeOutput(file, `${skey}\n`, { mode: 0o600, exclusive: true, refusal: 'refusing to overwrite a key' })
}

/** Checks a log origin (also the key's name): printable, no spaces or `+`. */
export function checkOrigin(origin: string): void {
  if (!isValidKeyName(origin)) throw new CliError(EXIT.USAGE, `origin ${JSON.stringify(origin)} is not a valid key name (printable, no spaces or '+')`)
}

/** The `keygen` command. */
export function keygenCommand(): Command {
  return new Command('keygen')
    .description('write a new signer key to a file (mode 0600) and print its verifier key')
    .requiredOption('--origin <name>', "the log's origin, also the key's name (e.g. ledger.district.example/audit)")
    .requiredOption('--out <file>', 'file to write the private key to (never overwritten)')
    .action(async (opts: { origin: string; out: string }) => {
      checkOrigin(opts.origin)
      const { skey, vkey } = generateSignerKey(opts.origin)
      await writeKeyFile(opts.out, skey)
      await line(vkey)
    })
}
