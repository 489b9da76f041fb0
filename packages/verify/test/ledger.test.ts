/**
 * The audit over what the real ledger writes: MemoryStore for the tamper cases, format 1
 * (LevelStore) and format 2 (log and index) on disk end to end. (The ledger and store-level
 * packages are test-only here: `@liuhen/verify` itself depends on core alone.)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryStore } from '@liuhen/core'
import { Ledger, levelStoreOf, tiledReaderOf, tiledStoreOf } from '@liuhen/ledger'
import { afterAll, describe, expect, it } from 'vitest'
import { auditIncremental, auditLog, createBundle, verifyBundle } from '../src/index.js'
import { OpenStore } from './support/log.js'
import { flipBits } from '../../../test/support/bytes.js'

const ORIGIN = 'ledger.district.example/audit'

// Synthetic events (not the full contract): the ledgers here are created with `validate: false`.
function event(i: number, refs?: Record<string, string>): Record<string, unknown> {
  return {
    id: `ev-${i}`,
    type: 'access.performed',
    at: '2026-03-02T09:15:04+08:00',
    actor: { dept: 'district.civil-affairs', person: 'p-1043', role: 'caseworker' },
    ...(refs ? { refs } : {}),
    data: { resource: 'res.police.household', rows: 1, n: i },
  }
}

async function fill(ledger: Ledger, n: number): Promise<string[]> {
  const notes: string[] = []
  for (let i = 0; i < n; i += 50) {
    const batch = []
    for (let k = i; k < Math.min(n, i + 50); k++) batch.push(event(k, k > 0 && k % 4 === 0 ? { basis: `ev-${k / 4}` } : undefined))
    await ledger.appendBatch(batch)
    notes.push((await ledger.store.readLatestCheckpoint())!.text)
  }
  return notes
}

describe('auditing what the ledger writes (MemoryStore)', () => {
  it('a fresh ledger with no commit is valid', async () => {
    const store = new MemoryStore()
    const ledger = await Ledger.create(store, { origin: ORIGIN, validate: false })
    const r = await auditLog(store, { key: ledger.vkey })
    expect(r.failures).toEqual([])
    await ledger.close()
  })

  it('passes clean, then localises a flipped byte and a rewritten tile', async () => {
    const store = new MemoryStore()
    const ledger = await Ledger.create(store, { origin: ORIGIN, validate: false })
    const notes = await fill(ledger, 700)
    const clean = await auditLog(store, { key: ledger.vkey, checkpoints: [notes[3]!] })
    expect(clean.failures).toEqual([])
    expect(clean.entries).toEqual({ checked: 700, valid: 700 })
    const inc = await auditIncremental(store, { key: ledger.vkey, checkpoints: notes })
    expect(inc.failures).toEqual([])
    const s = await OpenStore.from(store)
    const e = Uint8Array.from(s.entries[333]!)
    const at = Buffer.from(e).indexOf('caseworker')
    flipBits(e, at, 0x20)
    s.entries[333] = e
    const t = s.tile(0, 2)
    flipBits(t, 7 * 32 + 3)
    s.tiles.set('0/2', t)
    const r = await auditLog(s, { key: ledger.vkey })
    expect(r.failures.map((f) => `${f.code}@${f.index}`)).toEqual(['AUDIT_ENTRY_CORRUPT@333', 'AUDIT_NODE_MISMATCH@519'])
    const b = await createBundle(store, 'ev-512')
    expect(b.entries.map((x) => x.index)).toEqual([512, 128, 32, 8, 2])
    expect(verifyBundle(JSON.stringify(b), { key: ledger.vkey }).ok).toBe(true)
    await ledger.close()
  })
})

describe('end to end on disk', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('audits a format-1 ledger, reopened read-only through the store interface (LevelStore)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuhen-verify-'))
    dirs.push(dir)
    const ledger = await Ledger.create(dir, { origin: ORIGIN, validate: false, format: 1 })
    const vkey = ledger.vkey
    const notes = await fill(ledger, 1200)
    await ledger.close()
    const store = levelStoreOf(dir)
    await store.open()
    try {
      const r = await auditLog(store, { key: vkey, checkpoints: [notes[0]!, notes.at(-1)!] })
      expect(r.failures).toEqual([])
      expect(r).toMatchObject({ ok: true, size: 1200, entries: { checked: 1200, valid: 1200 } })
      expect((await auditIncremental(store, { key: vkey, checkpoints: notes })).ok).toBe(true)
    } finally {
      await store.close()
    }
  })
  it('audits a format-2 ledger through the lock-free log reader (ids unchecked) and through its log and index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuhen-verify-'))
    dirs.push(dir)
    const ledger = await Ledger.create(dir, { origin: ORIGIN, validate: false })
    const vkey = ledger.vkey
    const notes = await fill(ledger, 1200)
    await ledger.close()
    const reader = tiledReaderOf(dir)
    try {
      const r = await auditLog(reader, { key: vkey, checkpoints: [notes[0]!, notes.at(-1)!], ids: false })
      expect(r.failures).toEqual([])
      expect(r).toMatchObject({ ok: true, size: 1200, entries: { checked: 1200, valid: 1200 } })
      expect((await auditIncremental(reader, { key: vkey, checkpoints: notes })).ok).toBe(true)
    } finally {
      await reader.close()
    }
    const store = tiledStoreOf(dir)
    await store.open()
    try {
      const r = await auditLog(store, { key: vkey, checkpoints: [notes.at(-1)!] })
      expect(r.failures).toEqual([])
      expect(r).toMatchObject({ ok: true, size: 1200, entries: { checked: 1200, valid: 1200 } })
    } finally {
      await store.close()
    }
  })
})
