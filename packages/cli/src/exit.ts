/**
 * Exit codes of the `liuhen` command (DESIGN.md "The command line") and the mapping from errors
 * to them. Codes of LedgerError are stable, so the mapping keys on them, never on messages.
 */
import { errorKind, isLedgerError, showText } from '@liuhen/core'

/**
 * 0 success, 1 verification failed, 2 bad usage or input, 3 runtime or I/O error; a command
 * stopped by a signal ends as shells report one, 128 + its number: 130 SIGINT, 143 SIGTERM.
 */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, RUNTIME: 3, SIGINT: 130, SIGTERM: 143 } as const

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/**
 * An error raised by the command line itself, with the exit code it should end with. An empty
 * message prints nothing on stderr (the command already reported, e.g. a failed audit).
 * @example throw new CliError(EXIT.USAGE, '--batch must be between 1 and 10000')
 */
export class CliError extends Error {
  override readonly name: string = 'CliError'
  readonly exitCode: ExitCode

  constructor(exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.exitCode = exitCode
  }
}

/** Exit codes of the kinds of error (core's `errorKind`, which the service maps to HTTP statuses). */
const EXIT_OF_KIND = { refused: EXIT.USAGE, failed: EXIT.FAILED, environment: EXIT.RUNTIME } as const

/**
 * The exit code for an error thrown by a command: {@link CliError} carries its own; coded
 * LedgerErrors map by code (input, encoding, key, note and checkpoint codes → 2; proof failures
 * and damaged data → 1; environment failures, other store and ledger codes and anything else →
 * 3); commander's usage errors → 2.
 */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode
  if (isLedgerError(err)) return EXIT_OF_KIND[errorKind(err.code)]
  return EXIT.RUNTIME
}

/** Most characters of an error message printed: enough for any of ours, never a whole input. */
export const MAX_MESSAGE_CHARS = 500

/**
 * The one-line text printed after `liuhen: ` for an error: its first line, escaped (no control
 * character or escape sequence from input reaches the terminal) and truncated.
 */
export function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  const line = showText(text.split('\n')[0] ?? '', MAX_MESSAGE_CHARS)
  // Unexpected errors (not coded) keep their class name: it tells a bug from a refusal.
  if (err instanceof Error && !(err instanceof CliError) && !isLedgerError(err) && err.name !== 'Error') return `${err.name}: ${line}`
  return line
}
