/**
 * Damage and faults of a format-2 ledger (`log/` as tlog-tiles files, `index/` on LevelDB) named
 * for what they are: damaged files are exit 1 naming them, never "no ledger"; a ledger on
 * read-only media is read by every command that reads and nothing is written; one without its
 * signer key reads and says why it cannot append. Format 1's damage (LevelDB's files, the
 * published checkpoint beside `db/`) is in store-faults.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, SAMPLE, ensureBuilt, extra, liuhen, tempDir, type Run } from './helpers.js'
import { flipBits } from '../support/bytes.js'
import { tileFile } from './log-files.js'

beforeAll(() => ensureBuilt())

/** A format-2 ledger holding the sample (113 events). */
function sampleLedger(): string {
  const ledger = join(tempDir(), 'ledger')
  expect(liuhen(['init', ledger]).code).toBe(0)
  expect(liuhen(['append', ledger, SAMPLE]).code).toBe(0)
  expect(readdirSync(ledger).sort()).toEqual(['index', 'ledger.vkey', 'log', 'signer.key'])
  return ledger
}

/** Every file under `dir` (relative path → size and mtime), to see that nothing was written. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(join(dir, name))
    out[relative(dir, join(dir, name))] = `${s.size} ${s.mtimeMs}`
  }
  return out
}

/** Runs each command on `ledger` (with one event on stdin) and expects exit 1 with `stderr`. */
function expectDamaged(ledger: string, commands: string[][], stderr: RegExp): void {
  for (const args of commands) {
    const r = liuhen(args, extra(1, 900))
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1)
    expect(r.stderr, args.join(' ')).toMatch(stderr)
    expect(r.stderr, args.join(' ')).not.toMatch(/no ledger/)
  }
}

