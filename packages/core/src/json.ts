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
  // The quick scan finds nothing wrong in all but refused text; the full one says where.
  if (!quickScan(text, maxDepth, value)) {
    findProblem(text, maxDepth)
    // Unreachable while the two scans agree (the tests hold them to it): refuse rather than pass.
    throw new LedgerError('INPUT_INVALID', 'is not strict JSON', { path: '' })
  }
  return value
}

/**
 * Whether text JSON.parse read as `value` is strict, without naming where it is not: nesting
 * within `maxDepth`, numbers within ±(2^53−1), and as many keys in the text as in `value` (a
 * repeated key is one key fewer in the value). No sets, no strings built: it runs on every line.
 */
function quickScan(text: string, maxDepth: number, value: unknown): boolean {
  const isObject: boolean[] = []
  let keys = 0
  let wantKey = false
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      if (wantKey) keys++
      wantKey = false
      i = stringEnd(text, i + 1).end
    } else if (c === 0x7b || c === 0x5b) {
      if (isObject.length >= maxDepth) return false
      isObject.push(c === 0x7b)
      wantKey = c === 0x7b
    } else if (c === 0x7d || c === 0x5d) isObject.pop()
    else if (c === 0x2c) wantKey = isObject[isObject.length - 1] === true
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1
      let exponent = false
      for (; j < n; j++) {
        const d = text.charCodeAt(j)
        if (!isNumberChar(d)) break
        exponent ||= d === 0x65 || d === 0x45
      }
      // Fewer than 16 characters without an exponent cannot reach 2^53 (16 digits).
      if ((exponent || j - i >= 16) && Math.abs(Number(text.slice(i, j))) > Number.MAX_SAFE_INTEGER) return false
      i = j - 1
    }
  }
  return keys === countKeys(value)
}

/** Own keys of every object in `value` (nested at most as deep as the scan allowed). */
function countKeys(value: unknown): number {
  let keys = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object') continue
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x)
      continue
    }
    for (const k in v) {
      keys++
      const x = (v as Record<string, unknown>)[k]
      if (x !== null && typeof x === 'object') stack.push(x)
    }
  }
  return keys
}

/** The scan of text JSON.parse accepted (so its syntax is known good) that names the problem. */
function findProblem(text: string, maxDepth: number): void {
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
