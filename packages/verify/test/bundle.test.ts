import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { cosignerFromKey, generateCosignerKey, generateSignerKey } from '@liuhen/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createBundle, parseBundle, verifyBundle, witnessCheckpoint, type Bundle } from '../src/index.js'
import { ORIGIN, OpenStore, buildLog, type TestLog } from './support/log.js'
import { rejectsBundle } from './support/reject.js'
import { flipBits } from '../../../test/support/bytes.js'

const FIXTURE_DIR = fileURLToPath(new URL('../../../test/vectors/bundles/', import.meta.url))
const halfRefs = (i: number): number | undefined => (i > 0 && i % 2 === 0 ? i / 2 : undefined)
let log: TestLog
let bundle: Bundle

beforeAll(async () => {
  log = await buildLog(64, { refOf: halfRefs })
  bundle = await createBundle(log.store, 'ev-40')
})

describe('createBundle / verifyBundle', () => {
  it('bundles the event and everything its references reach', () => {
    expect(bundle.format).toBe('liuhen-bundle/1')
    expect(bundle.entries.map((e) => e.index)).toEqual([40, 20, 10, 5])
    const r = verifyBundle(JSON.stringify(bundle), { key: log.vkey })
    expect(r.failures).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.checkpoint?.size).toBe(64)
    expect(r.chain.map((l) => l.entry.event.id)).toEqual(['ev-40', 'ev-20', 'ev-10', 'ev-5'])
  })

  it('fails with another key', () => {
    const other = generateSignerKey(ORIGIN).vkey
    expect(verifyBundle(bundle, { key: other }).failures).toMatchObject([{ code: 'BUNDLE_KEY_MISMATCH' }])
    expect(verifyBundle({ ...bundle, vkey: other }, { key: other }).failures).toMatchObject([{ code: 'BUNDLE_CHECKPOINT' }])
  })

  it('fails when a link is left out, a proof is cut or an entry is swapped', () => {
    expect(verifyBundle({ ...bundle, entries: bundle.entries.slice(0, 3) }, { key: log.vkey }).failures).toMatchObject([{ code: 'BUNDLE_REF', index: 10 }])
    const cut = bundle.entries.map((e, i) => (i === 1 ? { ...e, proof: e.proof.slice(1) } : e))
    expect(verifyBundle({ ...bundle, entries: cut }, { key: log.vkey }).failures[0]).toMatchObject({ code: 'BUNDLE_INCLUSION', index: 20 })
    const swapped = bundle.entries.map((e, i) => (i === 0 ? { ...e, index: 41 } : e))
    expect(verifyBundle({ ...bundle, entries: swapped }, { key: log.vkey }).failures[0]).toMatchObject({ code: 'BUNDLE_ENTRY', index: 41 })
  })

  it('any changed bit fails (random sample; exhaustive in the slow suite)', () => {
    const text = JSON.stringify(bundle)
    const bytes = Buffer.from(text, 'utf8')
    let seed = 7
    for (let k = 0; k < 300; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const bit = seed % (bytes.length * 8)
      const flipped = Buffer.from(bytes)
      flipBits(flipped, bit >> 3, 1 << (bit & 7))
      expect(rejectsBundle(flipped.toString('utf8'), log.vkey), `bit ${bit}`).toBe(true)
    }
  })

  it('refuses malformed bundles with BUNDLE_MALFORMED', () => {
    const bad: unknown[] = [
      '',
      '{',
      'null',
      '[]',
      { ...bundle, extra: 1 },
      { ...bundle, format: 'liuhen-bundle/2' },
      { ...bundle, format: { toString: 0 } }, // found by the fuzz test: String() of it throws
      { ...bundle, format: 7 },
      { ...bundle, entries: [] },
      { ...bundle, entries: [bundle.entries[0], bundle.entries[0]] },
      { ...bundle, entries: [{ ...bundle.entries[0], entry: 'AB==' }] },
      { ...bundle, entries: [{ ...bundle.entries[0], proof: ['AAAA'] }] },
    ]
    for (const b of bad) expect(() => verifyBundle(b, { key: log.vkey })).toThrow(expect.objectContaining({ code: 'BUNDLE_MALFORMED' }))
    expect(parseBundle(JSON.stringify(bundle))).toEqual(bundle)
  })

  it('leaves witness cosignatures out and refuses unknown signature lines', async () => {
    const s = await OpenStore.from(log.store)
    const w = generateCosignerKey('witness.example')
    s.checkpoints.set(64, witnessCheckpoint({ origin: ORIGIN, vkey: log.vkey }, s.checkpoints.get(64)!, [], cosignerFromKey(w.skey), 1_800_000_000).cosigned)
    const b = await createBundle(s, 'ev-40')
    expect(b.checkpoint).toBe(log.notes.get(64))
    expect(verifyBundle({ ...b, checkpoint: s.checkpoints.get(64) }, { key: log.vkey }).failures).toMatchObject([{ code: 'BUNDLE_CHECKPOINT' }])
    await expect(createBundle(s, 'nope')).rejects.toMatchObject({ code: 'BUNDLE_EVENT_NOT_FOUND' })
  })

  it('verifies the frozen liuhen-bundle/1 fixture', () => {
    const path = `${FIXTURE_DIR}liuhen-bundle-1.json`
    if (process.env['LIUHEN_WRITE_FIXTURES'] === '1') {
      mkdirSync(FIXTURE_DIR, { recursive: true })
      writeFileSync(path, JSON.stringify(bundle, null, 2) + '\n')
    }
    const fixture = readFileSync(path, 'utf8')
    const { vkey } = JSON.parse(fixture) as Bundle
    const r = verifyBundle(fixture, { key: vkey })
    expect(r.ok).toBe(true)
    expect(r.chain.map((l) => l.index)).toEqual([40, 20, 10, 5])
  })
})