describe('a damaged format-2 ledger is named, exit 1', () => {
  it('a ledger whose log/ is gone is damaged, with or without its signer key; only a missing directory is "no ledger"', () => {
    const ledger = sampleLedger()
    rmSync(join(ledger, 'log'), { recursive: true })
    const missing = `liuhen: the ledger at ${ledger} is damaged: its store (${join(ledger, 'log')}, or ${join(ledger, 'db')} in format 1) is missing\n`
    for (const args of [
      ['verify', ledger],
      ['tail', ledger],
      ['append', ledger],
      ['query', ledger, '--resource', 'res.police.household'],
    ]) {
      const r = liuhen(args, extra(1))
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1)
      expect(r.stderr).toBe(missing)
    }
    // An auditor's copy has no signer key: its index still says a ledger was there.
    unlinkSync(join(ledger, 'signer.key'))
    const r = liuhen(['verify', ledger])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toBe(missing)
    const none = liuhen(['verify', join(tempDir(), 'none')])
    expect(none.code).toBe(3)
    expect(none.stderr).toMatch(/no ledger/)
  })

  it('a flipped byte in a level-0 tile: verify fails (exit 1) naming the entry whose hash it holds; entries still read', () => {
    const ledger = sampleLedger()
    const tile = tileFile(ledger, 0, 40)
    expect(relative(ledger, tile)).toBe(join('log', 'tile', '0', '000.p', '113'))
    const bytes = readFileSync(tile)
    flipBits(bytes, 40 * 32) // the first byte of leaf hash 40
    writeFileSync(tile, bytes)
    const r = liuhen(['verify', ledger, '--json'])
    expect(r.code, r.stderr).toBe(1)
    const report = JSON.parse(r.stdout)
    expect(report.ok).toBe(false)
    expect(report.failures).toContainEqual(expect.objectContaining({ code: 'AUDIT_NODE_MISMATCH', index: 40 }))
    expect(liuhen(['export', ledger]).stdout.trim().split('\n')).toHaveLength(113)
  })

  it('a missing entry bundle: verify, checkpoint, tail and append fail (exit 1) naming the entry the log lacks', () => {
    const ledger = sampleLedger()
    unlinkSync(tileFile(ledger, 'entries', 0))
    expectDamaged(
      ledger,
      [
        ['verify', ledger],
        ['checkpoint', ledger],
        ['tail', ledger],
        ['append', ledger],
      ],
      /^liuhen: entry (112, the last|bundle 0 of width 113,) .*is missing\n$/,
    )
  })

  it('a FIFO, a link to /dev/zero or a folder in place of log/checkpoint: exit 1 at once, no hang', () => {
    const ledger = sampleLedger()
    const file = join(ledger, 'log', 'checkpoint')
    const swaps: Record<string, () => void> = {
      fifo: () => expect(spawnSync('mkfifo', [file]).status).toBe(0),
      zero: () => symlinkSync('/dev/zero', file),
      folder: () => mkdirSync(file),
    }
    for (const [what, swap] of Object.entries(swaps)) {
      rmSync(file, { recursive: true, force: true })
      swap()
      for (const command of ['checkpoint', 'verify', 'append']) {
        const r = spawnSync(process.execPath, [BIN, command, ledger], { cwd: ROOT, input: extra(1), encoding: 'utf8', timeout: 8000 })
        expect(r.status, `${what}: ${command}: ${r.stderr}`).toBe(1)
        expect(r.stderr, `${what}: ${command}`).toMatch(/checkpoint/)
        expect(r.stderr.trim().split('\n'), `${what}: ${command}`).toHaveLength(1)
      }
    }
  })

  it('a lost or damaged log/checkpoint or log/.state/meta.json is damage (exit 1), not "no ledger"', () => {
    const commands = [['verify'], ['checkpoint'], ['tail'], ['append']]
    for (const [file, damage] of [
      ['checkpoint', 'lost'],
      ['checkpoint', 'cut'],
      [join('.state', 'meta.json'), 'lost'],
      [join('.state', 'meta.json'), 'cut'],
    ] as const) {
      const ledger = sampleLedger()
      const path = join(ledger, 'log', file)
      if (damage === 'lost') unlinkSync(path)
      else writeFileSync(path, readFileSync(path).subarray(0, 20))
      expectDamaged(
        ledger,
        commands.map(([c]) => [c as string, ledger]),
        /damaged|missing|is not a checkpoint|malformed/,
      )
    }
  })

  it('a damaged index (its MANIFEST lost) fails the commands that need it (exit 1), naming it; the log is read and verified without it', () => {
    const ledger = sampleLedger()
    for (const name of readdirSync(join(ledger, 'index')).filter((n) => n.startsWith('MANIFEST-'))) unlinkSync(join(ledger, 'index', name))
    expectDamaged(
      ledger,
      [
        ['query', ledger, '--resource', 'res.police.household'],
        ['chain', ledger, 'acc-2026-000001'],
        ['append', ledger],
      ],
      /^liuhen: the store at .*index is damaged: .*MANIFEST-\d+: No such file/,
    )
    expect(liuhen(['verify', ledger]).code).toBe(0)
    expect(liuhen(['tail', ledger]).stdout.trim().split('\n')).toHaveLength(113)
  })

  it('a lost index is rebuilt from the log: queries answer as before', () => {
    const ledger = sampleLedger()
    const question = ['query', ledger, '--resource', 'res.police.household', '--json']
    const before = liuhen(question)
    expect(before.code, before.stderr).toBe(0)
    expect(JSON.parse(before.stdout).accesses.length).toBeGreaterThan(0)
    rmSync(join(ledger, 'index'), { recursive: true })
    const after = liuhen(question)
    expect(after.code, after.stderr).toBe(0)
    expect(after.stdout).toBe(before.stdout)
    expect(liuhen(['append', ledger], extra(2)).code).toBe(0)
    expect(liuhen(['chain', ledger, 'acc-2026-000001']).code).toBe(0)
  })
})

