/**
 * JSON Lines input read as bytes: each line is checked for length while it is read (before it
 * is buffered, so an endless line such as /dev/zero costs bounded memory and fails fast) and
 * decoded as strict UTF-8 (bytes that are not UTF-8 are refused, never replaced by U+FFFD).
 * `readline` could do neither: it buffers a whole line first, and decodes leniently.
 */
import { LedgerError, MAX_LINE_BYTES } from '@liuhen/core'
import { count } from './io.js'

/** One line of input: its text (without the line break), 1-based number and size in bytes. */
export interface InputLine {
  text: string
  no: number
  /** Bytes the line took, its line break counted. */
  bytes: number
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function decode(bytes: Uint8Array, no: number): string {
  try {
    return decoder.decode(bytes)
  } catch (cause) {
    throw new LedgerError('INPUT_INVALID', `line ${no}: bytes that are not UTF-8`, { line: no }, { cause })
  }
}

/**
 * The lines of `input` (split at `\n`; a `\r` before it stays in the text, where JSON counts it
 * as whitespace). Throws `INPUT_TOO_LARGE` naming the line as soon as one is longer than
 * `maxBytes`, and `INPUT_INVALID` for a line that is not UTF-8.
 */
export async function* readLines(input: AsyncIterable<Uint8Array | string>, maxBytes = MAX_LINE_BYTES): AsyncGenerator<InputLine> {
  let parts: Uint8Array[] = []
  let held = 0
  let no = 0
  const tooLong = (): never => {
    throw new LedgerError('INPUT_TOO_LARGE', `line ${no + 1}: longer than ${count(maxBytes)} bytes`, { line: no + 1, limit: maxBytes })
  }
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start)
      const end = nl === -1 ? buf.length : nl
      if (held + (end - start) > maxBytes) tooLong()
      // A copy, not a view: the stream may reuse the chunk's memory.
      parts.push(Uint8Array.prototype.slice.call(buf, start, end))
      held += end - start
      if (nl === -1) break
      const line = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, held)
      no++
      yield { text: decode(line, no), no, bytes: held + 1 }
      parts = []
      held = 0
      start = nl + 1
    }
  }
  if (held > 0) {
    no++
    const line = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, held)
    yield { text: decode(line, no), no, bytes: held }
  }
}
