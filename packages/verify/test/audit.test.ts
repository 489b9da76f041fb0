import { CompactRange, encodeEntry, decodeEntry, generateSignerKey, signCheckpoint, signerFromKey, toHex, type Entry } from '@liuhen/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, type AuditReport } from '../src/index.js'
import { ORIGIN, OpenStore, buildLog, type TestLog } from './support/log.js'
import { flipBits } from '../../../test/support/bytes.js'

const N = 600
let log: TestLog

beforeAll(async () => {
  log = await buildLog(N)
})

/** A fresh mutable copy of the clean log. */
const copy = (): Promise<OpenStore> => OpenStore.from(log.store)
const codes = (r: AuditReport): string[] => r.failures.map((f) => (f.code === 'AUDIT_STORE_ERROR' ? f.message : `${f.code}@${f.index ?? `size ${f.size}`}`))

/** Changes one letter inside a string of the entry, so it still decodes. */
function flipInString(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes)
  const at = Buffer.from(out).indexOf('civil')
  out[at] = (out[at] as number) ^ 0x20
  return out
}

describe('auditLog on a clean log', () => {
  it('passes with every count full', async () => {
    const r = await auditLog(log.store, { key: log.vkey })
    expect(r.failures).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.entries).toEqual({ checked: N, valid: N })
    expect(r.checkpoints.checked).toBe(r.checkpoints.consistent)
    expect(r.checkpoints.checked).toBe(Math.ceil(N / 7))
    expect(r.root).toBe(toHex((await log.store.readHead())!.root))
  })

  it('passes with held checkpoints of earlier sizes and reports progress', async () => {
    const seen: number[] = []
    const r = await auditLog(log.store, { key: log.vkey, checkpoints: [log.notes.get(7)!, log.notes.get(301)!], chunkSize: 100, onProgress: (d) => seen.push(d) })
    expect(r.ok).toBe(true)
    expect(r.checkpoints.consistent).toBe(Math.ceil(N / 7) + 2)
    expect(seen.at(-1)).toBe(N)
  })

  it('audits an empty log', async () => {
    const empty = await buildLog(0)
    await empty.commit(0)
    const r = await auditLog(empty.store, { key: empty.vkey })
    expect(r.failures).toEqual([])
    expect(r.entries).toEqual({ checked: 0, valid: 0 })
  })
})

