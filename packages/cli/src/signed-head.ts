/**
 * The trust anchor of `liuhen chain`: the ledger's latest signed checkpoint, opened with its
 * verifier key, and inclusion proofs of entries under it, built from the stored tiles and
 * checked with core's `verifyInclusion`. The store is untrusted: a tile that lies gives a proof
 * that fails against the signed root, never a wrong "included".
 */
import { isLedgerError, openCheckpoint, toHex, verifierFromKey, verifyInclusion, type ReadableStore } from '@liuhen/core'
import { inclusionProofFromStore } from '@liuhen/verify'
import { CliError, EXIT } from './exit.js'

/** A checkpoint whose signature verified: the tree size and root it commits to. */
export interface SignedHead {
  origin: string
  size: number
  /** The 32-byte root. */
  root: Uint8Array
}

/**
 * Opens the latest stored checkpoint of `store` with `vkey` (default: the key the ledger's meta
 * record names). A missing checkpoint, or one whose signature or origin does not check, is a
 * verification failure (exit 1).
 */
export async function readSignedHead(store: ReadableStore, vkey?: string): Promise<SignedHead> {
  const meta = await store.readMeta()
  const latest = await store.readLatestCheckpoint()
  if (!meta || !latest) throw new CliError(EXIT.FAILED, 'the ledger holds no signed checkpoint to verify against')
  try {
    const { checkpoint } = openCheckpoint(latest.text, verifierFromKey(vkey ?? meta.vkey), { origin: meta.origin })
    return { origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root }
  } catch (err) {
    // A malformed pinned key is the caller's mistake; anything else is a checkpoint that fails.
    if (isLedgerError(err, 'KEY_MALFORMED')) throw err
    const code = isLedgerError(err) ? ` (${err.code})` : ''
    throw new CliError(EXIT.FAILED, `the latest checkpoint does not verify${code}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}

/**
 * A link check for `buildChain`'s `verifyLink`: true when entry `index` with leaf hash `leaf` is
 * included in the tree `head` commits to. `seen` receives each index's result.
 */
export function inclusionCheck(store: ReadableStore, head: SignedHead, seen: Map<number, boolean>): (index: number, leaf: Uint8Array) => Promise<boolean> {
  return async (index, leaf) => {
    let ok = false
    if (index < head.size) {
      try {
        verifyInclusion(index, head.size, leaf, await inclusionProofFromStore(store, index, head.size), head.root)
        ok = true
      } catch (err) {
        if (!isLedgerError(err)) throw err // a bug, not a failed proof
      }
    }
    seen.set(index, ok)
    return ok
  }
}

/** The head as JSON: `{origin, size, root}` with the root in lowercase hex. */
export const headJson = (head: SignedHead): { origin: string; size: number; root: string } => ({ origin: head.origin, size: head.size, root: toHex(head.root) })
