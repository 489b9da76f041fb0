/**
 * SIGINT and SIGTERM during a command that commits (`append`): the first signal stops the
 * command from starting anything new while the commit in flight finishes (a LevelDB batch is
 * all or nothing, and it is fsynced before it is acknowledged); the command then reports what
 * was acknowledged and exits with the shell's status for the signal, 128 + its number (130 for
 * SIGINT, 143 for SIGTERM). A second signal exits at once: what was acknowledged stays durable.
 */
import { PassThrough, type Readable } from 'node:stream'
import { CliError, EXIT } from './exit.js'

const STATUS = { SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM } as const
type Caught = keyof typeof STATUS

/** A watch on SIGINT and SIGTERM for the lifetime of one command. */
export interface Interruption {
  /** The signal received, once one was. */
  readonly signal: Caught | undefined
  /** The error to end the command with after a signal (its message says `done`), else undefined. */
  error(done: string): CliError | undefined
  /** Stops watching: the default handling of the signals is back. */
  dispose(): void
}

/**
 * `input` through a stream that {@link StoppableInput.stop} ends: its reader sees the end of
 * the input (what was already read still reaches it), and nothing more is read from `input`.
 * Destroying `input` itself would not do: readline waits for an 'end' that never comes.
 */
export interface StoppableInput {
  readonly stream: Readable
  stop(): void
}

/** Wraps `input` so that it can be ended early ({@link StoppableInput}). */
export function stoppableInput(input: Readable): StoppableInput {
  const stream = new PassThrough()
  input.pipe(stream)
  input.on('error', (err) => stream.destroy(err))
  // The input may fail before anyone reads `stream` (a directory named as the input fails its
  // first read while the ledger opens): the error stays on `stream` for its reader to throw, not
  // an unhandled 'error' event that kills the process with a stack trace.
  stream.on('error', () => {})
  return {
    stream,
    stop() {
      input.unpipe(stream)
      input.pause()
      stream.end()
    },
  }
}

/**
 * Watches SIGINT and SIGTERM; on the first, calls `stop` (e.g. to stop reading input).
 * @example const interruption = watchInterruption(() => input.destroy())
 */
export function watchInterruption(stop: () => void): Interruption {
  let signal: Caught | undefined
  const on = (received: Caught): void => {
    if (signal !== undefined) {
      process.stderr.write(`liuhen: ${received} again: exiting now; every acknowledged event is durable\n`)
      process.exit(STATUS[received])
    }
    signal = received
    stop()
  }
  process.on('SIGINT', on)
  process.on('SIGTERM', on)
  return {
    get signal() {
      return signal
    },
    error(done) {
      return signal === undefined ? undefined : new CliError(STATUS[signal], `interrupted by ${signal}: ${done}`)
    },
    dispose() {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
    },
  }
}
