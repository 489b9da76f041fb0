/**
 * A format-2 ledger's `log/` folder is a C2SP tlog-tiles log: a plain static file server over it
 * (node:http, files by path, 404 for missing ones, as nginx would serve them) serves a log that
 * the independent reader of test/support/tlog-tiles-reader.mjs (written from the spec, sharing
 * no code with Liuhen) verifies: the checkpoint's signature with the ledger's verifier key, every
 * tile against the root, every entry bundle against the level-0 tiles. The same holds for the
 * folder read directly, and while another process appends: the reader verifies whatever
 * checkpoint it fetched, since the files a checkpoint names are never changed or removed.
 */
import { spawn } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../support/child-runs.js'
import { serveFolder } from '../support/log-server.js'
import { verifyLog } from '../support/tlog-tiles-reader.mjs'
import { BIN, ROOT, ensureBuilt, expectRun, extra, jsonLines, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

/** The exact stored bytes of every entry, as `liuhen export` gives them. */
const exported = (ledger: string): Buffer[] => (jsonLines(expectRun(['export', ledger], 0).stdout) as { entry: string }[]).map((e) => Buffer.from(e.entry, 'base64'))

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(dir, join(prefix, d.name)) : [join(prefix, d.name)]))
    .sort()
}

describe('a static web server over <ledger>/log/', () => {
  it('serves a log the independent tlog-tiles reader verifies, partial tiles and all', { timeout: 60_000 }, async () => {
    const ledger = join(tempDir(), 'ledger')
    expectRun(['init', ledger], 0)
    // Several commits of sizes that leave partial tiles and bundles behind: 700, 1400, ... 3100.
    expectRun(['append', ledger, '-', '--batch', '700'], 0, extra(2800))
    const log = join(ledger, 'log')
    const older = readFileSync(join(log, 'checkpoint'))
    expectRun(['append', ledger, '-', '--batch', '700'], 0, extra(300, 2801))
    expectRun(['append', ledger, '-'], 0, extra(37, 5000))
    const vkey = readFileSync(join(ledger, 'ledger.vkey'), 'utf8').trim()
    expect(filesUnder(log)).toEqual(expect.arrayContaining(['checkpoint', 'tile/0/012.p/28', 'tile/0/012.p/65', 'tile/1/000.p/12', 'tile/entries/012.p/28', 'tile/entries/012.p/65']))
    const want = exported(ledger)
    expect(want).toHaveLength(3137)
    const server = await serveFolder(log)
    try {
      const got = await verifyLog(server.url, vkey)
      expect(got.checkpoint.size).toBe(3137)
      expect(got.entries.every((e, i) => e.equals(want[i] as Buffer))).toBe(true)
      expect(got.entries).toHaveLength(3137)
      // Through the bare prefix, without its trailing slash.
      expect((await verifyLog(server.url.slice(0, -1), vkey)).checkpoint.size).toBe(3137)
      // A file the server does not have is a 404 the reader names.
      const missing = await fetch(new URL('tile/0/999', server.url))
      expect(missing.status).toBe(404)
    } finally {
      await server.close()
    }
    const direct = await verifyLog(log, vkey)
    expect(direct.checkpoint.size).toBe(3137)
    expect(direct.entries.every((e, i) => e.equals(want[i] as Buffer))).toBe(true)
    // A reader still holding the checkpoint of size 2800 reads what it names: the partial tile
    // 0/10.p/240 it named is gone, the full tile 0/10 that replaced it starts with the same hashes.
    const copy = join(tempDir(), 'log')
    cpSync(log, copy, { recursive: true })
    writeFileSync(join(copy, 'checkpoint'), older)
    const held = await verifyLog(copy, vkey)
    expect(held.checkpoint.size).toBe(2800)
    expect(held.entries.every((e, i) => e.equals(want[i] as Buffer))).toBe(true)
    // Another key is refused: the reader checks the signature, not just the shape.
    const other = expectRun(['keygen', '--origin', 'liuhen.local/ledger', '--out', join(tempDir(), 'k')], 0).stdout.trim()
    await expect(verifyLog(log, other)).rejects.toThrow(/checkpoint/)
  })

  it('verifies whatever checkpoint it fetched while another process appends', { timeout: 90_000 }, async () => {
    const ledger = join(tempDir(), 'ledger')
    expectRun(['init', ledger], 0)
    const vkey = readFileSync(join(ledger, 'ledger.vkey'), 'utf8').trim()
    const log = join(ledger, 'log')
    const server = await serveFolder(log)
    const writer = spawn(process.execPath, [BIN, 'append', ledger, '-', '--json', '--batch', '97'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    writer.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    writer.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const exited = new Promise<number | null>((resolve) => writer.on('close', resolve))
    let done = false
    void exited.then(() => (done = true))
    const feed = (async () => {
      for (let from = 1; from <= 6000; from += 200) {
        if (!writer.stdin.write(extra(200, from))) await new Promise((resolve) => writer.stdin.once('drain', resolve))
        await sleep(40)
      }
      writer.stdin.end()
    })()
    const seen: { size: number; entries: Buffer[] }[] = []
    const errors: string[] = []
    try {
      // Over HTTP and from the folder by turns, as fast as the reader goes, until the writer ends.
      for (let k = 0; !done; k++) {
        try {
          const got = await verifyLog(k % 2 === 0 ? server.url : log, vkey)
          seen.push({ size: got.checkpoint.size, entries: got.entries })
        } catch (cause) {
          errors.push(String(cause))
        }
      }
      await feed
      expect(await exited, err).toBe(0)
    } finally {
      await server.close()
    }
    expect(errors).toEqual([])
    const final = exported(ledger)
    expect(final).toHaveLength(6000)
    const sizes = new Set((jsonLines(out) as { size: number }[]).map((c) => c.size))
    expect(seen.filter((s) => s.size > 0 && s.size < 6000).length).toBeGreaterThanOrEqual(3)
    for (const s of seen) {
      if (s.size > 0) expect(sizes.has(s.size), `the reader saw size ${s.size}, never published`).toBe(true)
      expect(s.entries.every((e, i) => e.equals(final[i] as Buffer))).toBe(true)
    }
    expect((await verifyLog(log, vkey)).checkpoint.size).toBe(6000)
  })
})
