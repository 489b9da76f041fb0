/**
 * A careless operator: folder names with spaces and non-ASCII characters, damaged key files,
 * a missing temporary folder. Each gets a clear one-line error with the right exit code, or works.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, ensureBuilt, extra, liuhen, ROOT, SAMPLE, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

describe('a ledger folder whose name holds spaces and non-ASCII characters', () => {
  it('init and simulate give it a valid default origin and it verifies', () => {
    const base = join(tempDir(), '审计 台账+1')
    mkdirSync(base)
    const ledger = join(base, '留痕 台账')
    const init = liuhen(['init', ledger])
    expect(init.code, init.stderr).toBe(0)
    expect(init.stdout).toMatch(/^liuhen\.local\/留痕-台账\+[0-9a-f]{8}\+/)
    const sim = liuhen(['simulate', join(base, 'sim ledger+x'), '--days', '1', '--access-scale', '0.002', '--no-progress'])
    expect(sim.code, sim.stderr).toBe(0)
    expect(readFileSync(join(base, 'sim ledger+x', 'ledger.vkey'), 'utf8')).toMatch(/^liuhen\.local\/sim-ledger-x\+/)
    expect(liuhen(['verify', join(base, 'sim ledger+x')]).code).toBe(0)
  })
})

describe("a damaged signer.key (truncated, empty, another ledger's)", () => {
  it('reading commands still read; append refuses naming signer.key, exit 1, nothing appended', () => {
    const base = tempDir()
    const ledger = join(base, 'ledger')
    expect(liuhen(['init', ledger]).code).toBe(0)
    expect(liuhen(['append', ledger, SAMPLE]).code).toBe(0)
    expect(liuhen(['init', join(base, 'other')]).code).toBe(0)
    const good = readFileSync(join(ledger, 'signer.key'), 'utf8')
    const damages = { truncated: good.slice(0, 20), empty: '', other: readFileSync(join(base, 'other', 'signer.key'), 'utf8') }
    for (const [what, text] of Object.entries(damages)) {
      const copy = join(base, what)
      cpSync(ledger, copy, { recursive: true })
      writeFileSync(join(copy, 'signer.key'), text)
      for (const args of [
        ['checkpoint', copy],
        ['tail', copy],
        ['prove', 'inclusion', copy, '3'],
      ]) {
        const r = liuhen(args)
        expect(r.code, `${what}: ${args[0]}: ${r.stderr}`).toBe(0)
      }
      const a = liuhen(['append', copy], extra(1))
      expect(a.code, `${what}: ${a.stderr}`).toBe(1)
      expect(a.stderr).toMatch(/^liuhen: the ledger can be read but not signed for: its signer\.key is damaged \(.+\); nothing appended\n$/)
      expect(liuhen(['export', copy]).stdout.trim().split('\n')).toHaveLength(113)
    }
    // A FIFO in the key's place: no command hangs on it.
    const fifo = join(base, 'fifo')
    cpSync(ledger, fifo, { recursive: true })
    rmSync(join(fifo, 'signer.key'))
    expect(spawnSync('mkfifo', [join(fifo, 'signer.key')]).status).toBe(0)
    const read = spawnSync(process.execPath, [BIN, 'checkpoint', fifo], { cwd: ROOT, encoding: 'utf8', timeout: 8000 })
    expect(read.status, read.stderr).toBe(0)
    const a = spawnSync(process.execPath, [BIN, 'append', fifo], { cwd: ROOT, input: extra(1), encoding: 'utf8', timeout: 8000 })
    expect(a.status, a.stderr).toBe(1)
    expect(a.stderr).toMatch(/its signer\.key is damaged \(not a regular file\)/)
  })
})

describe('two demos into one folder', () => {
  it('the second does not replace the folder while the first is writing it (exit 3); the first finishes', async () => {
    const dir = join(tempDir(), 'demo')
    const args = ['demo', '--dir', dir, '--days', '4', '--access-scale', '0.005', '--no-progress']
    const first = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let firstErr = ''
    first.stderr.on('data', (d: Buffer) => (firstErr += d.toString()))
    const firstDone = new Promise<number | null>((resolve) => first.on('exit', resolve))
    // Its marker is written once its ledger is open: from then on it holds the store.
    for (let i = 0; i < 200 && !existsSync(join(dir, '.liuhen-demo')); i++) await sleep(20)
    const second = liuhen(args)
    expect(second.code, second.stderr).toBe(3)
    expect(second.stderr).toMatch(/^liuhen: .* is in use by another process .*\n$/)
    expect(await firstDone, firstErr).toBe(0)
    expect(liuhen(['verify', dir]).code).toBe(0)
  }, 20_000)
})

describe('a directory given to append as its input', () => {
  it('as the file or as stdin: exit 2 saying so, no stack trace, nothing appended', () => {
    const base = tempDir()
    const ledger = join(base, 'ledger')
    expect(liuhen(['init', ledger]).code).toBe(0)
    const file = liuhen(['append', ledger, base])
    expect(file.code, file.stderr).toBe(2)
    expect(file.stderr).toBe(`liuhen: cannot read input ${base}: EISDIR\n`)
    const fd = openSync(base, 'r')
    try {
      const stdin = spawnSync(process.execPath, [BIN, 'append', ledger, '-'], { cwd: ROOT, stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' })
      expect(stdin.status, stdin.stderr).toBe(2)
      expect(stdin.stderr).toBe('liuhen: cannot read input from stdin: it is a directory\n')
    } finally {
      closeSync(fd)
    }
    expect(liuhen(['checkpoint', ledger]).stdout.split('\n')[1]).toBe('0')
  })
})

describe('a --key naming a file that is not there', () => {
  it('says the file cannot be read (exit 2), not that key text is malformed', () => {
    const ledger = join(tempDir(), 'ledger')
    expect(liuhen(['init', ledger]).code).toBe(0)
    const missing = join(ledger, 'missing.vkey')
    const r = liuhen(['verify', ledger, '--key', missing])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`liuhen: cannot read key ${missing}: ENOENT\n`)
    expect(liuhen(['verify', ledger, '--key', join(ledger, 'ledger.vkey')]).code).toBe(0)
  })
})

describe('a ledger made in an empty directory', () => {
  it('simulate fills an empty directory; init and simulate refuse the current one (exit 2) saying how', () => {
    const base = tempDir()
    const empty = join(base, 'empty')
    mkdirSync(empty)
    const sim = liuhen(['simulate', empty, '--days', '1', '--access-scale', '0.002', '--no-progress'])
    expect(sim.code, sim.stderr).toBe(0)
    expect(liuhen(['verify', empty]).code).toBe(0)
    const here = join(base, 'here')
    mkdirSync(here)
    for (const args of [
      ['init', '.'],
      ['simulate', '.', '--days', '1'],
    ]) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: here, encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(2)
      expect(r.stderr).toBe('liuhen: cannot create a ledger in the current directory: run the command from its parent, naming it "here"\n')
    }
  })
})

describe('temporary files of writers killed midway', () => {
  it('the next writer removes the stale .checkpoint.*.tmp files and nothing else', () => {
    const ledger = join(tempDir(), 'ledger')
    expect(liuhen(['init', ledger, '--format', '1']).code).toBe(0)
    const stale = join(ledger, '.checkpoint.99999-0a1b2c3d.tmp')
    const other = join(ledger, 'notes.tmp')
    writeFileSync(stale, 'half a check')
    writeFileSync(other, 'the operator’s')
    expect(liuhen(['append', ledger], extra(2)).code).toBe(0)
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(other)).toBe(true)
    expect(liuhen(['verify', ledger]).code).toBe(0)
  })
})