describe('a format-2 ledger on read-only media', () => {
  // Root writes through file modes, so as root the commands run as `nobody` over files it owns
  // with every write bit cleared: the kernel then refuses writes as read-only media would.
  const asRoot = process.getuid?.() === 0
  const NOBODY = 65534

  /** A ledger as an auditor gets it: without the private key, `chmod -R a-w` (as root, owned by `nobody`). */
  function readOnlyLedger(): string {
    const ledger = sampleLedger()
    unlinkSync(join(ledger, 'signer.key'))
    chmodSync(join(ledger, '..'), 0o755) // temporary folders are 0700: let `nobody` in
    const names = ['', ...(readdirSync(ledger, { recursive: true }) as string[])].map((n) => join(ledger, n))
    if (asRoot) for (const name of names) chownSync(name, NOBODY, NOBODY)
    for (const name of names.reverse()) chmodSync(name, statSync(name).isDirectory() ? 0o555 : 0o444)
    return ledger
  }

  function run(args: string[], input = '', env: NodeJS.ProcessEnv = process.env): Run {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, env, encoding: 'utf8', ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  it('verify, checkpoint, prove, export, tail, findings and stats read the log; chain, query and bundle a private copy of the index; nothing is written', () => {
    const ledger = readOnlyLedger()
    const writable = tempDir()
    chmodSync(writable, 0o777)
    const before = listing(ledger)
    const commands = [
      ['verify', ledger],
      ['checkpoint', ledger],
      ['prove', 'inclusion', ledger, '3', '--json'],
      ['prove', 'consistency', ledger, '7', '--json'],
      ['export', ledger, '--to', '5'],
      ['tail', ledger, '--from', '110'],
      ['findings', ledger, '--json', '--no-progress'],
      ['stats', ledger, '--json'],
      ['chain', ledger, 'acc-2026-000001'],
      ['query', ledger, '--resource', 'res.police.household', '--json'],
      ['bundle', ledger, 'acc-2026-000001', '-o', join(writable, 'b.json')],
    ]
    for (const args of commands) {
      const r = run(args)
      expect([0, 1], `${args.join(' ')}: ${r.stderr}`).toContain(r.code) // findings may exit 1: it found some
      expect(r.stderr, args.join(' ')).not.toMatch(/cannot|no ledger|read-only|EACCES/)
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0)
    }
    expect(run(['verify', ledger]).stdout).toMatch(/VALID/)
    expect(JSON.parse(readFileSync(join(writable, 'b.json'), 'utf8')).format).toMatch(/liuhen-bundle/)
    expect(listing(ledger)).toEqual(before)
  })

  it('append says the ledger cannot be written (STORE_READ_ONLY, exit 3)', () => {
    const ledger = readOnlyLedger()
    const before = listing(ledger)
    const r = run(['append', ledger], extra(1))
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(/cannot be written|cannot write/)
    expect(r.stderr).toMatch(/EACCES|EROFS|EPERM/)
    expect(listing(ledger)).toEqual(before)
  })

  it('with TMPDIR naming a missing folder, the log is still read; the index copy a query needs fails naming that folder (exit 3)', () => {
    const ledger = readOnlyLedger()
    const env = { ...process.env, TMPDIR: join(tempDir(), 'missing') }
    expect(run(['verify', ledger], '', env).code).toBe(0)
    const r = run(['query', ledger, '--resource', 'res.police.household'], '', env)
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toBe(`liuhen: cannot copy the store at ${join(ledger, 'index')} to read it: the temporary folder ${env.TMPDIR} does not exist (set TMPDIR to a folder this user can write)\n`)
  })
})

describe('a format-2 ledger without its signer key', () => {
  it('reads, proves and prints its checkpoint (log/checkpoint); append says why it cannot (exit 3), not "no ledger"', () => {
    const ledger = sampleLedger()
    unlinkSync(join(ledger, 'signer.key'))
    expect(liuhen(['checkpoint', ledger]).stdout).toBe(readFileSync(join(ledger, 'log', 'checkpoint'), 'utf8'))
    expect(liuhen(['prove', 'inclusion', ledger, '3', '--json']).code).toBe(0)
    expect(liuhen(['verify', ledger]).code).toBe(0)
    expect(liuhen(['query', ledger, '--resource', 'res.police.household']).code).toBe(0)
    const r = liuhen(['append', ledger], extra(1))
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/can be read but not signed for: there is no signer\.key/)
    expect(r.stderr).not.toMatch(/no ledger/)
  })
})

describe('a format-2 log rolled back behind its index', () => {
  it('append and query refuse it naming both sizes (exit 1); verify with a held checkpoint fails', () => {
    const ledger = sampleLedger()
    // The log as it was at 113 entries, put back after 3 more were appended and indexed.
    const old = join(ledger, '..', 'log-at-113')
    cpSync(join(ledger, 'log'), old, { recursive: true })
    expect(liuhen(['append', ledger], extra(3)).code).toBe(0)
    const held = join(ledger, '..', 'held-116')
    writeFileSync(held, liuhen(['checkpoint', ledger]).stdout)
    rmSync(join(ledger, 'log'), { recursive: true })
    cpSync(old, join(ledger, 'log'), { recursive: true })
    expectDamaged(
      ledger,
      [
        ['append', ledger],
        ['query', ledger, '--resource', 'res.police.household'],
      ],
      /^liuhen: the log holds 113 entries, fewer than the 116 its index was built from/,
    )
    // The log alone is a consistent shorter history: only a checkpoint held elsewhere shows the rollback.
    expect(liuhen(['verify', ledger]).code).toBe(0)
    const v = liuhen(['verify', ledger, '--checkpoint', held])
    expect(v.code, v.stdout).toBe(1)
    expect(v.stdout).toMatch(/AUDIT_INCONSISTENT/)
    expect(liuhen(['export', ledger]).stdout.trim().split('\n')).toHaveLength(113) // nothing appended
  })
})
