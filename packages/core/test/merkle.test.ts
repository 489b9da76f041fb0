import { describe, expect, it } from 'vitest'
import { LedgerError, parseInclusionProof, rootFromInclusionProof, toHex, verifyConsistency, verifyInclusion } from '../src/index.js'
import { ReferenceTree, codeOf, flipBit, makeLeaves } from './support/reference-tree.js'

const tree = new ReferenceTree(makeLeaves(64))
const leaf = (i: number): Uint8Array => tree.leaves[i] as Uint8Array
const H = new Uint8Array(32)

describe('verifyInclusion', () => {
  it('accepts every reference proof up to 64 leaves', () => {
    for (let size = 1; size <= 64; size++) {
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusion(index, size)
        verifyInclusion(index, size, leaf(index), proof, tree.root(size))
        expect(rootFromInclusionProof(index, size, leaf(index), proof)).toEqual(tree.root(size))
      }
    }
  })

  it('takes a single-leaf tree with an empty proof', () => {
    verifyInclusion(0, 1, leaf(0), [], leaf(0))
  })

  it('reports a wrong root with expected and actual in hex', () => {
    const proof = tree.inclusion(5, 11)
    const bad = flipBit(tree.root(11), 3)
    let caught: unknown
    try {
      verifyInclusion(5, 11, leaf(5), proof, bad)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(LedgerError)
    const err = caught as LedgerError
    expect(err.code).toBe('PROOF_ROOT_MISMATCH')
    expect(err.details).toMatchObject({ expected: toHex(bad), actual: toHex(tree.root(11)) })
  })

  it('rejects a tampered proof, leaf or position', () => {
    const proof = tree.inclusion(5, 11)
    const root = tree.root(11)
    const flipped = proof.map((h, i) => (i === 1 ? flipBit(h, 77) : h))
    expect(codeOf(() => verifyInclusion(5, 11, leaf(5), flipped, root))).toBe('PROOF_ROOT_MISMATCH')
    expect(codeOf(() => verifyInclusion(5, 11, leaf(4), proof, root))).toBe('PROOF_ROOT_MISMATCH')
    expect(codeOf(() => verifyInclusion(4, 11, leaf(5), proof, root))).toBe('PROOF_ROOT_MISMATCH')
    // (5, 11) and (5, 12) proofs have the same shape: the root, not the proof, pins the size.
    expect(codeOf(() => verifyInclusion(5, 12, leaf(5), proof, tree.root(12)))).toBe('PROOF_ROOT_MISMATCH')
    expect(codeOf(() => verifyInclusion(5, 6, leaf(5), proof, root))).toBe('PROOF_INVALID') // size 6 takes 2 hashes
  })

  it('refuses out-of-range indices and sizes with PROOF_RANGE', () => {
    for (const [index, size] of [
      [0, 0],
      [3, 3],
      [4, 3],
      [-1, 3],
      [0.5, 3],
      [0, 2 ** 53],
      [Number.NaN, 3],
      [0, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(codeOf(() => verifyInclusion(index, size, H, [], H))).toBe('PROOF_RANGE')
    }
  })

  it('refuses bad lengths with PROOF_INVALID, never a raw TypeError', () => {
    const proof = tree.inclusion(2, 8)
    const root = tree.root(8)
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2), proof.slice(1), root))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2), [...proof, H], root))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2).subarray(1), proof, root))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2), proof, root.subarray(0, 31)))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2), [proof[0] as Uint8Array, new Uint8Array(33), H], root))).toBe('PROOF_INVALID')
    const junk = [null, 'ab', 7] as unknown as Uint8Array[]
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2), junk, root))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyInclusion(2, 8, leaf(2), null as unknown as Uint8Array[], root))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyInclusion(2, 8, 'x' as unknown as Uint8Array, proof, root))).toBe('PROOF_INVALID')
  })

  it('fails fast on a huge proof and works near 2^53', () => {
    const huge = new Array<Uint8Array>(1_000_000).fill(H)
    expect(codeOf(() => verifyInclusion(0, 8, H, huge, H))).toBe('PROOF_INVALID')
    // A size above 2^32 exercises the 53-bit arithmetic: 2^53 - 1 leaves, last leaf, 53 border hashes.
    const size = Number.MAX_SAFE_INTEGER
    const proof = new Array<Uint8Array>(52).fill(H) // popcount(2^53 - 2) border hashes
    expect(rootFromInclusionProof(size - 1, size, H, proof)).toHaveLength(32)
    expect(codeOf(() => rootFromInclusionProof(size - 1, size, H, [...proof, H]))).toBe('PROOF_INVALID')
    expect(codeOf(() => rootFromInclusionProof(0, size, H, proof))).toBe('PROOF_INVALID') // needs 53
    expect(rootFromInclusionProof(2 ** 40, 2 ** 40 + 1, H, [H])).toHaveLength(32)
  })
})

