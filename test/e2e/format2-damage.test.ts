/**
 * Files of a format-2 ledger's log changed, removed or added by hand: `liuhen verify` exits 1
 * naming the first bad index, as for a format-1 store. Files the checkpoint does not name (what a
 * writer killed before publishing leaves too) are not part of the log: verify ignores them and the
 * next append that needs their paths replaces them.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { formatCheckpoint, parseCheckpoint, parseNote, signCheckpoint, signerFromKey } from '@liuhen/core'
import { verifyLog } from '../support/tlog-tiles-reader.mjs'
import { ensureBuilt, expectRun, extra, liuhen, tempDir } from './helpers.js'

let ledger = ''

beforeAll(() => {
  ensureBuilt()
  ledger = join(tempDir(), 'ledger')
  expectRun(['init', ledger], 0)
  // 1000 entries in commits of 300: full tiles 0/0-0/2, partials 0/3.p/132 and 0/3.p/232, 1/0.p/3.
  expectRun(['append', ledger, '-', '--batch', '300'], 0, extra(1000))
})

/** A copy of the ledger, damaged by `damage(logDir)`. */
function damaged(damage: (log: string) => void): string {
  const copy = join(tempDir(), 'ledger')
  cpSync(ledger, copy, { recursive: true })
  damage(join(copy, 'log'))
  return copy
}

/** The offset in bundle `bytes` of entry `k`'s uint16 length prefix. */
function entryAt(bytes: Buffer, k: number): number {
  let at = 0
  for (let i = 0; i < k; i++) at += 2 + bytes.readUInt16BE(at)
  return at
}

/** Runs verify (text and --json) on `dir`: exit 1, the failure `code` and the first bad `index`. */
function expectBad(dir: string, index: number, code: string): void {
  const r = liuhen(['verify', dir])
  expect(r.code, r.stdout + r.stderr).toBe(1)
  expect(r.stderr).toMatch(new RegExp(`^liuhen: verification failed: first bad index ${index} \\(${code}`))
  expect(r.stdout).toMatch(new RegExp(`first bad entry ${index}\\.`))
  const json = JSON.parse(liuhen(['verify', dir, '--json']).stdout)
  expect(json).toMatchObject({ ok: false, firstBadIndex: index })
  expect(json.failures[0].code).toBe(code)
}

const edit = (file: string, change: (b: Buffer) => void): void => {
  const bytes = readFileSync(file)
  change(bytes)
  writeFileSync(file, bytes)
}

describe('verify on hand-edited log files', () => {
  it('the undamaged copy verifies', () => {
    expect(liuhen(['verify', damaged(() => undefined)]).code).toBe(0)
  })

  it('an entry changed in its bundle, still well formed: named by its index', () => {
    // Entry 266 is the 11th of bundle 1; one digit of its id changed keeps it a valid event.
    const dir = damaged((log) =>
      edit(join(log, 'tile/entries/001'), (b) => {
        const at = entryAt(b, 10)
        const id = b.indexOf(Buffer.from('org-extra-267'), at)
        expect(id).toBeGreaterThan(at)
        b[id + 12] = 0x38 // org-extra-268
      }),
    )
    expectBad(dir, 266, 'AUDIT_ENTRY_CORRUPT')
  })

  it('an entry byte that breaks its encoding: named by its index', () => {
    const dir = damaged((log) =>
      edit(join(log, 'tile/entries/001'), (b) => {
        b[entryAt(b, 10) + 22] = 0xff // not UTF-8, not MessagePack's
      }),
    )
    expectBad(dir, 266, 'AUDIT_ENTRY_CORRUPT')
  })

  it("a length prefix changed, so the bundle no longer parses: named by the bundle's first index", () => {
    const dir = damaged((log) =>
      edit(join(log, 'tile/entries/001'), (b) => {
        const at = entryAt(b, 10)
        b.writeUInt16BE(b.readUInt16BE(at) + 1, at)
      }),
    )
    expectBad(dir, 256, 'AUDIT_STORE_ERROR')
  })

  it('an entry bundle removed: its entries are missing', () => {
    expectBad(
      damaged((log) => rmSync(join(log, 'tile/entries/002'))),
      512,
      'AUDIT_ENTRY_MISSING',
    )
  })

  it('a full tile removed: the node over its first entry', () => {
    expectBad(
      damaged((log) => rmSync(join(log, 'tile/0/001'))),
      256,
      'AUDIT_NODE_MISMATCH',
    )
  })

  it('a tile hash changed: the entry it is the leaf hash of', () => {
    const dir = damaged((log) => edit(join(log, 'tile/0/001'), (b) => void b.writeUInt8(b.readUInt8(32 * 5 + 3) ^ 1, 32 * 5 + 3)))
    expectBad(dir, 256 + 5, 'AUDIT_NODE_MISMATCH')
  })

  it('the newest partial tile removed (it holds the right edge of the tree): named, not a crash', () => {
    expectBad(
      damaged((log) => rmSync(join(log, 'tile/0/003.p/232'))),
      768,
      'AUDIT_STORE_ERROR',
    )
  })

  it('files the checkpoint does not name are ignored, and replaced by the next append', async () => {
    const dir = damaged((log) => {
      // A full bundle and tile where the log has partials, and a tile beyond the tree.
      cpSync(join(log, 'tile/entries/002'), join(log, 'tile/entries/003'))
      cpSync(join(log, 'tile/0/002'), join(log, 'tile/0/003'))
      cpSync(join(log, 'tile/0/002'), join(log, 'tile/0/007'))
    })
    expectRun(['verify', dir], 0)
    expectRun(['append', dir, '-'], 0, extra(100, 5000))
    expectRun(['verify', dir], 0)
    const vkey = readFileSync(join(dir, 'ledger.vkey'), 'utf8').trim()
    expect((await verifyLog(join(dir, 'log'), vkey)).checkpoint.size).toBe(1100)
  })

  it("a changed checkpoint: its signature fails, its root is not the tree's", () => {
    const changed = damaged((log) =>
      edit(join(log, 'checkpoint'), (b) => {
        const text = b.toString('utf8')
        const root = text.split('\n')[2] as string
        const other = Buffer.from(root, 'base64')
        other[0] = (other[0] as number) ^ 1
        b.write(other.toString('base64'), text.indexOf(root))
      }),
    )
    const r = expectRun(['verify', changed, '--json'], 1)
    const codes = (JSON.parse(r.stdout).failures as { code: string }[]).map((f) => f.code)
    expect(codes).toEqual(expect.arrayContaining(['AUDIT_CHECKPOINT_SIGNATURE', 'AUDIT_HEAD_MISMATCH']))
    // Re-signed with the ledger's own key over another root: the signature holds, the root does not.
    const forged = damaged((log) => {
      const signer = signerFromKey(readFileSync(join(log, '..', 'signer.key'), 'utf8').trim())
      const cp = parseCheckpoint(parseNote(readFileSync(join(log, 'checkpoint'), 'utf8')).text)
      const root = Uint8Array.from(cp.root)
      root[0] = (root[0] as number) ^ 1
      writeFileSync(join(log, 'checkpoint'), signCheckpoint({ ...cp, root }, signer))
      expect(formatCheckpoint({ ...cp, root })).not.toBe(formatCheckpoint(cp))
    })
    const f = expectRun(['verify', forged, '--json'], 1)
    expect(JSON.parse(f.stdout).failures).toContainEqual(expect.objectContaining({ code: 'AUDIT_HEAD_MISMATCH', size: 1000 }))
    expect(liuhen(['verify', forged]).stderr).toMatch(/^liuhen: verification failed/)
  })
})
