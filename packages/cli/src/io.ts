/**
 * Output and argument helpers shared by the commands: stdout with backpressure, strict integer
 * arguments, input files, and the progress bar on stderr.
 */
import { existsSync, readFileSync } from 'node:fs'
import { printableText } from '@liuhen/core'
import cliProgress from 'cli-progress'
import { CliError, EXIT } from './exit.js'

/**
 * Writes `text` to stdout, waiting for the stream to drain when its buffer is full. Every
 * command's output passes here, and most of it is event data, which a department chose: control
 * characters, escape sequences and bidirectional overrides are escaped, so none reaches an
 * auditor's terminal as such.
 */
export async function out(text: string): Promise<void> {
  if (process.stdout.write(printableText(text))) return
  await new Promise<void>((resolve) => process.stdout.once('drain', resolve))
}

/** Writes one line to stdout. */
export function line(text = ''): Promise<void> {
  return out(`${text}\n`)
}

/** Writes one JSON value as a line to stdout. */
export function jsonLine(value: unknown): Promise<void> {
  return out(`${JSON.stringify(value)}\n`)
}

/**
 * Parses a non-negative decimal integer argument (no signs, no exponents), else a usage error.
 * @example parseCount('index', '42') // 42
 */
export function parseCount(name: string, text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`
    throw new CliError(EXIT.USAGE, `${name} must be ${range}, got ${JSON.stringify(text)}`)
  }
  return value
}

/** Reads a text file named on the command line; a file that cannot be read is a usage error. */
export function readArgFile(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw new CliError(EXIT.USAGE, `cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause })
  }
}

/**
 * A key given as text, or as the name of a file holding it. Key texts always hold `+`
 * (`name+id+key`): a value without one is a file name, and a missing file is named as such.
 */
export function readKeyArg(what: string, value: string): string {
  return existsSync(value) || !value.includes('+') ? readArgFile(what, value).trim() : value.trim()
}

/** Formats a count with thousands separators: `2,593`. */
export const count = (n: number): string => n.toLocaleString('en-US')

/** A progress display; all methods are no-ops when disabled. */
export interface Progress {
  update(value: number, total?: number): void
  stop(): void
}

/**
 * Whether to show progress: `--progress` forces it, `--no-progress` turns it off, and by
 * default it shows when stderr is a terminal. Progress goes to stderr only.
 */
export function wantProgress(flag: boolean | undefined): boolean {
  return flag ?? process.stderr.isTTY === true
}

/** A progress bar on stderr (`unit` names what is counted), or a no-op when `enabled` is false. */
export function progressBar(enabled: boolean, total: number, unit: string): Progress {
  if (!enabled) return { update() {}, stop() {} }
  const format = total > 0 ? ` {bar} {percentage}% | {value}/{total} ${unit} | {eta_formatted}` : ` {value} ${unit}`
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, noTTYOutput: true, hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
  bar.start(total, 0)
  return {
    update(value, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal)
      bar.update(value)
    },
    stop() {
      bar.stop()
    },
  }
}