describe('verifyConsistency', () => {
  it('accepts every reference proof up to 64 leaves', () => {
    for (let size2 = 1; size2 <= 64; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        verifyConsistency(size1, size2, tree.consistency(size1, size2), tree.root(size1), tree.root(size2))
      }
    }
  })

  it('treats equal sizes as: empty proof and equal roots', () => {
    verifyConsistency(7, 7, [], tree.root(7), tree.root(7))
    expect(codeOf(() => verifyConsistency(7, 7, [H], tree.root(7), tree.root(7)))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyConsistency(7, 7, [], tree.root(7), tree.root(6)))).toBe('PROOF_ROOT_MISMATCH')
    expect(codeOf(() => verifyConsistency(7, 7, [], null as unknown as Uint8Array, H))).toBe('PROOF_INVALID')
  })

  it('refuses size1 = 0, size1 > size2 and bad sizes with PROOF_RANGE', () => {
    const cases = [
      [0, 0],
      [0, 5],
      [6, 5],
      [-1, 5],
      [1.5, 5],
      [1, 2 ** 53],
      [Number.NaN, 1],
    ] as const
    for (const [size1, size2] of cases) {
      expect(codeOf(() => verifyConsistency(size1, size2, [], EMPTY, EMPTY))).toBe('PROOF_RANGE')
    }
  })

  it('names the root that does not follow', () => {
    const proof = tree.consistency(6, 13)
    const err = (fn: () => void): LedgerError => {
      try {
        fn()
      } catch (e) {
        return e as LedgerError
      }
      throw new Error('no error')
    }
    const e1 = err(() => verifyConsistency(6, 13, proof, flipBit(tree.root(6), 0), tree.root(13)))
    expect([e1.code, e1.details.which]).toEqual(['PROOF_ROOT_MISMATCH', 'root1'])
    const e2 = err(() => verifyConsistency(6, 13, proof, tree.root(6), flipBit(tree.root(13), 0)))
    expect([e2.code, e2.details.which]).toEqual(['PROOF_ROOT_MISMATCH', 'root2'])
  })

  it('rejects tampered proofs and wrong lengths', () => {
    const proof = tree.consistency(6, 13)
    const [r1, r2] = [tree.root(6), tree.root(13)]
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((h, j) => (i === j ? flipBit(h, 200) : h))
      expect(codeOf(() => verifyConsistency(6, 13, bad, r1, r2))).toBe('PROOF_ROOT_MISMATCH')
    }
    expect(codeOf(() => verifyConsistency(6, 13, proof.slice(0, -1), r1, r2))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyConsistency(6, 13, [...proof, H], r1, r2))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyConsistency(4, 8, [], tree.root(4), tree.root(8)))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyConsistency(6, 13, proof, r1.subarray(1), r2))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyConsistency(6, 13, proof, r1, new Uint8Array(0)))).toBe('PROOF_INVALID')
    expect(codeOf(() => verifyConsistency(6, 8, proof, r1, r2))).toBe('PROOF_INVALID') // 3 hashes for (6, 8)
    const huge = new Array<Uint8Array>(1_000_000).fill(H)
    expect(codeOf(() => verifyConsistency(6, 13, huge, r1, r2))).toBe('PROOF_INVALID')
  })
})

const EMPTY = new Uint8Array(32)

describe('parseInclusionProof', () => {
  const good = { index: 5, size: 11, leafHash: 'ignored', proof: tree.inclusion(5, 11).map(toHex), root: 'ignored' }

  it('decodes the hex once into packed hashes that verify like the array', () => {
    const p = parseInclusionProof(good)
    expect([p.index, p.size, p.proof.length]).toEqual([5, 11, 32 * good.proof.length])
    verifyInclusion(p.index, p.size, leaf(5), p.proof, tree.root(11))
    const upper = parseInclusionProof({ ...good, proof: good.proof.map((h) => h.toUpperCase()) })
    expect(toHex(upper.proof)).toBe(toHex(p.proof))
    expect(parseInclusionProof({ index: 0, size: 1, proof: [] }).proof.length).toBe(0)
  })

  it('refuses what is not a proof, with PROOF_RANGE or PROOF_INVALID', () => {
    const h = toHex(H)
    expect(codeOf(() => parseInclusionProof(null))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof('x'))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, index: -1 }))).toBe('PROOF_RANGE')
    expect(codeOf(() => parseInclusionProof({ ...good, size: 2 ** 53 }))).toBe('PROOF_RANGE')
    expect(codeOf(() => parseInclusionProof({ ...good, index: '5' }))).toBe('PROOF_RANGE')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: h }))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: [h, 7] }))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: [h.slice(2)] }))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: [`${h.slice(2)}zz`] }))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: [h, `g${h.slice(1)}`] }))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: [`${h.slice(0, 62)} 0`] }))).toBe('PROOF_INVALID')
    expect(codeOf(() => parseInclusionProof({ ...good, proof: new Array<string>(65).fill(h) }))).toBe('PROOF_INVALID')
  })

  it('leaves length checks to verifyInclusion', () => {
    const p = parseInclusionProof({ ...good, proof: [...good.proof, toHex(H)] })
    expect(codeOf(() => verifyInclusion(p.index, p.size, leaf(5), p.proof, tree.root(11)))).toBe('PROOF_INVALID')
  })
})
