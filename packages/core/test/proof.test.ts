import { describe, expect, it } from 'vitest'
import { EMPTY_ROOT, planConsistency, planInclusion, planRoot, toHex, verifyConsistency, verifyInclusion, type NodeId, type ProofPlan } from '../src/index.js'
import { NodeStore, ReferenceTree, codeOf, makeLeaves } from './support/reference-tree.js'

const leaves = makeLeaves(64)
const tree = new ReferenceTree(leaves)
const store = new NodeStore(leaves)
const run = (plan: ProofPlan, size: number): Uint8Array[] => plan.build(plan.ids.map((id) => store.get(id, size)))
const ids = (...pairs: [number, number][]): NodeId[] => pairs.map(([level, index]) => ({ level, index }))

describe('planInclusion', () => {
  it('asks for the siblings of a perfect tree, leaf first', () => {
    expect(planInclusion(5, 8).ids).toEqual(ids([0, 4], [1, 3], [2, 0]))
  })

  it('rehashes the ephemeral right border from complete nodes', () => {
    // Size 7: leaf 0's third proof hash covers [4, 7), made of nodes [4, 6) and [6, 7).
    const plan = planInclusion(0, 7)
    expect(plan.ids).toEqual(ids([0, 1], [1, 1], [1, 2], [0, 6]))
    expect(run(plan, 7)).toEqual(tree.inclusion(0, 7))
  })

  it('skips levels where the node has no sibling inside the tree', () => {
    expect(planInclusion(2, 3).ids).toEqual(ids([1, 0]))
    expect(planInclusion(0, 1).ids).toEqual([])
    expect(run(planInclusion(0, 1), 1)).toEqual([])
  })

  it('builds proofs equal to the reference for every leaf up to 64', () => {
    for (let size = 1; size <= 64; size++) {
      for (let index = 0; index < size; index++) {
        const proof = run(planInclusion(index, size), size)
        expect(proof.map(toHex)).toEqual(tree.inclusion(index, size).map(toHex))
        verifyInclusion(index, size, leaves[index] as Uint8Array, proof, tree.root(size))
      }
    }
  })

  it('refuses impossible requests with PROOF_RANGE', () => {
    for (const [index, size] of [
      [0, 0],
      [5, 5],
      [-1, 3],
      [1.5, 3],
      [0, 2 ** 53],
    ] as const) {
      expect(codeOf(() => planInclusion(index, size))).toBe('PROOF_RANGE')
    }
  })

  it('plans for sizes beyond 2^32 in O(log n) ids', () => {
    const size = 2 ** 45 + 12345
    const plan = planInclusion(2 ** 33 + 7, size)
    expect(plan.ids.length).toBeLessThanOrEqual(2 * 46)
    for (const id of plan.ids) expect((id.index + 1) * 2 ** id.level).toBeLessThanOrEqual(size)
  })
})

describe('planConsistency', () => {
  it('omits the old root when size1 is a power of two', () => {
    expect(planConsistency(4, 8).ids).toEqual(ids([2, 1]))
    expect(planConsistency(6, 8).ids).toEqual(ids([1, 2], [1, 3], [2, 0]))
  })

  it('builds proofs equal to the reference for every pair up to 64', () => {
    for (let size2 = 1; size2 <= 64; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = run(planConsistency(size1, size2), size2)
        expect(proof.map(toHex)).toEqual(tree.consistency(size1, size2).map(toHex))
        verifyConsistency(size1, size2, proof, tree.root(size1), tree.root(size2))
      }
    }
  })

  it('gives the empty proof for equal sizes', () => {
    expect(planConsistency(9, 9).ids).toEqual([])
    expect(planConsistency(9, 9).build([])).toEqual([])
  })

  it('refuses size1 = 0 and size1 > size2 with PROOF_RANGE', () => {
    for (const [a, b] of [
      [0, 0],
      [0, 4],
      [5, 4],
      [1, Number.NaN],
    ] as const) {
      expect(codeOf(() => planConsistency(a, b))).toBe('PROOF_RANGE')
    }
  })
})

describe('planRoot', () => {
  it('is EMPTY_ROOT without ids for size 0', () => {
    const plan = planRoot(0)
    expect(plan.ids).toEqual([])
    expect(plan.build([])).toEqual([EMPTY_ROOT])
  })

  it('asks for one node per set bit of size, largest first', () => {
    expect(planRoot(13).ids).toEqual(ids([3, 0], [2, 2], [0, 12]))
    expect(planRoot(16).ids).toEqual(ids([4, 0]))
  })

  it('gives the reference root for every size up to 64', () => {
    for (let size = 0; size <= 64; size++) expect(run(planRoot(size), size)).toEqual([tree.root(size)])
  })

  it('refuses bad sizes with PROOF_RANGE', () => {
    expect(codeOf(() => planRoot(-1))).toBe('PROOF_RANGE')
    expect(codeOf(() => planRoot(2 ** 53))).toBe('PROOF_RANGE')
  })
})

describe('ProofPlan.build', () => {
  it('throws RangeError on the wrong number of hashes or bad hashes', () => {
    const plan = planInclusion(0, 7)
    const hashes = plan.ids.map((id) => store.get(id, 7))
    expect(() => plan.build(hashes.slice(1))).toThrow(RangeError)
    expect(() => plan.build([...hashes, hashes[0] as Uint8Array])).toThrow(RangeError)
    expect(() => plan.build(hashes.map((h, i) => (i === 2 ? h.subarray(1) : h)))).toThrow(RangeError)
    expect(() => planRoot(0).build(hashes)).toThrow(RangeError)
  })
})

describe('ProofPlan.groups', () => {
  it('counts the ids of each proof hash: 1 for a stored node, more for an ephemeral one', () => {
    for (const [plan, want] of [
      [planInclusion(0, 3), [1, 1]],
      [planInclusion(0, 7), [1, 1, 2]],
      [planRoot(7), [3]],
      [planRoot(0), []],
      [planConsistency(3, 7), [1, 1, 1, 2]],
    ] as const) {
      expect(plan.groups).toEqual(want)
      expect(plan.groups.reduce((a, b) => a + b, 0)).toBe(plan.ids.length)
      if (plan.ids.length > 0) expect(plan.build(plan.ids.map(() => new Uint8Array(32))).length).toBe(plan.groups.length)
    }
  })
})
