/** Inclusion and consistency vectors: valid proofs from the fixed log and their mutations. */
import { planConsistency, planInclusion, toHex, type ProofPlan } from '@liuhen/core'
import { consistencyProof, inclusionProof, LOG } from './log.js'
import { flip, type Case } from './support.js'

// The code a verifier must throw for a proof of `have` hashes at a mutated position (with the
// true root of a mutated size): a range error when the position is out of range, else a length
// error when the planner builds a proof of another length there, else a root mismatch (the
// proof would otherwise be a SHA-256 collision).
function proofCode(inRange: boolean, plan: () => ProofPlan, have: number): string {
  if (!inRange) return 'PROOF_RANGE'
  const { ids, build } = plan()
  return build(ids.map(() => new Uint8Array(32))).length === have ? 'PROOF_ROOT_MISMATCH' : 'PROOF_INVALID'
}

const hexes = (hs: readonly Uint8Array[]) => hs.map(toHex)

export function inclusionCases(): Case[] {
  const cases: Case[] = []
  const bases: [number, number][] = [
    [0, 1],
    [0, 11],
    [5, 11],
    [10, 11],
    [7, 8],
    [2, 3],
  ]
  for (const [index, size] of bases) {
    const leafHash = LOG.leaves[index] as Uint8Array
    const proof = inclusionProof(LOG, index, size)
    const root = LOG.roots[size] as Uint8Array
    const base = `leaf-${index}-size-${size}`
    const one = (name: string, desc: string, v: { index?: number; size?: number; leafHash?: Uint8Array; proof?: Uint8Array[]; root?: Uint8Array }, wantErr?: string) => {
      const c: Case = {
        name: name ? `${base}-${name}` : `valid-${base}`,
        desc,
        index: v.index ?? index,
        size: v.size ?? size,
        leafHash: toHex(v.leafHash ?? leafHash),
        proof: hexes(v.proof ?? proof),
        root: toHex(v.root ?? root),
      }
      cases.push(wantErr ? { ...c, wantErr } : c)
    }
    one('', `leaf ${index} of the ${size}-entry log: a valid proof of ${proof.length} hashes`, {})
    if (size < 11) continue // mutations on the larger trees only, enough to read
    const n = proof.length
    const at = (i: number, s: number) => proofCode(i >= 0 && i < s, () => planInclusion(i, s), n)
    one('bit-flip-leaf-hash', 'bit flip in the leaf hash', { leafHash: flip(leafHash) }, 'PROOF_ROOT_MISMATCH')
    one('bit-flip-first-hash', 'bit flip in the first path hash', { proof: proof.map((h, i) => (i === 0 ? flip(h) : h)) }, 'PROOF_ROOT_MISMATCH')
    one('bit-flip-last-hash', 'bit flip in the last path hash', { proof: proof.map((h, i) => (i === n - 1 ? flip(h) : h)) }, 'PROOF_ROOT_MISMATCH')
    one('bit-flip-root', 'bit flip in the root', { root: flip(root) }, 'PROOF_ROOT_MISMATCH')
    one('index-plus-1', 'index + 1 under the same proof', { index: index + 1 }, at(index + 1, size))
    one('index-minus-1', 'index - 1 under the same proof', { index: index - 1 }, at(index - 1, size))
    one('size-plus-1', 'size + 1 with its root, under the proof for the original size', { size: size + 1, root: LOG.roots[size + 1] as Uint8Array }, at(index, size + 1))
    one('size-minus-1', 'size - 1 with its root, under the proof for the original size', { size: size - 1, root: LOG.roots[size - 1] as Uint8Array }, at(index, size - 1))
    one('extra-hash', 'an extra hash appended to the proof', { proof: [...proof, leafHash] }, 'PROOF_INVALID')
    one('missing-hash', 'the last proof hash left out', { proof: proof.slice(0, -1) }, 'PROOF_INVALID')
    one('wrong-root', 'the root of the 10-entry log instead', { root: LOG.roots[10] as Uint8Array }, 'PROOF_ROOT_MISMATCH')
    one('short-hash', 'a 31-byte proof hash', { proof: proof.map((h, i) => (i === 0 ? h.subarray(0, 31) : h)) }, 'PROOF_INVALID')
    one('swapped-hashes', 'the first two proof hashes swapped', { proof: [proof[1], proof[0], ...proof.slice(2)] as Uint8Array[] }, 'PROOF_ROOT_MISMATCH')
  }
  return cases
}

