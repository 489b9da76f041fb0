/** Error messages of the command line never echo raw input: escaped, one line, bounded. */
import { describe, expect, it } from 'vitest'
import { LedgerError } from '@liuhen/core'
import { MAX_MESSAGE_CHARS, messageOf } from '../src/exit.js'

describe('messageOf', () => {
  it('escapes control characters and escape sequences from input', () => {
    const id = '\u001b[2J\u001b]0;owned\u0007acc\u009b31m'
    expect(messageOf(new LedgerError<string>('QUERY_EVENT_NOT_FOUND', `no event ${id} in the log`))).toBe('no event \\u001b[2J\\u001b]0;owned\\u0007acc\\u009b31m in the log')
    expect(messageOf(new Error(`x\u001b[31m`))).toBe('x\\u001b[31m')
  })

  it('truncates a message that quotes a 100 KB value', () => {
    const shown = messageOf(new LedgerError('INPUT_INVALID', `line 1: ${'v'.repeat(100_000)}`))
    expect(shown.length).toBe(MAX_MESSAGE_CHARS)
    expect(shown.endsWith('…')).toBe(true)
  })
})
