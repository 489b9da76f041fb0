/** The `liuhen` commander program: every command, with one-line descriptions for `--help`. */
import { Command } from 'commander'
import { appendCommand } from './append.js'
import { bundleCommand, verifyBundleCommand } from './bundle.js'
import { chainCommand } from './chain.js'
import { checkpointCommand } from './checkpoint.js'
import { demoCommand } from './demo.js'
import { exportCommand } from './export.js'
import { findingsCommand } from './findings.js'
import { initCommand } from './init.js'
import { keygenCommand } from './keygen.js'
import { serveCommand } from './serve.js'
import { tokenCommand } from './token.js'
import { migrateCommand } from './migrate.js'
import { proveCommand } from './prove.js'
import { queryCommand } from './query.js'
import { simulateCommand } from './simulate.js'
import { statsCommand } from './stats.js'
import { tailCommand } from './tail.js'
import { verifyCommand } from './verify.js'
import { witnessCommand } from './witness.js'

/** Version printed by `liuhen --version`. */
export const VERSION = '0.1.0'

/**
 * Applies the CLI's settings to `command` and all its subcommands: commander throws instead
 * of exiting (main.ts maps errors to exit codes) and prints no error text of its own.
 */
function configure(command: Command, writeErr: (text: string) => void): void {
  command.exitOverride()
  command.configureOutput({ outputError: () => {}, writeErr })
  command.showSuggestionAfterError(true)
  for (const sub of command.commands) configure(sub, writeErr)
}

/**
 * Builds the `liuhen` program. `parseAsync` throws on bad usage (a `CommanderError`) and on
 * command failures; see main.ts.
 * @example await buildProgram().parseAsync(['node', 'liuhen', 'checkpoint', 'my-ledger'])
 */
export function buildProgram(): Command {
  const program = new Command('liuhen')
    .description('Liuhen (留痕): a tamper-evident audit ledger for government data sharing')
    .version(VERSION)
    .addCommand(keygenCommand())
    .addCommand(initCommand())
    .addCommand(appendCommand())
    .addCommand(checkpointCommand())
    .addCommand(proveCommand())
    .addCommand(exportCommand())
    .addCommand(tailCommand())
    .addCommand(verifyCommand())
    .addCommand(bundleCommand())
    .addCommand(verifyBundleCommand())
    .addCommand(witnessCommand())
    .addCommand(migrateCommand())
    .addCommand(serveCommand())
    .addCommand(tokenCommand())
    .addCommand(chainCommand())
    .addCommand(queryCommand())
    .addCommand(findingsCommand())
    .addCommand(statsCommand())
    .addCommand(simulateCommand())
    .addCommand(demoCommand())
    .addHelpText('after', '\nExit codes: 0 success, 1 verification failed, 2 bad usage or input, 3 runtime or I/O error.')
  configure(program, (text) => process.stderr.write(text))
  return program
}
