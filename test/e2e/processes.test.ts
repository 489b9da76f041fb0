/**
 * Processes that meet: a `tail --follow` whose output nobody reads must not keep an `append`
 * from another process waiting, and an `append` stopped by SIGINT or SIGTERM finishes the
 * commit in flight, says what was acknowledged and exits 130 / 143.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, SAMPLE, ensureBuilt, extra, jsonLines, liuhen, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** `liuhen append` of one event from another process: its exit code and what it said on stderr. */
function appendOne(ledger: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'append', ledger], { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code) => resolve({ code, stderr }))
    child.stdin.end(extra(1, 9000))
  })
}

describe('a reader never blocks a writer', () => {
  for (const reader of [['tail', '--follow'], ['export']]) {
    it(`append succeeds while ${reader.join(' ')} writes into a pipe nobody reads`, async () => {
      const ledger = join(tempDir(), 'ledger')
      expect(liuhen(['init', ledger]).code).toBe(0)
      expect(liuhen(['append', ledger, SAMPLE]).code).toBe(0)
      // Far more output than a pipe and the stream buffers hold: the reader blocks writing it.
      expect(liuhen(['append', ledger], extra(3000)).code).toBe(0)
      const [command, ...flags] = reader as [string, ...string[]]
      const child = spawn(process.execPath, [BIN, command, ledger, ...flags], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      child.stdout.pause() // never read
      try {
        await sleep(1500)
        expect(child.exitCode).toBe(null) // still there, stuck on its output
        const r = await appendOne(ledger)
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
      } finally {
        child.kill('SIGKILL')
      }
    }, 60_000)
  }
})

describe('append stopped by a signal', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: finishes the commit in flight, reports what was acknowledged, exits ${status}`, async () => {
      const ledger = join(tempDir(), 'ledger')
      expect(liuhen(['init', ledger]).code).toBe(0)
      const child = spawn(process.execPath, [BIN, 'append', ledger, '--json', '--batch', '20'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })))
      let sent = false
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        // After three acknowledged commits, while more input is on its way.
        if (!sent && jsonLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).length >= 3) {
          sent = true
          child.kill(signal)
        }
      })
      // Input keeps coming in chunks until the signal (then the child stops reading it).
      child.stdin.on('error', () => undefined) // EPIPE once it is gone
      let from = 1
      while (!sent && from < 20_000) {
        if (!child.stdin.write(extra(20, from))) await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited])
        from += 20
        await sleep(5)
      }
      const end = await exited
      child.stdin.destroy()
      expect(end, stderr).toEqual({ code: status, signal: null })
      expect(stderr).toMatch(new RegExp(`^liuhen: interrupted by ${signal}: indexes 0-\\d+ were appended and acknowledged; the rest of the input was not appended\\n$`))
      const commits = jsonLines(stdout) as { size: number; last: number }[]
      const acknowledged = (commits.at(-1) as { size: number }).size
      expect(stderr).toContain(`indexes 0-${acknowledged - 1} `)
      // The ledger holds exactly what was acknowledged, and verifies.
      expect(liuhen(['export', ledger]).stdout.trim().split('\n')).toHaveLength(acknowledged)
      expect(liuhen(['verify', ledger]).code).toBe(0)
    }, 60_000)
  }

  it('SIGINT with half a line read: the fragment is dropped, not refused as bad input', async () => {
    const ledger = join(tempDir(), 'ledger')
    expect(liuhen(['init', ledger]).code).toBe(0)
    const child = spawn(process.execPath, [BIN, 'append', ledger, '--json', '--batch', '1'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const acknowledged = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        if (stdout.split('\n').length > 2) resolve() // two commits printed
      }),
    )
    // Two whole lines, then the first half of a third, cut inside a multi-byte character.
    const third = Buffer.from(extra(1, 3).replace('"id"', '"note":"留痕","id"'))
    child.stdin.write(extra(2))
    child.stdin.write(third.subarray(0, third.indexOf(Buffer.from('留')) + 1))
    await acknowledged
    await sleep(200) // the fragment is read and held
    child.kill('SIGINT')
    expect(await exited, stderr).toBe(130)
    child.stdin.destroy()
    expect(stderr).toBe('liuhen: interrupted by SIGINT: indexes 0-1 were appended and acknowledged; the rest of the input was not appended\n')
  }, 60_000)
})
