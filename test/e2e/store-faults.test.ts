/**
 * Damage and faults of a format-1 ledger (`init --format 1`: LevelDB in `db/`, the published
 * `checkpoint` beside it) named for what they are: a damaged store is exit 1 with its cause, never
 * "no ledger"; a ledger on read-only media can be audited by every command that reads; a store
 * that reopened behind the checkpoint its ledger published fails `verify` and refuses `append`.
 * Format 2's are in store-faults-log.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, SAMPLE, ensureBuilt, extra, liuhen, tempDir, type Run } from './helpers.js'

beforeAll(() => ensureBuilt())

/** A format-1 ledger holding the sample (113 events) in table files. */
function sampleLedger(): string {
  const ledger = join(tempDir(), 'ledger')
  expect(liuhen(['init', ledger, '--format', '1']).code).toBe(0)
  expect(liuhen(['append', ledger, SAMPLE]).code).toBe(0)
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

describe('a damaged store is named, exit 1', () => {
  it('a missing table file: STORE_CORRUPT from verify, checkpoint and append, not "no ledger"', () => {
    const ledger = sampleLedger()
    const db = join(ledger, 'db')
    const table = readdirSync(db).find((n) => n.endsWith('.ldb'))
    expect(table).toBeDefined()
    unlinkSync(join(db, table as string))
    for (const args of [
      ['verify', ledger],
      ['checkpoint', ledger],
      ['append', ledger],
    ]) {
      const r = liuhen(args, extra(1))
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1)
      expect(r.stderr).toMatch(/damaged/)
      expect(r.stderr).not.toMatch(/no ledger/)
    }
  })

  it('a lost CURRENT file is damage too; only a missing directory is "no ledger" (exit 3)', () => {
    const ledger = sampleLedger()
    unlinkSync(join(ledger, 'db', 'CURRENT'))
    const r = liuhen(['verify', ledger])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/CURRENT/)
    const none = liuhen(['verify', join(tempDir(), 'none')])
    expect(none.code).toBe(3)
    expect(none.stderr).toMatch(/no ledger/)
  })

  it('a ledger whose db/ is gone is damaged (exit 1); a file given as the ledger is named as one', () => {
    const ledger = sampleLedger()
    rmSync(join(ledger, 'db'), { recursive: true })
    for (const args of [
      ['verify', ledger],
      ['tail', ledger],
      ['append', ledger],
    ]) {
      const r = liuhen(args, extra(1))
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1)
      expect(r.stderr).toBe(`liuhen: the ledger at ${ledger} is damaged: its store (${join(ledger, 'log')}, or ${join(ledger, 'db')} in format 1) is missing\n`)
    }
    const file = join(ledger, 'signer.key')
    const r = liuhen(['verify', file])
    expect(r.code).toBe(3)
    expect(r.stderr).toBe(`liuhen: no ledger at ${file}: it is a file, not a ledger directory\n`)
  })

  it('a FIFO, a link to /dev/zero or a folder in place of the published checkpoint: exit 1 at once, no hang', () => {
    const ledger = sampleLedger()
    const file = join(ledger, 'checkpoint')
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
        expect(r.stderr).toBe(`liuhen: ${file} is not a regular file: the ledger's published checkpoint is damaged\n`)
      }
    }
  })

  it('table files cut short and a lost MANIFEST are damage (exit 1), not an I/O error (exit 3)', () => {
    const cut = sampleLedger()
    for (const name of readdirSync(join(cut, 'db')).filter((n) => n.endsWith('.ldb'))) truncateSync(join(cut, 'db', name), 100)
    const lost = sampleLedger()
    for (const name of readdirSync(join(lost, 'db')).filter((n) => n.startsWith('MANIFEST-'))) unlinkSync(join(lost, 'db', name))
    for (const [ledger, file] of [
      [cut, /\.ldb: Invalid argument/],
      [lost, /MANIFEST-\d+: No such file/],
    ] as const) {
      for (const args of [
        ['verify', ledger],
        ['checkpoint', ledger],
        ['tail', ledger],
        ['append', ledger],
      ]) {
        const r = liuhen(args, extra(1))
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1)
        expect(r.stderr).toMatch(/^liuhen: the store at .* is damaged: /)
        expect(r.stderr).toMatch(file)
        expect(r.stderr.trim().split('\n')).toHaveLength(1)
      }
    }
  })
})

