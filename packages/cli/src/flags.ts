/**
 * One flag, one meaning across commands (DESIGN.md "The command line"): `--key` is always a
 * verifier key, `--signer` a signer's private key file, `--record-key` a resource's record key,
 * `--as-dept` the auditor's own department. Spellings that meant something else in one command
 * keep working there as hidden aliases: each use prints a one-line warning on stderr and the
 * command runs as with the new spelling. `--help` shows the new names, and one line lists the
 * old spellings the command still accepts.
 */
import { Option, type Command } from 'commander'
import { CliError, EXIT } from './exit.js'

/** An old spelling of an option: its flag, what it means here, and the flag to use instead. */
export interface OldSpelling {
  /** The old flag with its argument, as commander takes it: `--key <hex|file>`. */
  flags: string
  /** What the old flag means in this command, for the warning: `a resource key`. */
  meaning: string
  /** The new flag: `--record-key`. */
  use: string
}

/** The long flag of a commander flags string: `--key <file>` → `--key`. */
const longFlag = (flags: string): string => flags.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? flags

/** The hidden option of an old spelling (not listed by `--help`). */
export const oldOption = (old: OldSpelling): Option => new Option(old.flags, `old spelling of ${old.use}`).hideHelp()

/** The help line that names the old spellings a command still accepts. */
export function oldSpellingsHelp(old: readonly OldSpelling[]): string {
  return `\nOld spellings still accepted, with a warning: ${old.map((o) => `${longFlag(o.flags)} (now ${o.use})`).join(', ')}.`
}

/**
 * Adds old spellings to `command` as hidden options and one help line naming them.
 * @example withOldSpellings(cmd, [{ flags: '--key <hex|file>', meaning: 'a resource key', use: '--record-key' }])
 */
export function withOldSpellings(command: Command, old: readonly OldSpelling[]): Command {
  for (const o of old) command.addOption(oldOption(o))
  return command.addHelpText('after', oldSpellingsHelp(old))
}

/** Prints the one-line warning for a use of an old spelling. */
export function warnOldSpelling(old: OldSpelling): void {
  process.stderr.write(`liuhen: ${longFlag(old.flags)} here is ${old.meaning}; use ${old.use} (the old spelling still works)\n`)
}

/**
 * The value of a renamed option: the new spelling's, else the old one's (with its warning).
 * Both at once is a usage error, since they say the same thing twice.
 * @example const recordKey = renamed(opts.recordKey, opts.key, RECORD_KEY_OLD)
 */
export function renamed<T>(value: T | undefined, oldValue: T | undefined, old: OldSpelling): T | undefined {
  if (oldValue === undefined) return value
  if (value !== undefined) throw new CliError(EXIT.USAGE, `give ${old.use} or its old spelling ${longFlag(old.flags)}, not both`)
  warnOldSpelling(old)
  return oldValue
}

/** A required option that has an old spelling (commander cannot require either of two). */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new CliError(EXIT.USAGE, `required option '${flag}' not specified`)
  return value
}