describe('tamper localisation', () => {
  it('a flipped byte in an entry: AUDIT_ENTRY_CORRUPT at that entry only', async () => {
    const s = await copy()
    s.entries[300] = flipInString(s.entries[300]!)
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ENTRY_CORRUPT@300'])
    expect(r.firstBadIndex).toBe(300)
    expect(r.entries.valid).toBe(N - 1)
  })

  it('a flipped byte that breaks decoding', async () => {
    const s = await copy()
    const b = Uint8Array.from(s.entries[42]!)
    b[0] = 0xc1 // never used in MessagePack
    s.entries[42] = b
    expect(codes(await auditLog(s, { key: log.vkey }))).toEqual(['AUDIT_ENTRY_CORRUPT@42'])
  })

  it('flipped bytes in two entries are both named, first first', async () => {
    const s = await copy()
    s.entries[5] = flipInString(s.entries[5]!)
    s.entries[590] = flipInString(s.entries[590]!)
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ENTRY_CORRUPT@5', 'AUDIT_ENTRY_CORRUPT@590'])
  })

  it('a deleted entry: AUDIT_ENTRY_MISSING, the rest still checked', async () => {
    const s = await copy()
    s.entries[300] = undefined
    s.entries[599] = undefined
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ENTRY_MISSING@300', 'AUDIT_ENTRY_MISSING@599'])
    expect(r.checkpoints.consistent).toBe(r.checkpoints.checked)
  })

  it('a deleted entry with the rest shifted down: one AUDIT_ENTRY_INDEX run', async () => {
    const s = await copy()
    s.entries.splice(300, 1)
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ENTRY_INDEX@300', 'AUDIT_ENTRY_MISSING@599'])
    expect(r.failures[0]!.message).toMatch(/deleted/)
  })

  it('swapped entries: AUDIT_ENTRY_INDEX at both', async () => {
    const s = await copy()
    ;[s.entries[100], s.entries[200]] = [s.entries[200], s.entries[100]]
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ENTRY_INDEX@100', 'AUDIT_ENTRY_INDEX@200'])
    expect(r.firstBadIndex).toBe(100)
  })

  it('an inserted entry: named at its position, the shifted rest as one run, the overflow as unexpected', async () => {
    const s = await copy()
    const fake: Entry = { ...decodeEntry(s.entries[300]!), time: 1_700_000_300_500 }
    fake.event = { ...fake.event, id: 'forged' }
    s.entries.splice(300, 0, encodeEntry(fake))
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ENTRY_CORRUPT@300', 'AUDIT_ID_INDEX@300', 'AUDIT_ENTRY_INDEX@301', 'AUDIT_ENTRY_UNEXPECTED@600'])
    expect(r.firstBadIndex).toBe(300)
  })

  it('an entry appended past the head', async () => {
    const s = await copy()
    s.entries[N] = s.entries[N - 1]
    expect(codes(await auditLog(s, { key: log.vkey }))).toEqual([`AUDIT_ENTRY_UNEXPECTED@${N}`])
  })

  it('a rewritten leaf hash in a tile: AUDIT_NODE_MISMATCH, not the entry', async () => {
    const s = await copy()
    const t = s.tile(0, 1)
    flipBits(t, 5 * 32)
    s.tiles.set('0/1', t)
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_NODE_MISMATCH@261'])
  })

  it('a rewritten level-8 node', async () => {
    const s = await copy()
    const t = s.tile(1, 0)
    flipBits(t, 32, 0x80)
    s.tiles.set('1/0', t)
    expect(codes(await auditLog(s, { key: log.vkey }))).toEqual(['AUDIT_NODE_MISMATCH@256'])
  })

  it('a missing, a short and an extra tile', async () => {
    const s = await copy()
    s.tiles.delete('0/0')
    s.tiles.set('0/2', s.tile(0, 2).subarray(0, 32 * 10))
    s.tiles.set('3/0', new Uint8Array(32))
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_NODE_MISMATCH@0', 'AUDIT_NODE_MISMATCH@0', 'AUDIT_NODE_MISMATCH@522'])
  })

  it('an entry rewritten together with its leaf hash: caught by the signed root', async () => {
    const s = await copy()
    s.entries[300] = flipInString(s.entries[300]!)
    const { hashLeaf } = await import('@liuhen/core')
    const t = s.tile(0, 1)
    t.set(hashLeaf(s.entries[300]!), (300 - 256) * 32)
    s.tiles.set('0/1', t)
    const r = await auditLog(s, { key: log.vkey })
    expect(r.ok).toBe(false)
    expect(r.failures.map((f) => f.code)).toContain('AUDIT_CHECKPOINT_ROOT')
    expect(r.failures.find((f) => f.code === 'AUDIT_CHECKPOINT_ROOT')).toMatchObject({ index: 294, size: 301 })
    expect(r.firstBadIndex).toBeLessThanOrEqual(300)
  })

  it('a forged checkpoint: AUDIT_CHECKPOINT_SIGNATURE', async () => {
    const s = await copy()
    const other = signerFromKey(generateSignerKey(ORIGIN).skey)
    const range = CompactRange.empty()
    s.checkpoints.set(301, signCheckpoint({ origin: ORIGIN, size: 301, root: range.root(), extensions: [] }, other))
    const edited = s.checkpoints.get(308)!.replace('\n308\n', '\n309\n')
    s.checkpoints.set(308, edited)
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_CHECKPOINT_SIGNATURE@size 301', 'AUDIT_CHECKPOINT_SIGNATURE@size 308'])
    expect(r.checkpoints.consistent).toBe(r.checkpoints.checked - 2)
  })

  it('head, meta and latest checkpoint tampering', async () => {
    const s = await copy()
    s.head = { ...s.head!, root: new Uint8Array(32), time: 5 }
    s.meta = { ...s.meta!, vkey: generateSignerKey(ORIGIN).vkey }
    s.checkpoints.delete(N)
    const r = await auditLog(s, { key: log.vkey })
    expect(r.failures.map((f) => f.code).sort()).toEqual(['AUDIT_CHECKPOINT_MISSING', 'AUDIT_HEAD_MISMATCH', 'AUDIT_HEAD_MISMATCH', 'AUDIT_META_MISMATCH'])
  })

  it('the id index: a lost id and a ghost id', async () => {
    const s = await copy()
    s.ids.delete('ev-77')
    s.ids.set('ghost', 12)
    s.ids.set('ev-78', 79)
    const r = await auditLog(s, { key: log.vkey })
    expect(codes(r)).toEqual(['AUDIT_ID_INDEX@12', 'AUDIT_ID_INDEX@77', 'AUDIT_ID_INDEX@78', 'AUDIT_ID_INDEX@79'])
  })

  it('bad references and time going backwards, as signed by the log', async () => {
    const bad = await buildLog(40, {
      refOf: (i) => (i === 30 ? 35 : i === 20 ? 3 : undefined),
    })
    // entry 30 refers forward (35 is not earlier); entry 20's bound hash is made wrong below
    const s = await OpenStore.from(bad.store)
    const r = await auditLog(s, { key: bad.vkey })
    expect(codes(r)).toEqual([])
    const forged = await buildLog(40, {
      refOf: () => undefined,
      mutate: (e) => {
        if (e.index === 20) e.refs = [{ name: 'basis', id: 'ev-3', index: 3, hash: new Uint8Array(32) }]
        if (e.index === 25) e.time = 1
      },
    })
    const r2 = await auditLog(forged.store, { key: forged.vkey })
    expect(codes(r2)).toEqual(['AUDIT_REF_MISMATCH@20', 'AUDIT_TIME_REGRESSION@25'])
    const fwd = await buildLog(10, {
      refOf: () => undefined,
      mutate: (e) => {
        if (e.index === 4) e.refs = [{ name: 'basis', id: 'ev-6', index: 6, hash: new Uint8Array(32) }]
      },
    })
    expect(codes(await auditLog(fwd.store, { key: fwd.vkey }))).toEqual(['AUDIT_REF_MISMATCH@4'])
  })
})

