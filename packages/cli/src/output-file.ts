/**
 * Every file the command line writes (bundles, keys, witness state, the simulator's files, the
 * verifier key beside a ledger) goes through {@link writeOutput}: written aside, fsynced and
 * renamed into place, so a full disk, a crash or a kill never leaves a truncated file where a
 * good one was. A failure names the operating system's cause (`ENOSPC`, …) and exits 3.
 */
import { writeFileAtomic, type AtomicWriteOptions } from '@liuhen/ledger'
import { CliError, EXIT } from './exit.js'

/** `ENOSPC: no space left on device` from a Node error, else its text. */
export function describeFault(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (typeof e?.code === 'string' && typeof e.message === 'string') return e.message.startsWith(e.code) ? (e.message.split(',')[0] as string) : `${e.code}: ${e.message}`
  return String(err)
}

/**
 * Writes `data` to `file` atomically ({@link writeFileAtomic}); fails with exit 3 naming the
 * cause. With `exclusive`, an existing file is refused with exit 2 (`refusal` says why).
 * @example await writeOutput('bundle.json', text)
 */
export async function writeOutput(file: string, data: string, options: Omit<AtomicWriteOptions, 'fs'> & { refusal?: string } = {}): Promise<void> {
  const { refusal, ...atomic } = options
  try {
    await writeFileAtomic(file, data, atomic)
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST' && options.exclusive) throw new CliError(EXIT.USAGE, `${file} exists; ${refusal ?? 'refusing to overwrite it'}`, { cause })
    throw new CliError(EXIT.RUNTIME, `cannot write ${file}: ${describeFault(cause)}`, { cause })
  }
}