describe('a ledger on read-only media', () => {
  // Root writes through file modes, so as root the commands run as `nobody` over files it owns
  // with every write bit cleared: the kernel then refuses writes as read-only media would.
  const asRoot = process.getuid?.() === 0
  const NOBODY = 65534

  /**
   * A ledger as an auditor gets it on read-only media: without the private key, `chmod -R a-w`
   * (and, as root, owned by `nobody`).
   */
  function readOnlyLedger(): string {
    const ledger = sampleLedger()
    unlinkSync(join(ledger, 'signer.key'))
    chmodSync(join(ledger, '..'), 0o755) // temporary folders are 0700: let `nobody` in
    const names = ['', ...(readdirSync(ledger, { recursive: true }) as string[])].map((n) => join(ledger, n))
    if (asRoot) for (const name of names) chownSync(name, NOBODY, NOBODY)
    for (const name of names.reverse()) chmodSync(name, statSync(name).isDirectory() ? 0o555 : 0o444)
    return ledger
  }

  function run(args: string[], input = ''): Run {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  it('verify, checkpoint, prove, export, tail, chain, query, findings, stats and bundle read it; nothing is written', () => {
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
      ['chain', ledger, 'acc-2026-000001'],
      ['query', ledger, '--resource', 'res.police.household', '--json'],
      ['findings', ledger, '--json', '--no-progress'],
      ['stats', ledger, '--json'],
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
    const r = run(['append', ledger], extra(1))
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/cannot be written|cannot write/)
    expect(r.stderr).toMatch(/EACCES|EROFS|EPERM/)
  })

  it('with TMPDIR naming a missing folder, the copy it needs fails naming that folder (exit 3)', () => {
    const ledger = readOnlyLedger()
    const env = { ...process.env, TMPDIR: join(tempDir(), 'missing') }
    const r = spawnSync(process.execPath, [BIN, 'verify', ledger], { cwd: ROOT, env, encoding: 'utf8', ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) })
    expect(r.status, r.stderr).toBe(3)
    expect(r.stderr).toBe(`liuhen: cannot copy the store at ${join(ledger, 'db')} to read it: the temporary folder ${env.TMPDIR} does not exist (set TMPDIR to a folder this user can write)\n`)
  })
})

describe('a ledger without its signer key', () => {
  it('reads, proves and prints its checkpoint; append says why it cannot (exit 3), not "no ledger"', () => {
    const ledger = sampleLedger()
    unlinkSync(join(ledger, 'signer.key'))
    expect(liuhen(['checkpoint', ledger]).stdout).toBe(readFileSync(join(ledger, 'checkpoint'), 'utf8'))
    expect(liuhen(['prove', 'inclusion', ledger, '3', '--json']).code).toBe(0)
    const r = liuhen(['append', ledger], extra(1))
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/can be read but not signed for: there is no signer\.key/)
    expect(r.stderr).not.toMatch(/no ledger/)
  })
})