describe('held checkpoints: rollback, fork, truncation', () => {
  it('a rolled-back log', async () => {
    const back = await buildLog(400)
    const r = await auditLog(back.store, { key: log.vkey, checkpoints: [log.notes.get(N)!] })
    expect(r.failures).toMatchObject([{ code: 'AUDIT_INCONSISTENT', kind: 'rollback', size: N }])
  })

  it('a fork signed with the same key', async () => {
    const fork = await buildLog(N, { refOf: () => undefined })
    const r = await auditLog(fork.store, { key: log.vkey, checkpoints: [log.notes.get(301)!] })
    expect(r.failures).toMatchObject([{ code: 'AUDIT_INCONSISTENT', kind: 'fork', size: 301 }])
  })

  it('a truncated log: the head claims entries that are gone', async () => {
    const s = await copy()
    s.entries.length = 500
    for (const k of [...s.tiles.keys()]) if (k.startsWith('0/')) s.tiles.set(k, s.tile(0, Number(k.slice(2))).subarray(0, 32 * Math.max(1, Math.min(256, 500 - 256 * Number(k.slice(2))))))
    const r = await auditLog(s, { key: log.vkey, checkpoints: [log.notes.get(N)!] })
    expect(r.failures[0]).toMatchObject({ code: 'AUDIT_ENTRY_MISSING', index: 500 })
    expect(r.failures.map((f) => f.kind).filter(Boolean)).toContain('truncation')
  })

  it('a held checkpoint with a bad signature', async () => {
    const r = await auditLog(log.store, { key: log.vkey, checkpoints: [log.notes.get(7)!.replace('\n7\n', '\n8\n')] })
    expect(codes(r)).toEqual(['AUDIT_CHECKPOINT_SIGNATURE@undefined'.replace('@undefined', '@size undefined')])
  })
})

describe('a lying store', () => {
  it('endless or nonsense streams end in AUDIT_STORE_ERROR, never a hang or a throw', async () => {
    const s = await copy()
    const endless = Object.assign(Object.create(s) as OpenStore, {
      async *readCheckpoints() {
        for (let i = 0; ; i++) yield { size: i, text: 'x' }
      },
      async *readIdIndexAll() {
        for (let i = 0; ; i++) yield { id: `x${i}`, index: i }
      },
      async *readTiles() {
        for (let i = 0; ; i++) yield { level: 9, index: i, hashes: new Uint8Array(32) }
      },
    })
    const r = await auditLog(endless, { key: log.vkey, maxFailures: 50 })
    expect(r.ok).toBe(false)
    expect(r.failures.map((f) => f.code)).toContain('AUDIT_STORE_ERROR')
    const repeat = Object.assign(Object.create(s) as OpenStore, {
      async *readEntries() {
        for (;;) yield { index: 0, bytes: s.entries[0] }
      },
    })
    const r2 = await auditLog(repeat, { key: log.vkey })
    expect(r2.failures[0]).toMatchObject({ code: 'AUDIT_STORE_ERROR' })
    const throwing = Object.assign(Object.create(s) as OpenStore, {
      readTile: async () => {
        throw new Error('disk on fire')
      },
    })
    expect((await auditLog(throwing, { key: log.vkey })).failures).toMatchObject([{ code: 'AUDIT_STORE_ERROR', index: 0 }])
  })
})
