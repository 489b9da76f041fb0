/**
 * End-to-end tests of the `liuhen` command: each runs `node bin/liuhen ...` against the built
 * dist and checks the output with @liuhen/core's verifiers and an independent tree (helpers.ts).
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromHex, openCheckpoint, verifierFromKey, verifyConsistency, verifyInclusion, vkeyOfSignerKey } from '@liuhen/core'
import { BIN, checkpointRoot, ensureBuilt, extra, hex, importFrom, jsonLines, leafHash, liuhen, NaiveTree, ROOT, SAMPLE, tempDir } from './helpers.js'
import { flipBits } from '../support/bytes.js'
import { flipEntryByte } from './log-files.js'

const sample = readFileSync(SAMPLE, 'utf8').trim().split('\n')
const sampleIds = sample.map((l) => JSON.parse(l).id as string)

let dir: string
let ledger: string
let vkey: string
const commits: { size: number; first: number; last: number; checkpoint: string }[] = []

beforeAll(() => {
  ensureBuilt()
  dir = tempDir()
  ledger = join(dir, 'district')
  const key = liuhen(['keygen', '--origin', 'ledger.district.example/audit', '--out', join(dir, 'audit.key')])
  expect(key.code).toBe(0)
  const init = liuhen(['init', ledger, '--signer', join(dir, 'audit.key')])
  expect(init.code).toBe(0)
  vkey = init.stdout.trim()
  expect(vkey).toBe(key.stdout.trim())
}, 120_000)

const size = (): number => checkpointRoot(liuhen(['checkpoint', ledger]).stdout).size

describe('liuhen keygen and init', { timeout: 120_000 }, () => {
  it('lists every command with a description', () => {
    const r = liuhen(['--help'])
    expect(r.code).toBe(0)
    for (const c of ['keygen', 'init', 'append', 'checkpoint', 'prove', 'export', 'tail', 'verify']) expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b.*\\S`))
  })

  it('writes a 0600 key file, prints its vkey and never overwrites it', () => {
    const file = join(tempDir(), 'k')
    const r = liuhen(['keygen', '--origin', 'example.org/log', '--out', file])
    expect(r.code).toBe(0)
    const skey = readFileSync(file, 'utf8')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(skey).toMatch(/^PRIVATE\+KEY\+example\.org\/log\+[0-9a-f]{8}\+/)
    expect(r.stdout.trim()).toBe(vkeyOfSignerKey(skey.trim()))
    const again = liuhen(['keygen', '--origin', 'example.org/log', '--out', file])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^liuhen: .*refusing to overwrite/)
    expect(readFileSync(file, 'utf8')).toBe(skey)
  })

  it('creates a ledger with the default origin and a ledger.vkey file; refuses an existing one', () => {
    const target = join(tempDir(), 'my-ledger')
    const r = liuhen(['init', target])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^liuhen\.local\/my-ledger\+[0-9a-f]{8}\+/)
    expect(readFileSync(join(target, 'ledger.vkey'), 'utf8')).toBe(r.stdout)
    expect(statSync(join(target, 'signer.key')).mode & 0o777).toBe(0o600)
    const again = liuhen(['init', target])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^liuhen: .*already exists/)
    expect(liuhen(['verify', target]).code).toBe(0)
  })

  it('makes format 2 (log/, index/) by default and format 1 (db/) with --format 1; refuses another format', () => {
    const two = join(tempDir(), 'two')
    expect(liuhen(['init', two]).code).toBe(0)
    expect(readdirSync(two).sort()).toEqual(['index', 'ledger.vkey', 'log', 'signer.key'])
    const one = join(tempDir(), 'one')
    expect(liuhen(['init', one, '--format', '1']).code).toBe(0)
    expect(readdirSync(one).sort()).toEqual(['db', 'ledger.vkey', 'signer.key'])
    expect(liuhen(['append', one, SAMPLE]).code).toBe(0)
    expect(readdirSync(one)).toContain('checkpoint')
    expect(liuhen(['verify', one]).code).toBe(0)
    for (const format of ['3', '0', 'two', '']) {
      const target = join(tempDir(), 'l')
      const r = liuhen(['init', target, '--format', format])
      expect(r.code, format).toBe(2)
      expect(r.stderr).toMatch(/^liuhen: --format must be 1 or 2, got /)
      expect(existsSync(target)).toBe(false)
    }
  })
})

describe('liuhen append, checkpoint, prove', { timeout: 120_000 }, () => {
  it('appends the district sample from a file and prints the range and a valid checkpoint', () => {
    const r = liuhen(['append', ledger, SAMPLE, '--batch', '50'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`Appended ${sample.length} events at indexes 0-${sample.length - 1} in 3 commits`)
    const text = r.stdout.slice(r.stdout.indexOf('\n\n') + 2)
    const { checkpoint } = openCheckpoint(text, verifierFromKey(vkey))
    expect(checkpoint.size).toBe(sample.length)
  })

  it('appends from stdin with --json: one line per durable commit', () => {
    const r = liuhen(['append', ledger, '-', '--json', '--batch', '4'], extra(10))
    expect(r.code, r.stderr).toBe(0)
    const lines = jsonLines(r.stdout)
    expect(lines.map((l) => [l.size, l.first, l.last])).toEqual([
      [sample.length + 4, sample.length, sample.length + 3],
      [sample.length + 8, sample.length + 4, sample.length + 7],
      [sample.length + 10, sample.length + 8, sample.length + 9],
    ])
    for (const l of lines) expect(openCheckpoint(l.checkpoint, verifierFromKey(vkey)).checkpoint.size).toBe(l.size)
    commits.push(...lines)
    // Without a file argument stdin is read too; the same events again append nothing.
    const again = liuhen(['append', ledger], extra(10))
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^Nothing new appended; 10 already present/)
  })

  it('prints the latest checkpoint', () => {
    const r = liuhen(['checkpoint', ledger])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe((commits.at(-1) as { checkpoint: string }).checkpoint)
  })

  it('proves inclusion as JSON, verifiable with @liuhen/core against the checkpoint', () => {
    const head = checkpointRoot(liuhen(['checkpoint', ledger]).stdout)
    for (const index of [0, 5, 64, head.size - 1]) {
      const r = liuhen(['prove', 'inclusion', ledger, String(index), '--json'])
      expect(r.code, r.stderr).toBe(0)
      const p = JSON.parse(r.stdout)
      expect(Object.keys(p)).toEqual(['index', 'size', 'leafHash', 'proof', 'root'])
      expect(p).toMatchObject({ index, size: head.size, root: head.root })
      verifyInclusion(p.index, p.size, fromHex(p.leafHash), p.proof.map(fromHex), fromHex(p.root))
    }
    const older = commits[0] as { size: number; checkpoint: string }
    const r = JSON.parse(liuhen(['prove', 'inclusion', ledger, '3', '--size', String(older.size), '--json']).stdout)
    expect(r.root).toBe(checkpointRoot(older.checkpoint).root)
    verifyInclusion(3, older.size, fromHex(r.leafHash), r.proof.map(fromHex), fromHex(r.root))
    expect(liuhen(['prove', 'inclusion', ledger, '5']).stdout).toMatch(/^Inclusion of entry 5 in the tree of size \d+\nleaf hash {2}[0-9a-f]{64}/)
  })

  it('proves consistency as JSON between two checkpoints', () => {
    const a = commits[0] as { size: number; checkpoint: string }
    const b = commits[2] as { size: number; checkpoint: string }
    const r = liuhen(['prove', 'consistency', ledger, String(a.size), String(b.size), '--json'])
    expect(r.code, r.stderr).toBe(0)
    const p = JSON.parse(r.stdout)
    expect(Object.keys(p)).toEqual(['size1', 'size2', 'proof', 'root1', 'root2'])
    expect(p.root1).toBe(checkpointRoot(a.checkpoint).root)
    expect(p.root2).toBe(checkpointRoot(b.checkpoint).root)
    verifyConsistency(p.size1, p.size2, p.proof.map(fromHex), fromHex(p.root1), fromHex(p.root2))
    const current = JSON.parse(liuhen(['prove', 'consistency', ledger, '7', '--json']).stdout)
    expect(current.size2).toBe(size())
  })

  it('refuses out-of-range proofs as usage errors', () => {
    expect(liuhen(['prove', 'inclusion', ledger, String(size())]).code).toBe(2)
    expect(liuhen(['prove', 'inclusion', ledger, '-1']).code).toBe(2)
    expect(liuhen(['prove', 'consistency', ledger, '9', '8']).code).toBe(2)
    expect(liuhen(['prove']).code).toBe(2)
  })
})

describe('liuhen export and tail', { timeout: 120_000 }, () => {
  it('exports the exact entry bytes: hashes give the signed root, a standard decoder reads them', async () => {
    const r = liuhen(['export', ledger])
    expect(r.code).toBe(0)
    const rows = jsonLines(r.stdout)
    expect(rows.map((x) => x.index)).toEqual(rows.map((_, i) => i))
    const bytes = rows.map((x) => Buffer.from(x.entry, 'base64'))
    const tree = new NaiveTree(bytes.map(leafHash))
    expect(hex(tree.mth())).toBe(checkpointRoot(liuhen(['checkpoint', ledger]).stdout).root)
    const p = JSON.parse(liuhen(['prove', 'inclusion', ledger, '7', '--json']).stdout)
    expect(hex(leafHash(bytes[7] as Buffer))).toBe(p.leafHash)
    const { unpack } = await importFrom('core', 'msgpackr')
    sampleIds.forEach((id, i) => {
      const entry = unpack(bytes[i])
      expect(entry.v).toBe(1)
      expect(entry.index).toBe(i)
      expect(entry.event.id).toBe(id)
    })
    const part = jsonLines(liuhen(['export', ledger, '--from', '3', '--to', '6']).stdout)
    expect(part.map((x) => x.index)).toEqual([3, 4, 5])
  })

  it('tails entries as JSON lines with resolved references', () => {
    const r = liuhen(['tail', ledger])
    expect(r.code).toBe(0)
    const lines = jsonLines(r.stdout)
    expect(lines.slice(0, sample.length).map((l) => l.event.id)).toEqual(sampleIds)
    const exported = jsonLines(liuhen(['export', ledger]).stdout).map((x) => hex(leafHash(Buffer.from(x.entry, 'base64'))))
    const withRefs = lines.filter((l) => l.refs.some((ref: { index?: number }) => ref.index !== undefined))
    expect(withRefs.length).toBeGreaterThan(50)
    for (const l of withRefs) {
      expect(Object.keys(l)).toEqual(['index', 'time', 'event', 'refs'])
      for (const ref of l.refs) if (ref.index !== undefined) expect(ref.hash).toBe(exported[ref.index])
    }
    expect(jsonLines(liuhen(['tail', ledger, '--from', String(lines.length - 2)]).stdout)).toHaveLength(2)
  })

  it('follows new entries appended by another process (polling)', async () => {
    const child = spawn(process.execPath, [BIN, 'tail', ledger, '--follow', '--from', String(size() - 1)], { cwd: ROOT })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && jsonLines(out).length < n; i++) await new Promise((r) => setTimeout(r, 50))
    }
    await waitFor(1)
    expect(liuhen(['append', ledger], extra(3, 100)).code).toBe(0)
    await waitFor(4)
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(
      jsonLines(out)
        .map((l) => l.event.id)
        .slice(1),
    ).toEqual(['org-extra-100', 'org-extra-101', 'org-extra-102'])
  })
})

describe('liuhen verify', { timeout: 120_000 }, () => {
  it('verifies a clean ledger, with a pinned key and held checkpoints', () => {
    const r = liuhen(['verify', ledger])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain(`\n${size()}/${size()} entries valid\n`)
    expect(r.stdout).toMatch(/\n(\d+)\/\1 checkpoints consistent\n/)
    expect(r.stdout).toMatch(/Result: VALID\./)
    const held = join(dir, 'held.checkpoint')
    writeFileSync(held, (commits[1] as { checkpoint: string }).checkpoint)
    const pinned = liuhen(['verify', ledger, '--key', join(ledger, 'ledger.vkey'), '--checkpoint', held, '--json'])
    expect(pinned.code, pinned.stdout).toBe(0)
    expect(JSON.parse(pinned.stdout)).toMatchObject({ ok: true, size: size(), failures: [] })
  })

  it('fails (exit 1) naming index 5 when one stored entry byte is flipped in a format-1 store (LevelDB)', async () => {
    const target = join(tempDir(), basename(ledger))
    expect(liuhen(['init', target, '--format', '1']).code).toBe(0)
    expect(liuhen(['append', target, SAMPLE]).code).toBe(0)
    const { Level } = await importFrom('store-level', 'level')
    const db = new Level(join(target, 'db'), { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open()
    const key = new Uint8Array([0x65, 0, 0, 0, 0, 0, 0, 0, 5])
    const value: Uint8Array = await db.get(key)
    flipBits(value, Math.floor(value.length / 2))
    await db.put(key, value)
    await db.close()
    const r = liuhen(['verify', target])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/Result: FAILED\. .*first bad entry 5\./)
    expect(r.stdout).toMatch(/Entry 5 INVALID \(AUDIT_ENTRY_CORRUPT\)/)
    expect(r.stderr).toMatch(/^liuhen: verification failed: first bad index 5/)
    expect(JSON.parse(liuhen(['verify', target, '--json']).stdout)).toMatchObject({ ok: false, firstBadIndex: 5 })
  })

  it('fails (exit 1) naming index 5 when one byte of entry 5 is flipped in its format-2 entry bundle', () => {
    const target = join(tempDir(), basename(ledger))
    expect(liuhen(['init', target]).code).toBe(0)
    expect(liuhen(['append', target, SAMPLE]).code).toBe(0)
    flipEntryByte(target, 5)
    const r = liuhen(['verify', target])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/Result: FAILED\. .*first bad entry 5\./)
    expect(r.stdout).toMatch(/Entry 5 INVALID \(AUDIT_ENTRY_CORRUPT\)/)
    expect(r.stderr).toMatch(/^liuhen: verification failed: first bad index 5/)
    expect(JSON.parse(liuhen(['verify', target, '--json']).stdout)).toMatchObject({ ok: false, firstBadIndex: 5 })
  })
})

describe('bad input and missing ledgers', { timeout: 120_000 }, () => {
  it('refuses a line of invalid JSON naming the line; nothing of its batch is appended', () => {
    const before = size()
    const r = liuhen(['append', ledger], `${extra(2, 200)}\n{"id": "x", oops}\n`)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^liuhen: line 4: invalid JSON/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(size()).toBe(before)
  })

  it('refuses an event with a bad field naming the line and the field path', () => {
    const before = size()
    const bad = sample
      .find((l) => l.includes('"access.performed"'))
      ?.replace(/"rows":\d+/, '"rows":-3')
      .replace(/"id":"[^"]+"/, '"id":"acc-bad"') as string
    const r = liuhen(['append', ledger], `${extra(1, 300)}${bad}\n`)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^liuhen: line 2 \(id acc-bad\): data\.rows: /)
    expect(size()).toBe(before)
  })

  it('exits 3 on a missing ledger and 2 on a missing input file', () => {
    const missing = join(tempDir(), 'nothing-here')
    for (const args of [
      ['checkpoint', missing],
      ['append', missing],
      ['tail', missing],
      ['export', missing],
      ['verify', missing],
      ['prove', 'inclusion', missing, '0'],
    ]) {
      const r = liuhen(args, '')
      expect(r.code, args.join(' ')).toBe(3)
      expect(r.stderr).toMatch(/^liuhen: no ledger at /)
    }
    expect(liuhen(['append', ledger, join(dir, 'no-such.jsonl')]).code).toBe(2)
    expect(liuhen(['append', ledger, '--batch', 'ten']).code).toBe(2)
    expect(liuhen(['frobnicate']).code).toBe(2)
  })
})
