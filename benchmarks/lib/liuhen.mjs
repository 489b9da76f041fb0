/** Liuhen through its public packages (the built dist/): format 2 (the default) or format 1. */
import { bytesEqual, CompactRange, hashLeaf, openCheckpoint, parseInclusionProof, verifierFromKeyWith, verifyInclusion } from '@liuhen/core'
import { Ledger, ledgerFormatOf, tiledReaderOf } from '@liuhen/ledger'
import { indexEntry } from '@liuhen/query'
import { assertEventBatch } from '@liuhen/schema'
import { auditLog } from '@liuhen/verify'
import { join } from 'node:path'

const ORIGIN = 'bench.example/liuhen'

/** The options a platform opens a ledger with: the event contract and the query indexes on. */
export const PLATFORM = {
  validate: (events, sizes) => assertEventBatch(events, { sizes }),
  indexer: indexEntry,
}

/**
 * A Liuhen ledger in `dir/ledger` as a platform runs it: the event contract validated and the
 * query indexes written with every commit. `format` 2 (the default: `log/` as tlog-tiles files,
 * `index/` on LevelDB) or 1 (one LevelDB store). `sync: false` skips format 1's fsync per commit
 * (format 2's log syncs regardless; there it leaves only the index batch unsynced).
 */
export async function openLiuhen(dir, { sync = true, format = 2 } = {}) {
  const location = join(dir, 'ledger')
  const ledger = await Ledger.create(location, { origin: ORIGIN, format, sync, ...PLATFORM })
  return liuhenAdapter(ledger, location)
}

/**
 * The benchmark's view of an open ledger. Given its directory `location` and format 2,
 * read-verify and the audit read the log lock-free while this writer holds it, as an auditor's
 * `liuhen verify` does: `Ledger.open(location, {readOnly: true})` for read-verify,
 * `tiledReaderOf(location)` for the audit (`ids: false`: the id index is the writer's, in
 * LevelDB). Format 1 reads through the writer's store: LevelDB admits one process.
 */
export function liuhenAdapter(ledger, location) {
  const lockFree = location !== undefined && ledgerFormatOf(location) === 2
  // hypercore verifies its upgrade's signature on every proof: this verifier remembers no
  // signature, so every checkpoint's Ed25519 signature is verified in full too.
  const verifier = verifierFromKeyWith(ledger.vkey, { remember: 0 })
  return {
    ledger,
    format: lockFree ? 2 : 1,
    appendBatch: (events) => ledger.appendBatch(events),
    append: (event) => ledger.append(event),
    /** Reads every entry (decoded, leaf-hashed) and recomputes the root; returns the count. */
    async readVerify() {
      const reader = lockFree ? await Ledger.open(location, { readOnly: true }) : ledger
      try {
        const range = CompactRange.empty()
        for await (const { leafHash } of reader.entries()) range.append(leafHash)
        if (!bytesEqual(range.root(), reader.head.root)) throw new Error('recomputed root differs from the head')
        return range.size
      } finally {
        if (reader !== ledger) await reader.close()
      }
    },
    /** The full audit of @liuhen/verify against the pinned key; returns the count. */
    async audit() {
      const source = lockFree ? tiledReaderOf(location) : ledger.store
      try {
        const report = await auditLog(source, { key: ledger.vkey, ...(lockFree ? { ids: false } : {}) })
        if (!report.ok) throw new Error(`audit failed: ${JSON.stringify(report.failures.slice(0, 3))}`)
        return report.size
      } finally {
        if (lockFree) await source.close()
      }
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
