/**
 * Strict JSON text: what `JSON.parse` reads, minus what it would silently change. JSON.parse keeps
 * the last of repeated keys and rounds integers beyond 2^53 to the nearest double; both would
 * store a value other than the one submitted, so both are refused here, with the field's path.
 * Nesting is bounded as events are (limits.ts).
 *
 * Why not a strict parser from npm: those that refuse repeated keys or keep big integers
 * (lossless-json, json-dup-key-validator) parse by recursion and far slower than JSON.parse.
 * Here JSON.parse does the parsing and the syntax errors; one loop over the text, with no
 * recursion and no values built, finds what it cannot see.
 */
import { LedgerError } from './error.js'
import { MAX_EVENT_DEPTH } from './limits.js'
import { showText } from './show.js'

/** An open object or list while the text is scanned. */
interface Frame {
  /** The keys seen so far (objects), or undefined for a list. */
  keys: Set<string> | undefined
  /** The current key or index: the path segment of the value being read. */
  at: string | number
  /** Objects: the next string is a key. */
  wantKey: boolean
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

function pathOf(stack: readonly Frame[]): string {
  let path = ''
  for (const f of stack) {
    if (typeof f.at === 'number') path += `[${f.at}]`
    else if (IDENTIFIER.test(f.at)) path += path === '' ? f.at : `.${f.at}`
    else path += `[${JSON.stringify(f.at)}]`
  }
  return path
}

function refuse(problem: string, stack: readonly Frame[]): never {
  const path = pathOf(stack)
  throw new LedgerError('INPUT_INVALID', `${path === '' ? '' : `${showText(path)}: `}${problem}`, { path })
}

/** Index of the quote that closes the string opening at `start - 1`; whether it held a `\`. */
function stringEnd(text: string, start: number): { end: number; escaped: boolean } {
  let i = start
  let escaped = false
  for (;;) {
    const q = text.indexOf('"', i)
    const b = text.indexOf('\\', i)
    if (b === -1 || b > q) return { end: q, escaped }
    escaped = true
    i = b + 2
  }
}

/** Whether `c` can be part of a JSON number: `-+.0-9eE`. */
const isNumberChar = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45

/**
 * Parses JSON `text` as `JSON.parse` does, refusing (`INPUT_INVALID`, `details.path`) what
 * JSON.parse would change without a word: a key repeated in one object, a number beyond
 * ±(2^53−1) (an integer a double cannot hold exactly), and nesting deeper than `maxDepth`
 * objects and lists. Syntax errors are `INPUT_INVALID` too, their text escaped and truncated.
 * @example parseStrictJson('{"a": 1, "a": 2}') // throws INPUT_INVALID: a: repeated key
 */
export function parseStrictJson(text: string, maxDepth = MAX_EVENT_DEPTH): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    // V8's message quotes the input: shown escaped and truncated, like any input.
    throw new LedgerError('INPUT_INVALID', `invalid JSON (${showText((cause as Error).message, 120)})`, { path: '' }, { cause })
  }
  checkStrict(text, maxDepth)
  return value
}

/** The scan of text JSON.parse accepted (so its syntax is known good). */
function checkStrict(text: string, maxDepth: number): void {
  const stack: Frame[] = []
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    const top = stack[stack.length - 1]
    if (c === 0x22) {
      // "
      const { end, escaped } = stringEnd(text, i + 1)
      if (top?.keys && top.wantKey) {
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end)
        top.at = key
        top.wantKey = false
        if (top.keys.has(key)) refuse('a key repeated in the same object (JSON would keep only the last)', stack)
        top.keys.add(key)
      }
      i = end
    } else if (c === 0x7b || c === 0x5b) {
      // { [
      if (stack.length >= maxDepth) refuse(`nesting deeper than ${maxDepth}`, stack)
      stack.push(c === 0x7b ? { keys: new Set(), at: '', wantKey: true } : { keys: undefined, at: 0, wantKey: false })
    } else if (c === 0x7d || c === 0x5d) stack.pop()
    else if (c === 0x2c && top) {
      // ,
      if (top.keys) top.wantKey = true
      else top.at = (top.at as number) + 1
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1
      while (j < n && isNumberChar(text.charCodeAt(j))) j++
      const literal = text.slice(i, j)
      if (Math.abs(Number(literal)) > Number.MAX_SAFE_INTEGER) refuse(`${showText(literal, 40)} is beyond ±(2^53−1): JSON would store it rounded`, stack)
      i = j - 1
    }
  }
}
