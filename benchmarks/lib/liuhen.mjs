/** Liuhen through its public packages (the built dist/), durable or not. */
import { bytesEqual, CompactRange, hashLeaf, openCheckpoint, parseInclusionProof, verifierFromKeyWith, verifyInclusion } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { indexEntry } from '@liuhen/query'
import { assertEventBatch } from '@liuhen/schema'
import { auditLog } from '@liuhen/verify'
import { join } from 'node:path'

const ORIGIN = 'bench.example/liuhen'

/**
 * A Liuhen ledger in `dir` as a platform runs it: the event contract validated and the query
 * indexes written with every commit. `sync: false` skips the fsync of each commit.
 */
export async function openLiuhen(dir, { sync = true } = {}) {
  const ledger = await Ledger.create(join(dir, 'ledger'), {
    origin: ORIGIN,
    sync,
    validate: (events, sizes) => assertEventBatch(events, { sizes }),
    indexer: indexEntry,
  })
  return liuhenAdapter(ledger)
}

export function liuhenAdapter(ledger) {
  // hypercore verifies its upgrade's signature on every proof: this verifier remembers no
  // signature, so every checkpoint's Ed25519 signature is verified in full too.
  const verifier = verifierFromKeyWith(ledger.vkey, { remember: 0 })
  return {
    ledger,
    appendBatch: (events) => ledger.appendBatch(events),
    append: (event) => ledger.append(event),
    /** Reads every entry (decoded, leaf-hashed) and recomputes the root; returns the count. */
    async readVerify() {
      const range = CompactRange.empty()
      for await (const { leafHash } of ledger.entries()) range.append(leafHash)
      if (!bytesEqual(range.root(), ledger.head.root)) throw new Error('recomputed root differs from the head')
      return range.size
    },
    /** The full audit of @liuhen/verify against the pinned key; returns the count. */
    async audit() {
      const report = await auditLog(ledger.store, { key: ledger.vkey })
      if (!report.ok) throw new Error(`audit failed: ${JSON.stringify(report.failures.slice(0, 3))}`)
      return report.size
    },
    /** An inclusion proof with the entry bytes and the signed checkpoint (a bundle item). */
    async prove(index) {
      const [proof, entry] = await Promise.all([ledger.proveInclusion(index), ledger.store.readEntry(index)])
      return { proof, entry, checkpoint: ledger.checkpoint() }
    },
    /** The root a verifier already trusts (read once). */
    trustedRoot: async () => ledger.head.root,
    /**
     * Parses the proof as a verifier receiving it would (hex decoded once), hashes the entry and
     * its whole path, compares with the trusted root (RFC 9162); no signature.
     */
    verifyPath({ proof, entry }, root) {
      const p = parseInclusionProof(proof)
      verifyInclusion(p.index, p.size, hashLeaf(entry), p.proof, root)
    },
    /**
     * As an outside verifier: the checkpoint is parsed and its Ed25519 signature verified (each
     * time), the root taken from it, then the proof is parsed and checked as in verifyPath.
     */
    verifySigned({ proof, entry, checkpoint }) {
      const { checkpoint: cp } = openCheckpoint(checkpoint, verifier, { origin: ORIGIN })
      if (cp.size !== proof.size) throw new Error('checkpoint size differs from the proof')
      const p = parseInclusionProof(proof)
      verifyInclusion(p.index, p.size, hashLeaf(entry), p.proof, cp.root)
    },
    close: () => ledger.close(),
  }
}