export function consistencyCases(): Case[] {
  const cases: Case[] = []
  const bases: [number, number][] = [
    [11, 11],
    [1, 11],
    [3, 11],
    [4, 11],
    [8, 11],
    [5, 7],
  ]
  for (const [size1, size2] of bases) {
    const proof = consistencyProof(LOG, size1, size2)
    const root1 = LOG.roots[size1] as Uint8Array
    const root2 = LOG.roots[size2] as Uint8Array
    const base = `size-${size1}-to-${size2}`
    const one = (name: string, desc: string, v: { size1?: number; size2?: number; proof?: Uint8Array[]; root1?: Uint8Array; root2?: Uint8Array }, wantErr?: string) => {
      const c: Case = {
        name: name ? `${base}-${name}` : `valid-${base}`,
        desc,
        size1: v.size1 ?? size1,
        size2: v.size2 ?? size2,
        proof: hexes(v.proof ?? proof),
        root1: toHex(v.root1 ?? root1),
        root2: toHex(v.root2 ?? root2),
      }
      cases.push(wantErr ? { ...c, wantErr } : c)
    }
    one('', `the ${size1}-entry log is a prefix of the ${size2}-entry log: a valid proof of ${proof.length} hashes`, {})
    if (size2 < 11 || size1 === size2) continue
    const n = proof.length
    const at = (s1: number, s2: number) => proofCode(s1 > 0 && s1 <= s2, () => planConsistency(s1, s2), n)
    one('bit-flip-first-hash', 'bit flip in the first proof hash', { proof: proof.map((h, i) => (i === 0 ? flip(h) : h)) }, 'PROOF_ROOT_MISMATCH')
    one('bit-flip-last-hash', 'bit flip in the last proof hash', { proof: proof.map((h, i) => (i === n - 1 ? flip(h) : h)) }, 'PROOF_ROOT_MISMATCH')
    one('bit-flip-root1', 'bit flip in the old root', { root1: flip(root1) }, 'PROOF_ROOT_MISMATCH')
    one('bit-flip-root2', 'bit flip in the new root', { root2: flip(root2) }, 'PROOF_ROOT_MISMATCH')
    one('size1-plus-1', 'old size + 1 with its root, under the same proof', { size1: size1 + 1, root1: LOG.roots[size1 + 1] as Uint8Array }, at(size1 + 1, size2))
    one('size1-minus-1', 'old size - 1 with its root, under the same proof', { size1: size1 - 1, root1: LOG.roots[size1 - 1] as Uint8Array }, at(size1 - 1, size2))
    one('size2-plus-1', 'new size + 1 with its root, under the same proof', { size2: size2 + 1, root2: LOG.roots[size2 + 1] as Uint8Array }, at(size1, size2 + 1))
    one('size2-minus-1', 'new size - 1 with its root, under the same proof', { size2: size2 - 1, root2: LOG.roots[size2 - 1] as Uint8Array }, at(size1, size2 - 1))
    one('extra-hash', 'an extra hash appended to the proof', { proof: [...proof, root1] }, 'PROOF_INVALID')
    one('missing-hash', 'the last proof hash left out', { proof: proof.slice(0, -1) }, 'PROOF_INVALID')
    one('wrong-root2', 'the root of the 10-entry log as the new root', { root2: LOG.roots[10] as Uint8Array }, 'PROOF_ROOT_MISMATCH')
    one('swapped-roots', 'old and new roots swapped', { root1: root2, root2: root1 }, 'PROOF_ROOT_MISMATCH')
  }
  return cases
}
