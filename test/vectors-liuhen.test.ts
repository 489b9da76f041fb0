/**
 * Liuhen's own format-1 vectors (test/vectors/liuhen/README.md). Two checks: the committed files
 * are exactly what test/vectors/generate.ts produces (the vector-diff check: a change to the
 * formats or the generator shows up here; regenerate with `pnpm vectors`), and every committed
 * case runs through the library: positives verify or decode to their expected output, negatives
 * throw their `wantErr` code.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeEntry, encodeEntry, fromHex, hashLeaf, openCheckpoint, rootFromInclusionProof, toHex, verifierFromKey, verifyConsistency, verifyInclusion, type Entry } from '@liuhen/core'
import { verifyBundle } from '@liuhen/verify'
import { generateVectors, KINDS, listVectorFiles, VECTOR_DIR, writeVectors } from './vectors/generate.js'
import './support/matchers.js'

const generated = generateVectors()
if (process.env['UPDATE_VECTORS'] === '1') writeVectors(generated)

type Vector = Record<string, unknown> & { desc: string; wantErr?: string }
const committed = listVectorFiles()
const load = (kind: string): [string, Vector][] =>
  committed.filter((p) => p.startsWith(`${kind}/`)).map((p) => [p.slice(kind.length + 1), JSON.parse(readFileSync(join(VECTOR_DIR, p), 'utf8')) as Vector])
const hex = (v: unknown): Uint8Array => fromHex(v as string)
const hexes = (v: unknown): Uint8Array[] => (v as string[]).map((s) => fromHex(s))

describe('Liuhen vectors: committed files match the generator (regenerate with `pnpm vectors`)', () => {
  it('has the same files, no more, no fewer', () => {
    expect(committed).toEqual([...generated.keys()].sort())
  })

  it('has every kind, each with positives and negatives, tens of cases each', () => {
    for (const kind of KINDS) {
      const cases = load(kind).map(([, v]) => v)
      expect(cases.filter((v) => v.wantErr === undefined).length, kind).toBeGreaterThan(0)
      expect(cases.filter((v) => v.wantErr !== undefined).length, kind).toBeGreaterThan(0)
      expect(cases.length, kind).toBeLessThan(100)
    }
  })

  it.each([...generated.keys()])('%s is byte for byte as generated', (path) => {
    expect(readFileSync(join(VECTOR_DIR, path), 'utf8')).toBe(generated.get(path))
  })
})

// The JSON form of a decoded entry: reference hashes in hex.
function entryFromJson(v: unknown): Entry {
  const e = v as Omit<Entry, 'refs'> & { refs: (Omit<Entry['refs'][number], 'hash'> & { hash?: string })[] }
  return { ...e, refs: e.refs.map(({ hash, ...r }) => (hash === undefined ? r : { ...r, hash: fromHex(hash) })) }
}

describe('Liuhen vectors run through the library', () => {
  it.each(load('encoding'))('encoding %s', (_name, v) => {
    if (v.wantErr) {
      expect(() => decodeEntry(hex(v['bytes']))).toThrowWithCode(v.wantErr)
      return
    }
    const entry = entryFromJson(v['entry'])
    expect(decodeEntry(hex(v['bytes']))).toEqual(entry)
    expect(toHex(encodeEntry(entry))).toBe(v['bytes'])
  })

  it.each(load('leaf-hash'))('leaf-hash %s', (_name, v) => {
    const leaf = hashLeaf(hex(v['entry']))
    if (!v.wantErr) {
      expect(toHex(leaf)).toBe(v['leafHash'])
      return
    }
    expect(toHex(leaf)).not.toBe(v['leafHash'])
    // A leaf hash is signed as the root of a one-entry tree: the wrong claim fails there.
    expect(() => verifyInclusion(0, 1, leaf, [], hex(v['leafHash']))).toThrowWithCode(v.wantErr)
  })

  it.each(load('inclusion'))('inclusion %s', (_name, v) => {
    const run = () => verifyInclusion(v['index'] as number, v['size'] as number, hex(v['leafHash']), hexes(v['proof']), hex(v['root']))
    if (v.wantErr) {
      expect(run).toThrowWithCode(v.wantErr)
      return
    }
    run()
    expect(toHex(rootFromInclusionProof(v['index'] as number, v['size'] as number, hex(v['leafHash']), hexes(v['proof'])))).toBe(v['root'])
  })

  it.each(load('consistency'))('consistency %s', (_name, v) => {
    const run = () => verifyConsistency(v['size1'] as number, v['size2'] as number, hexes(v['proof']), hex(v['root1']), hex(v['root2']))
    if (v.wantErr) {
      expect(run).toThrowWithCode(v.wantErr)
      return
    }
    expect(run).not.toThrow()
  })

  it.each(load('checkpoint'))('checkpoint %s', (_name, v) => {
    const options = typeof v['origin'] === 'string' ? { origin: v['origin'] } : {}
    const run = () => openCheckpoint(v['note'] as string, verifierFromKey(v['vkey'] as string), options).checkpoint
    if (v.wantErr) {
      expect(run).toThrowWithCode(v.wantErr)
      return
    }
    const cp = run()
    expect({ ...cp, root: toHex(cp.root) }).toEqual(v['checkpoint'])
  })

  it.each(load('chain'))('chain %s', (_name, v) => {
    const result = verifyBundle(v['bundle'], { key: v['key'] as string })
    if (v.wantErr) {
      // The mutation is the bundle's only fault: exactly one failure, with the named code.
      expect(result.ok).toBe(false)
      expect(result.failures.map((f) => f.code)).toEqual([v.wantErr])
      return
    }
    expect(result.failures).toEqual([])
    expect(result.chain.map((l) => ({ index: l.index, id: l.entry.event.id, leafHash: l.leafHash }))).toEqual(v['chain'])
  })
})
