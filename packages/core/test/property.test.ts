/**
 * Property tests against the naive reference tree (after transparency-dev/merkle
 * testonly/tree_fuzz_test.go): for random sizes up to 2048, roots from CompactRange and
 * planRoot, and inclusion and consistency proofs built by plans over a naive node store, all
 * equal the RFC 9162 recursive definitions and verify; a flipped bit never does.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CompactRange,
  concatBytes,
  isLedgerError,
  parseInclusionProof,
  planConsistency,
  planInclusion,
  planRoot,
  rootFromInclusionProof,
  toHex,
  verifyConsistency,
  verifyInclusion,
  type ProofPlan,
} from '../src/index.js'
import { NodeStore, ReferenceTree, codeOf, flipBit, makeLeaves } from './support/reference-tree.js'

const MAX = 2048
const leaves = makeLeaves(MAX)
const tree = new ReferenceTree(leaves)
const store = new NodeStore(leaves)
// store.get refuses nodes not complete in `size`: a plan asking for an ephemeral node fails.
const run = (plan: ProofPlan, size: number): Uint8Array[] => plan.build(plan.ids.map((id) => store.get(id, size)))
const hex = (hs: Uint8Array[]): string[] => hs.map(toHex)
const RUNS = { numRuns: 500 }

const sizeAndIndex = fc.integer({ min: 1, max: MAX }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)))
const sizePair = fc.integer({ min: 1, max: MAX }).chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2)))

describe('Merkle properties against the reference tree', () => {
  it('CompactRange reports exactly the complete nodes and the reference root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), (size) => {
        const range = CompactRange.empty()
        let nodes = 0
        for (let i = 0; i < size; i++) {
          range.append(leaves[i] as Uint8Array, (level, index, hash) => {
            if (toHex(hash) !== toHex(store.get({ level, index }, i + 1))) throw new Error('wrong node')
            nodes++
          })
        }
        expect(nodes).toBe(store.count(size))
        expect(toHex(range.root())).toBe(toHex(tree.root(size)))
        expect(toHex(CompactRange.fromFrontier(size, range.hashes).root())).toBe(toHex(tree.root(size)))
      }),
      { numRuns: 60 },
    )
  })

  it('CompactRange resumed from a frontier matches one built in one go', () => {
    fc.assert(
      fc.property(sizePair, ([size1, size2]) => {
        const range = CompactRange.empty()
        for (let i = 0; i < size1; i++) range.append(leaves[i] as Uint8Array)
        const resumed = CompactRange.fromFrontier(range.size, range.hashes)
        for (let i = size1; i < size2; i++) resumed.append(leaves[i] as Uint8Array)
        expect(toHex(resumed.root())).toBe(toHex(tree.root(size2)))
        expect(toHex(range.root())).toBe(toHex(tree.root(size1)))
      }),
      { numRuns: 60 },
    )
  })

  it('planRoot gives the reference root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), (size) => {
        expect(hex(run(planRoot(size), size))).toEqual([toHex(tree.root(size))])
      }),
      RUNS,
    )
  })

  it('inclusion proofs equal the reference, verify, and fail when tampered', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), ([size, index], bit) => {
        const leaf = leaves[index] as Uint8Array
        const root = tree.root(size)
        const proof = run(planInclusion(index, size), size)
        expect(hex(proof)).toEqual(hex(tree.inclusion(index, size)))
        verifyInclusion(index, size, leaf, proof, root)
        expect(toHex(rootFromInclusionProof(index, size, leaf, proof))).toBe(toHex(root))
        expect(codeOf(() => verifyInclusion(index, size, flipBit(leaf, bit), proof, root))).toBe('PROOF_ROOT_MISMATCH')
        if (proof.length > 0) {
          const at = bit % proof.length
          const bad = proof.map((h, i) => (i === at ? flipBit(h, bit) : h))
          expect(codeOf(() => verifyInclusion(index, size, leaf, bad, root))).toBe('PROOF_ROOT_MISMATCH')
        }
        expect(codeOf(() => verifyInclusion(index, size, leaf, [...proof, leaf], root))).toBe('PROOF_INVALID')

        // The same proof packed, as parsed from its JSON form: same answers, inputs untouched.
        const packed = concatBytes(...proof)
        const parsed = parseInclusionProof({ index, size, proof: hex(proof) })
        expect([parsed.index, parsed.size, toHex(parsed.proof)]).toEqual([index, size, toHex(packed)])
        const leafBuffer = Buffer.from(leaf)
        verifyInclusion(index, size, leafBuffer, parsed.proof, Buffer.from(root))
        expect(toHex(leafBuffer)).toBe(toHex(leaf))
        expect(toHex(parsed.proof)).toBe(toHex(packed))
        expect(toHex(rootFromInclusionProof(index, size, leaf, packed))).toBe(toHex(root))
        if (proof.length > 0) {
          expect(codeOf(() => verifyInclusion(index, size, leaf, flipBit(packed, bit), root))).toBe('PROOF_ROOT_MISMATCH')
        }
        expect(codeOf(() => verifyInclusion(index, size, leaf, concatBytes(packed, leaf), root))).toBe('PROOF_INVALID')
        expect(codeOf(() => verifyInclusion(index, size, leaf, concatBytes(packed, Uint8Array.of(0)), root))).toBe('PROOF_INVALID')
      }),
      RUNS,
    )
  })

  it('consistency proofs equal the reference, verify, and fail when tampered', () => {
    fc.assert(
      fc.property(sizePair, fc.nat(), ([size1, size2], bit) => {
        const [root1, root2] = [tree.root(size1), tree.root(size2)]
        const proof = run(planConsistency(size1, size2), size2)
        expect(hex(proof)).toEqual(hex(tree.consistency(size1, size2)))
        verifyConsistency(size1, size2, proof, root1, root2)
        verifyConsistency(size1, size2, concatBytes(...proof), root1, root2)
        expect(codeOf(() => verifyConsistency(size1, size2, proof, flipBit(root1, bit), root2))).toBe('PROOF_ROOT_MISMATCH')
        expect(codeOf(() => verifyConsistency(size1, size2, proof, root1, flipBit(root2, bit)))).toBe('PROOF_ROOT_MISMATCH')
        if (proof.length > 0) {
          const at = bit % proof.length
          const bad = proof.map((h, i) => (i === at ? flipBit(h, bit) : h))
          expect(codeOf(() => verifyConsistency(size1, size2, bad, root1, root2))).toBe('PROOF_ROOT_MISMATCH')
          expect(codeOf(() => verifyConsistency(size1, size2, concatBytes(...bad), root1, root2))).toBe('PROOF_ROOT_MISMATCH')
        }
      }),
      RUNS,
    )
  })

  it('verification never throws anything but a LedgerError on arbitrary input', () => {
    const hash = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }))
    const count = fc.oneof(fc.nat(MAX), fc.integer(), fc.double(), fc.constant(2 ** 53))
    const proof = fc.array(hash, { maxLength: 14 })
    const tryIt = (fn: () => void): void => {
      try {
        fn()
      } catch (err) {
        if (!isLedgerError(err)) throw err
      }
    }
    fc.assert(
      fc.property(count, count, hash, proof, hash, hash, (a, b, h1, p, r1, r2) => {
        tryIt(() => verifyInclusion(a, b, h1, p, r1))
        tryIt(() => verifyConsistency(a, b, p, r1, r2))
        tryIt(() => verifyInclusion(a, b, h1, concatBytes(...p), r1))
        tryIt(() => verifyConsistency(a, b, concatBytes(...p), r1, r2))
        tryIt(() => parseInclusionProof({ index: a, size: b, proof: p.map(toHex) }))
      }),
      { numRuns: 2000 },
    )
  })
})
