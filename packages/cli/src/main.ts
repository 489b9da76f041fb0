/**
 * Entry point of the `liuhen` command: parses argv, runs the command, and maps what it throws
 * to an exit code and a one-line `liuhen: <message>` on stderr (DESIGN.md "The command line").
 */
import { CommanderError } from 'commander'
import { EXIT, exitCodeOf, messageOf, type ExitCode } from './exit.js'
import { describeFault } from './output-file.js'
import { buildProgram } from './program.js'

/** Exit code for commander's own outcomes: help and version are success, the rest usage errors. */
function commanderExit(err: CommanderError): ExitCode {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK
  // `liuhen` or `liuhen prove` without a subcommand: help was shown on stderr.
  if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') return EXIT.USAGE
  return EXIT.USAGE
}

/**
 * Runs the command line `argv` (as in `process.argv`) and resolves with the exit code; never
 * rejects.
 * @example process.exitCode = await main(process.argv)
 */
export async function main(argv: readonly string[] = process.argv): Promise<ExitCode> {
  // A closed pipe (`liuhen export dir | head`) ends the output quietly; any other failure of
  // the output (a full disk: ENOSPC) is named and exits 3, not an uncaught exception.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.OK)
    process.stderr.write(`liuhen: cannot write the output: ${describeFault(err)}\n`)
    process.exit(EXIT.RUNTIME)
  })
  try {
    await buildProgram().parseAsync([...argv])
    return EXIT.OK
  } catch (err) {
    if (err instanceof CommanderError) {
      const code = commanderExit(err)
      if (code !== EXIT.OK && err.code !== 'commander.help') process.stderr.write(`liuhen: ${err.message.replace(/^error: /, '')}\n`)
      return code
    }
    const code = exitCodeOf(err)
    const message = messageOf(err)
    if (message !== '') process.stderr.write(`liuhen: ${message}\n`)
    return code
  }
}
