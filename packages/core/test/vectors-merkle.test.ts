/**
 * The transparency-dev/merkle proof probes, run as published (provenance and semantics in
 * test/vectors/transparency-dev-merkle/README.md): `wantErr: true` must throw a LedgerError,
 * `false` must pass. Happy-path probes are also regenerated from the reference tree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CompactRange, fromBase64, fromHex, hashLeaf, isLedgerError, planConsistency, planInclusion, planRoot, toHex, verifyConsistency, verifyInclusion } from '../src/index.js'
import { NodeStore } from './support/reference-tree.js'

const ROOT = fileURLToPath(new URL('../../../test/vectors/transparency-dev-merkle/', import.meta.url))

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listJson(path) : name.endsWith('.json') ? [path] : []
  })
}

function load(kind: string): [string, Record<string, unknown>][] {
  const base = join(ROOT, 'testdata', kind)
  return listJson(base).map((p) => [p.slice(base.length + 1), JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>])
}

const b64 = (v: unknown): Uint8Array => fromBase64(v as string)
// Go's nil slice is JSON null: the empty proof.
const proofOf = (v: unknown): Uint8Array[] => ((v as string[] | null) ?? []).map((s) => fromBase64(s))

function outcome(fn: () => void): 'ok' | 'err' {
  try {
    fn()
    return 'ok'
  } catch (err) {
    if (!isLedgerError(err)) throw err // a raw TypeError would be a bug
    return 'err'
  }
}

interface Reference {
  leafInputsHex: string[]
  nodeHashesByLevel: string[][]
  rootHashesBySize: string[]
}
const ref = JSON.parse(readFileSync(join(ROOT, 'rfc6962-reference-tree.json'), 'utf8')) as Reference
const refLeaves = ref.leafInputsHex.map((h) => hashLeaf(fromHex(h)))
const refStore = new NodeStore(refLeaves)
const fetch = (ids: { level: number; index: number }[], size: number): Uint8Array[] => ids.map((id) => refStore.get(id, size))

const inclusion = load('inclusion')
const consistency = load('consistency')

describe('transparency-dev/merkle vectors', () => {
  it('has all 196 inclusion and consistency probes', () => {
    expect(inclusion.length + consistency.length).toBe(196)
  })

  it.each(inclusion)('inclusion %s', (_name, v) => {
    const run = (): void => verifyInclusion(v.leafIdx as number, v.treeSize as number, b64(v.leafHash), proofOf(v.proof), b64(v.root))
    expect(outcome(run)).toBe(v.wantErr === true ? 'err' : 'ok')
  })

  it.each(consistency)('consistency %s', (_name, v) => {
    const run = (): void => verifyConsistency(v.size1 as number, v.size2 as number, proofOf(v.proof), b64(v.root1), b64(v.root2))
    expect(outcome(run)).toBe(v.wantErr === true ? 'err' : 'ok')
  })

  it('regenerates every happy-path proof over the reference tree', () => {
    let checked = 0
    for (const [, v] of inclusion) {
      const size = v.treeSize as number
      if (v.wantErr !== false || size > 8 || toHex(b64(v.root)) !== ref.rootHashesBySize[size]) continue
      const plan = planInclusion(v.leafIdx as number, size)
      expect(plan.build(fetch(plan.ids, size)).map(toHex)).toEqual(proofOf(v.proof).map(toHex))
      checked++
    }
    for (const [, v] of consistency) {
      const size1 = v.size1 as number
      const size2 = v.size2 as number
      if (v.wantErr !== false || size1 === 0 || size2 > 8 || toHex(b64(v.root2)) !== ref.rootHashesBySize[size2]) continue
      const plan = planConsistency(size1, size2)
      expect(plan.build(fetch(plan.ids, size2)).map(toHex)).toEqual(proofOf(v.proof).map(toHex))
      checked++
    }
    expect(checked).toBeGreaterThanOrEqual(10)
  })
})

describe('RFC 6962 reference tree', () => {
  it('CompactRange and planRoot give the published roots for sizes 0..8', () => {
    const range = CompactRange.empty()
    for (let size = 0; size <= 8; size++) {
      expect(toHex(range.root())).toBe(ref.rootHashesBySize[size])
      const plan = planRoot(size)
      expect(plan.build(fetch(plan.ids, size)).map(toHex)).toEqual([ref.rootHashesBySize[size]])
      const leaf = refLeaves[size]
      if (leaf !== undefined) range.append(leaf)
    }
  })

  it('CompactRange emits every published node hash', () => {
    const emitted: string[][] = []
    const range = CompactRange.empty()
    for (const leaf of refLeaves) {
      range.append(leaf, (level, index, hash) => {
        const row = (emitted[level] ??= [])
        expect(row.length).toBe(index) // nodes of a level arrive left to right, once each
        row.push(toHex(hash))
      })
    }
    expect(emitted).toEqual(ref.nodeHashesByLevel)
  })
})
