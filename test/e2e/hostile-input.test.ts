/**
 * Input an attacker or a careless platform could send through `liuhen append`: every one is
 * refused with exit 2, one short line naming the input line, nothing appended, and no stack
 * trace; and a chain thousands of links long prints.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, ensureBuilt, extra, jsonLines, liuhen, ROOT, tempDir, type Run } from './helpers.js'

let ledger = ''

/** Runs `liuhen args...` with raw bytes on stdin (the helper's input is text). */
function liuhenBytes(args: string[], input: Buffer): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const size = (dir = ledger): number => Number(liuhen(['checkpoint', dir]).stdout.split('\n')[1])

const org = (id: string, extraData: string): string =>
  `{"id":"${id}","type":"org.registered","at":"2026-03-01T09:00:00+08:00","actor":{"dept":"district.data-bureau"},"data":{"org":"community.x","name":"X","level":"community"${extraData}}}`

/** The run was refused as bad input: exit 2, one line on stderr, short, no control characters. */
function expectRefused(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(pattern)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.stderr.length).toBeLessThan(600)
  expect([...r.stderr].some((c) => c !== '\n' && c.charCodeAt(0) < 0x20)).toBe(false)
  expect(r.stderr).not.toMatch(/ at .*\.js:\d+/)
}

beforeAll(() => {
  ensureBuilt()
  ledger = join(tempDir(), 'ledger')
  expect(liuhen(['init', ledger]).code).toBe(0)
  expect(liuhen(['append', ledger], extra(2)).code).toBe(0)
}, 120_000)

describe('append refuses hostile input', { timeout: 120_000 }, () => {
  it('a 10,000-deep object: exit 2 naming the line and path, no stack overflow', () => {
    const deep = '{"x":'.repeat(10_000) + '{}' + '}'.repeat(10_000)
    const r = liuhen(['append', ledger], `${extra(1, 100)}${org('deep-1', `,"deep":${deep}`)}\n`)
    expectRefused(r, /^liuhen: line 2: data\.deep(\.x)+: nesting deeper than 32; nothing appended/)
    expect(size()).toBe(2)
  })

  it('an endless line (/dev/zero): exit 2 naming the line, after reading a bounded amount', () => {
    const r = liuhen(['append', ledger, '/dev/zero'])
    expectRefused(r, /^liuhen: line 1: longer than 1,048,576 bytes; nothing appended/)
  })

  it('a repeated key, an integer beyond 2^53 and bytes that are not UTF-8, each naming the line', () => {
    expectRefused(liuhen(['append', ledger], `${extra(1, 110)}${org('dup-1', ',"name":"Y"')}\n`), /^liuhen: line 2: data\.name: a key repeated/)
    expectRefused(liuhen(['append', ledger], `\n${org('big-1', ',"rows":9007199254740993')}\n`), /^liuhen: line 2: data\.rows: 9007199254740993 is beyond/)
    const latin1 = Buffer.concat([Buffer.from(`${extra(1, 120)}${org('enc-1', ',"note":"caf')}`), Buffer.from([0xe9]), Buffer.from('"}\n')])
    expectRefused(liuhenBytes(['append', ledger], latin1), /^liuhen: line 2: bytes that are not UTF-8; nothing appended/)
    expect(size()).toBe(2)
  })

  it('an id holding escape sequences and a 100 KB value are escaped and truncated', () => {
    const esc = '\\u001b[2J\\u001b]0;owned\\u0007'
    expectRefused(liuhen(['append', ledger], `${org(`${esc}org`, '')}\n`), /^liuhen: line 1: id: /)
    expectRefused(liuhen(['append', ledger], `${org('big-type', '').replace('org.registered', 'x'.repeat(30_000))}\n`), /^liuhen: line 1 \(id big-type\): type: /)
    expectRefused(liuhen(['append', ledger], `${org('i'.repeat(100_000), '')}\n`), /^liuhen: line 1 \(id i+…\): its entry would take/)
    expectRefused(liuhen(['append', ledger], `${org('big-key', `,"${'k'.repeat(100_000)}":1,"${'k'.repeat(100_000)}":2`)}\n`), /^liuhen: line 1: data\.k+…: a key repeated/)
    const r = liuhen(['chain', ledger, '\u001b[31mno-such-id\u0007'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('\\u001b[31mno-such-id\\u0007')
    expect(r.stderr.includes('\u001b')).toBe(false)
    expect(size()).toBe(2)
  })
})

describe('a long chain', { timeout: 300_000 }, () => {
  it('of 5,000 linked events builds and prints (iteratively), human and --json', () => {
    const dir = join(tempDir(), 'chain')
    expect(liuhen(['init', dir]).code).toBe(0)
    const data = '{"resource":"res.x","name":"X","owner":"district.x","items":[{"name":"a"}],"sharing":"unconditional","grade":"general"}'
    const lines = [`{"id":"cat-0","type":"catalogue.registered","at":"2026-01-06T15:10:00+08:00","actor":{"dept":"district.x"},"data":${data}}`]
    for (let i = 1; i < 5000; i++) {
      lines.push(`{"id":"cat-${i}","type":"catalogue.updated","at":"2026-01-06T15:10:00+08:00","actor":{"dept":"district.x"},"refs":{"previous":"cat-${i - 1}"},"data":${data}}`)
    }
    const file = join(dir, 'chain.jsonl')
    writeFileSync(file, lines.join('\n') + '\n')
    expect(liuhen(['append', dir, file]).code).toBe(0)
    const r = liuhen(['chain', dir, 'cat-4999'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Result: VERIFIED: 5000 links/)
    expect(r.stdout).toMatch(/\[depth 4999\] previous: cat-0 /)
    // Indentation stops: the output grows with the links, not with their square.
    expect(r.stdout.length).toBeLessThan(5000 * 400)
    const json = JSON.parse(liuhen(['chain', dir, 'cat-4999', '--json']).stdout) as { ok: boolean; chain: unknown[] }
    expect(json.ok).toBe(true)
    expect(json.chain).toHaveLength(5000)
  })
})

describe('what a department wrote reaches the auditor as text', { timeout: 120_000 }, () => {
  it('tail, stats and chain print escape sequences and bidirectional overrides escaped, and JSON keeps their value', () => {
    const dir = join(tempDir(), 'escapes')
    expect(liuhen(['init', dir]).code).toBe(0)
    // A title that clears the screen, sets the window title and reverses the reading order.
    const name = 'Civil\u001b[2J\u001b]0;owned\u0007\u202eaffairs\u009b'
    const event = { id: 'org-esc', type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'district.data-bureau' }, data: { org: 'district.esc', name, level: 'district' } }
    expect(liuhen(['append', dir], JSON.stringify(event) + '\n').code).toBe(0)
    // eslint-disable-next-line no-control-regex -- the characters that must not reach a terminal
    const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/
    const outputs = [
      ['tail', dir],
      ['chain', dir, 'org-esc'],
      ['chain', dir, 'org-esc', '--json'],
      ['stats', dir],
    ].map((args) => {
      const r = liuhen(args)
      expect(r.code, args.join(' ')).toBe(0)
      expect(unsafe.test(r.stdout), args.join(' ')).toBe(false)
      return r.stdout
    })
    // tail prints JSON lines: the escaped text parses back to what was appended.
    expect(outputs[0]).toContain('Civil\\u001b[2J')
    expect(jsonLines(outputs[0]!)[0].event.data.name).toBe(name)
    expect(JSON.parse(outputs[2]!).event.data.name).toBe(name)
  })
})
