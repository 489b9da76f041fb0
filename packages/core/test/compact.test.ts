import { describe, expect, it } from 'vitest'
import { CompactRange, EMPTY_ROOT, hashChildren } from '../src/index.js'
import { NodeStore, ReferenceTree, makeLeaves } from './support/reference-tree.js'

const leaves = makeLeaves(300)
const tree = new ReferenceTree(leaves)
const leaf = (i: number): Uint8Array => leaves[i] as Uint8Array

function build(size: number): CompactRange {
  const range = CompactRange.empty()
  for (let i = 0; i < size; i++) range.append(leaf(i))
  return range
}

describe('CompactRange', () => {
  it('starts empty with the empty root', () => {
    const range = CompactRange.empty()
    expect(range.size).toBe(0)
    expect(range.hashes).toEqual([])
    expect(range.root()).toEqual(EMPTY_ROOT)
  })

  it('has the reference root after each append', () => {
    const range = CompactRange.empty()
    for (let size = 1; size <= 300; size++) {
      range.append(leaf(size - 1))
      expect(range.size).toBe(size)
      expect(range.root()).toEqual(tree.root(size))
    }
  })

  it('reports the leaf, then each merged parent in increasing level', () => {
    const range = build(7)
    const seen: [number, number, Uint8Array][] = []
    range.append(leaf(7), (level, index, hash) => seen.push([level, index, hash]))
    const store = new NodeStore(leaves.slice(0, 8))
    expect(seen.map(([l, i]) => [l, i])).toEqual([
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ])
    for (const [level, index, hash] of seen) expect(hash).toEqual(store.get({ level, index }, 8))
    expect(range.hashes).toEqual([tree.root(8)])
  })

  it('reports every complete node exactly once over many appends', () => {
    const store = new NodeStore(leaves)
    const range = CompactRange.empty()
    let count = 0
    for (const l of leaves) {
      range.append(l, (level, index, hash) => {
        expect(hash).toEqual(store.get({ level, index }, range.size + 1))
        count++
      })
    }
    expect(count).toBe(store.count(300))
  })

  it('keeps one frontier hash per set bit of size, largest first', () => {
    const range = build(13) // 8 + 4 + 1
    expect(range.hashes).toEqual([tree.mth(0, 8), tree.mth(8, 4), leaf(12)])
    expect(range.root()).toEqual(hashChildren(tree.mth(0, 8), hashChildren(tree.mth(8, 4), leaf(12))))
  })

  it('round-trips through fromFrontier and keeps appending', () => {
    for (const size of [0, 1, 2, 5, 13, 64, 127]) {
      const range = build(size)
      const copy = CompactRange.fromFrontier(range.size, range.hashes)
      expect(copy.size).toBe(size)
      expect(copy.root()).toEqual(tree.root(size))
      for (let i = size; i < size + 40; i++) copy.append(leaf(i))
      expect(copy.root()).toEqual(tree.root(size + 40))
    }
  })

  it('validates fromFrontier input', () => {
    const h = leaf(0)
    expect(() => CompactRange.fromFrontier(5, [h])).toThrow(RangeError)
    expect(() => CompactRange.fromFrontier(5, [h, h, h])).toThrow(RangeError)
    expect(() => CompactRange.fromFrontier(0, [h])).toThrow(RangeError)
    expect(() => CompactRange.fromFrontier(-1, [])).toThrow(RangeError)
    expect(() => CompactRange.fromFrontier(1.5, [h])).toThrow(RangeError)
    expect(() => CompactRange.fromFrontier(2 ** 53, [h])).toThrow(RangeError)
    expect(() => CompactRange.fromFrontier(3, [h, h.subarray(2)])).toThrow(TypeError)
    const big = CompactRange.fromFrontier(2 ** 40 + 3, [h, h, h])
    expect(big.size).toBe(2 ** 40 + 3)
    const seen: number[][] = []
    big.append(h, (level, index) => seen.push([level, index]))
    expect(seen).toEqual([
      [0, 2 ** 40 + 3],
      [1, 2 ** 39 + 1],
      [2, 2 ** 38],
    ])
    expect(big.hashes).toHaveLength(2)
  })

  it('copies fromFrontier input and refuses bad leaves', () => {
    const h = leaf(3).slice()
    const range = CompactRange.fromFrontier(1, [h])
    h.fill(0)
    expect(range.hashes[0]).toEqual(leaf(3))
    expect(() => range.append(new Uint8Array(31))).toThrow(TypeError)
    expect(range.size).toBe(1)
  })

  it('clones independently and hands out copies of its frontier', () => {
    const a = build(10)
    const b = a.clone()
    b.append(leaf(10))
    expect(a.size).toBe(10)
    expect(a.root()).toEqual(tree.root(10))
    expect(b.root()).toEqual(tree.root(11))
    a.hashes.pop()
    expect(a.hashes).toHaveLength(2)
  })
})