describe('a store behind the checkpoint its ledger published', () => {
  it('a published checkpoint removed by hand: verify passes and says what it can no longer see', () => {
    const ledger = sampleLedger()
    const fresh = liuhen(['verify', ledger])
    expect(fresh.stderr).toBe('')
    unlinkSync(join(ledger, 'checkpoint'))
    const r = liuhen(['verify', ledger])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(
      `liuhen: note: the ledger has no published checkpoint (${join(ledger, 'checkpoint')}): a rollback of its store is checked only against the checkpoints the store holds and those given with --checkpoint\n`,
    )
  })

  it('fails verify and refuses append, naming both sizes; a store ahead of the file is fine', () => {
    const ledger = sampleLedger()
    const published = readFileSync(join(ledger, 'checkpoint'), 'utf8')
    expect(published).toBe(liuhen(['checkpoint', ledger]).stdout)
    expect(published.split('\n')[1]).toBe('113')
    // The store as it was at 113 entries, put back after 3 more were published: what a damaged
    // write-ahead log did, a consistent but shorter history.
    const old = join(ledger, '..', 'db-at-113')
    cpSync(join(ledger, 'db'), old, { recursive: true })
    expect(liuhen(['append', ledger], extra(3)).code).toBe(0)
    expect(readFileSync(join(ledger, 'checkpoint'), 'utf8').split('\n')[1]).toBe('116')
    rmSync(join(ledger, 'db'), { recursive: true })
    cpSync(old, join(ledger, 'db'), { recursive: true })

    const v = liuhen(['verify', ledger])
    expect(v.code).toBe(1)
    expect(v.stdout).toMatch(/Result: FAILED/)
    expect(v.stderr).toMatch(/113 entries, fewer than the 116/)
    const a = liuhen(['append', ledger], extra(1, 100))
    expect(a.code).toBe(1)
    expect(a.stderr).toMatch(/113 entries, fewer than the 116/)
    expect(liuhen(['export', ledger]).stdout.trim().split('\n')).toHaveLength(113) // nothing appended

    // The store ahead of the file (a crash between the store's commit and the file's
    // replacement) opens, appends and verifies.
    writeFileSync(join(ledger, 'checkpoint'), published)
    expect(liuhen(['append', ledger], extra(2, 200)).code).toBe(0)
    writeFileSync(join(ledger, 'checkpoint'), published)
    const ok = liuhen(['verify', ledger])
    expect(ok.code, ok.stderr).toBe(0)
    expect(liuhen(['append', ledger], extra(1, 300)).code).toBe(0)
  })

  it('fails verify when the store holds another history at the published size (a fork)', () => {
    const ledger = sampleLedger()
    const twin = join(ledger, '..', 'twin')
    cpSync(ledger, twin, { recursive: true })
    expect(liuhen(['append', ledger], extra(1, 1)).code).toBe(0)
    expect(liuhen(['append', twin], extra(1, 2)).code).toBe(0)
    cpSync(join(ledger, 'checkpoint'), join(twin, 'checkpoint'))
    const v = liuhen(['verify', twin, '--json'])
    expect(v.code).toBe(1)
    expect(JSON.parse(v.stdout).failures).toEqual([expect.objectContaining({ code: 'AUDIT_INCONSISTENT', kind: 'fork', size: 114 })])
  })

  it('refuses append on a store ahead of a forked published checkpoint, keeping the file as evidence', () => {
    const ledger = sampleLedger()
    const twin = join(ledger, '..', 'twin')
    cpSync(ledger, twin, { recursive: true })
    expect(liuhen(['append', ledger], extra(1, 1)).code).toBe(0)
    expect(liuhen(['append', twin], extra(2, 2)).code).toBe(0) // larger than the file's 114: not behind
    const forked = readFileSync(join(ledger, 'checkpoint'), 'utf8')
    writeFileSync(join(twin, 'checkpoint'), forked)
    for (const args of [
      ['append', twin],
      ['checkpoint', twin],
    ]) {
      const r = liuhen(args, extra(1, 300))
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toMatch(/^liuhen: the store holds another history than the checkpoint the ledger published .* at size 114 /)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    // Nothing appended, and the evidence is still there: verify still fails on the fork.
    expect(liuhen(['export', twin]).stdout.trim().split('\n')).toHaveLength(115)
    expect(readFileSync(join(twin, 'checkpoint'), 'utf8')).toBe(forked)
    expect(liuhen(['verify', twin]).code).toBe(1)
  })
})
