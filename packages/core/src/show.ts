/**
 * Values from input shown in messages: ids and values are attacker-controlled, and a message
 * ends on a terminal or in a log. So a shown value is escaped (no control character, escape
 * sequence or bidirectional override reaches the reader as such) and truncated.
 */
import { MAX_SHOWN_CHARS } from './limits.js'

// DEL, C1 controls, line and paragraph separators, the bidirectional controls that can make text
// read in another order than it is stored, and lone surrogates.
const UNSAFE_BEYOND_C0 = String.raw`[\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`
// Those and every C0 control.
const UNSAFE = new RegExp(String.raw`[\x00-\x1f]|${UNSAFE_BEYOND_C0}`, 'g')
// The same, less tab and line feed: for whole outputs whose lines and columns are the tool's own.
const UNSAFE_IN_TEXT = new RegExp(String.raw`[\x00-\x08\x0b-\x1f]|${UNSAFE_BEYOND_C0}`, 'g')

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * `text` safe to print: unsafe characters as `\uXXXX`, and at most `max` characters of the
 * result, ending in `…` when cut (a surrogate pair is never split).
 * @example showText('acc-1\u001b[2J') // 'acc-1\\u001b[2J'
 */
export function showText(text: string, max = MAX_SHOWN_CHARS): string {
  // Only the head can be shown: escaping a 100 KB value whole would be wasted work.
  const head = text.length > max * 6 ? text.slice(0, max * 6) : text
  const safe = head.replace(UNSAFE, escape)
  if (safe.length <= max && head.length === text.length) return safe
  let cut = Math.max(0, max - 1)
  const last = safe.charCodeAt(cut - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut--
  return `${safe.slice(0, cut)}…`
}

/**
 * Any value from input, shown for a message: a string as {@link showText}, anything else as
 * its JSON (or its type when it has none), both escaped and truncated.
 */
export function showValue(value: unknown, max = MAX_SHOWN_CHARS): string {
  if (typeof value === 'string') return showText(value, max)
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch {
    json = undefined // a cycle, a bigint, nesting too deep for the stack
  }
  return showText(json ?? typeof value, max)
}

/**
 * Output for a terminal or a file, whole: every unsafe character of {@link showText} escaped as
 * `\uXXXX` except tab and line feed, nothing cut. JSON text stays JSON with the same value (such
 * characters only occur inside its strings, where `\uXXXX` means the same character).
 * @example printableText('dept.a\u001b]0;owned\u0007\n') // 'dept.a\\u001b]0;owned\\u0007\n'
 */
export function printableText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escape)
}

/**
 * Event-supplied text placed inside one line of human output (an id, a reference name, a role,
 * a finding's message): every unsafe character of {@link showText} escaped as `\uXXXX`, line
 * feed and tab included, nothing cut. A department's value then cannot end the line and start
 * one of its own (a forged `Result: VERIFIED`), while {@link printableText} keeps the tool's own
 * line breaks. Apply it to each line built from event data before the lines are joined.
 * @example inlineText('x\nResult: VERIFIED') // 'x\\u000aResult: VERIFIED'
 */
export function inlineText(text: string): string {
  return text.replace(UNSAFE, escape)
}
