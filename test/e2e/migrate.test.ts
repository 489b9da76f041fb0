/**
 * `liuhen migrate`: the format-1 fixture converted through the built command line, its log read
 * by the independent tlog-tiles reader; the exit codes of refusals; and a conversion killed with
 * SIGKILL at several points (while converting, during the swap), then run again.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Ledger } from '@liuhen/ledger'
import { LevelStore } from '@liuhen/store-level'
import { verifyLog } from '../support/tlog-tiles-reader.mjs'
import { BIN, ROOT, SAMPLE, ensureBuilt, expectRun, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

const FIXTURE = join(ROOT, 'test', 'fixtures', 'ledger-v1')
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'))

const event = (i: number) => ({ id: `org-${i}`, type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'district.data-bureau' }, data: { org: `o.${i}` } })

describe('liuhen migrate', () => {
  it('converts the format-1 fixture and prints the same size and root for both formats', async () => {
    const dir = join(tempDir(), 'ledger')
    cpSync(join(FIXTURE, 'ledger'), dir, { recursive: true })
    const r = expectRun(['migrate', dir, '--json'], 0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ dir, size: expected.size, root: expected.root, format1: { size: expected.size, root: expected.root }, log: { size: expected.size, root: expected.root } })
    expect(out.kept).toBe(join(dir, 'format1'))
    expect(out.checkpoint).toBe(expected.checkpoints.at(-1).text)
    const { entries } = await verifyLog(join(dir, 'log'), expected.vkey)
    expect(entries.map((e) => e.toString('base64'))).toEqual(expected.entries)
    expect(readdirSync(join(dir, 'format1'))).toEqual(['db'])

    const again = expectRun(['migrate', dir], 2)
    expect(again.stderr).toMatch(/^liuhen: the ledger at .* is already in format 2/)
  })

  it('prints both roots and where format 1 was kept', () => {
    const dir = join(tempDir(), 'ledger')
    cpSync(join(FIXTURE, 'ledger'), dir, { recursive: true })
    const r = expectRun(['migrate', dir, '--no-progress'], 0)
    expect(r.stdout).toContain(`format 1 (LevelDB)     size 33  root ${expected.root}`)
    expect(r.stdout).toContain(`format 2 (log/)        size 33  root ${expected.root}`)
    expect(r.stdout).toContain(`Format 1 was kept in ${join(dir, 'format1')}`)
  })

  it('converts a ledger made by init and append, its verifier key file kept beside the log', async () => {
    const dir = join(tempDir(), 'ledger')
    expectRun(['init', dir, '--format', '1'], 0)
    expectRun(['append', dir, SAMPLE], 0)
    const before = JSON.parse(expectRun(['verify', dir, '--json'], 0).stdout)
    const r = JSON.parse(expectRun(['migrate', dir, '--json'], 0).stdout)
    expect(r.log).toEqual({ size: before.size, root: before.root })
    expect(readdirSync(dir).sort()).toEqual(['format1', 'index', 'ledger.vkey', 'log', 'signer.key'])
    const { checkpoint, entries } = await verifyLog(join(dir, 'log'), readFileSync(join(dir, 'ledger.vkey'), 'utf8').trim())
    expect(entries).toHaveLength(before.size)
    expect(checkpoint.root.toString('hex')).toBe(before.root)
  })

  it('exits 1 for a damaged store, naming the entry, and 3 for a directory that holds no ledger', async () => {
    const dir = join(tempDir(), 'ledger')
    cpSync(join(FIXTURE, 'ledger'), dir, { recursive: true })
    const store = new LevelStore(join(dir, 'db'), { mustExist: true })
    await store.open()
    const head = await store.readHead()
    await store.writeCommit({ entries: [{ index: 12, bytes: new TextEncoder().encode('changed') }], ids: [], tiles: [], head: head as NonNullable<typeof head> })
    await store.close()
    const r = expectRun(['migrate', dir], 1)
    expect(r.stderr).toMatch(/^liuhen: the format-1 store is damaged: entry 12 /)
    expect(readdirSync(dir).sort()).toEqual(['db', 'signer.key'])
    expect(expectRun(['migrate', tempDir()], 3).stderr).toMatch(/^liuhen: no ledger at /)
  })

  it('runs again after being killed while converting or swapping', async () => {
    const base = join(tempDir(), 'base')
    const ledger = await Ledger.create(base, { origin: 'migrate.e2e.example/ledger', format: 1 })
    for (let b = 0; b < 20; b++) await ledger.appendBatch(Array.from({ length: 1000 }, (_, i) => event(b * 1000 + i)))
    const root = Buffer.from(ledger.head.root).toString('hex')
    const vkey = ledger.vkey
    await ledger.close()
    // Kill points: as soon as the log aside exists, once it holds tiles, once format 1 is moved.
    const points: ((dir: string) => boolean)[] = [
      (dir) => readdirSync(dir).some((n) => n.startsWith('.migrating-log-')),
      (dir) => readdirSync(dir).some((n) => n.startsWith('.migrating-log-') && existsSync(join(dir, n, 'tile', '0'))),
      (dir) => existsSync(join(dir, 'format1')),
    ]
    for (const point of points) {
      const dir = join(tempDir(), 'ledger')
      cpSync(base, dir, { recursive: true })
      const child = spawn(process.execPath, [BIN, 'migrate', dir], { cwd: ROOT, stdio: 'ignore' })
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
      let done = false
      void exited.then(() => (done = true))
      while (!done && !point(dir)) await new Promise((resolve) => setImmediate(resolve))
      child.kill('SIGKILL')
      await exited
      if (!existsSync(join(dir, 'log'))) {
        const r = JSON.parse(expectRun(['migrate', dir, '--json'], 0).stdout)
        expect(r.log).toEqual({ size: 20_000, root })
      }
      // index/ is built from the log after the swap: a kill right after it leaves that to the next writer.
      expect(
        readdirSync(dir)
          .filter((n) => n !== 'index')
          .sort(),
      ).toEqual(['format1', 'log', 'signer.key'])
      const { checkpoint } = await verifyLog(join(dir, 'log'), vkey)
      expect(checkpoint.size).toBe(20_000)
      expect(Buffer.from(checkpoint.root).toString('hex')).toBe(root)
    }
  }, 120_000)
})
