/**
 * The accountability chain behind an event with every link verified twice: the hash its referrer
 * bound must equal the linked entry's leaf hash, and that entry must be included (an RFC 9162
 * proof from the stored tiles) in the tree the latest signed checkpoint commits to. The store is
 * untrusted: a tile that lies gives a proof that fails against the signed root, never a wrong
 * "included". The command line's `chain` and the service's `/v1/chain` both answer with it.
 */
import { isLedgerError, LedgerError, openCheckpoint, toHex, verifierFromKey, verifyInclusion, type ReadableStore } from '@liuhen/core'
import { inclusionProofFromStore } from '@liuhen/verify'
import { buildChain, type Chain, type ChainLink } from './chain.js'
import type { StatusFinding } from './status.js'

/** A checkpoint whose signature verified: the tree size and root it commits to. */
export interface SignedHead {
  origin: string
  size: number
  /** The 32-byte root. */
  root: Uint8Array
}

/** A chain with each link's inclusion result. */
export interface CheckedChain extends Chain {
  head: SignedHead
  included: Map<number, boolean>
}

/**
 * Opens the latest stored checkpoint of `store` with `vkey` (default: the key the ledger's meta
 * record names). A missing checkpoint, or one whose signature or origin does not check, is a
 * verification failure (`PROOF_INVALID`); a malformed `vkey` is `KEY_MALFORMED`.
 */
export async function readSignedHead(store: ReadableStore, vkey?: string): Promise<SignedHead> {
  const meta = await store.readMeta()
  const latest = await store.readLatestCheckpoint()
  if (!meta || !latest) throw new LedgerError('PROOF_INVALID', 'the ledger holds no signed checkpoint to verify against')
  try {
    const { checkpoint } = openCheckpoint(latest.text, verifierFromKey(vkey ?? meta.vkey), { origin: meta.origin })
    return { origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root }
  } catch (err) {
    if (isLedgerError(err, 'KEY_MALFORMED')) throw err
    const code = isLedgerError(err) ? ` (${err.code})` : ''
    throw new LedgerError('PROOF_INVALID', `the latest checkpoint does not verify${code}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err })
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

/**
 * Builds the chain of `id` from `store` and checks every link against the latest checkpoint
 * signed by `vkey`. `QUERY_EVENT_NOT_FOUND` for an id the log does not hold; `STORE_CORRUPT` when
 * a stored entry of the chain does not decode.
 */
export async function checkChain(store: ReadableStore, id: string, vkey?: string): Promise<CheckedChain> {
  const head = await readSignedHead(store, vkey)
  const included = new Map<number, boolean>()
  try {
    const chain = await buildChain(store, id, { verifyLink: inclusionCheck(store, head, included) })
    return { ...chain, head, included }
  } catch (err) {
    if (isLedgerError(err) && err.code.startsWith('ENCODING_'))
      throw new LedgerError('STORE_CORRUPT', `chain of ${id}: a stored entry does not decode (${err.code}); run liuhen verify`, {}, { cause: err })
    throw err
  }
}

/** The findings of a chain's accesses, each with the access's id and index. */
export function chainFindings(c: Chain): (StatusFinding & { event: string; index: number })[] {
  return c.chain.flatMap((l) => (l.status?.findings ?? []).map((f) => ({ event: l.id, index: l.index, ...f })))
}

/**
 * A checked chain as `liuhen chain --json` prints it and the service answers it: `ok` when every
 * link verified, `clean` when no access in it has findings, each link with `included`.
 */
export function chainJson(c: CheckedChain): {
  ok: boolean
  clean: boolean
  event: Chain['event']
  checkpoint: ReturnType<typeof headJson>
  chain: (ChainLink & { included: boolean })[]
  parties: Chain['parties']
  broken: Chain['broken']
  findings: ReturnType<typeof chainFindings>
} {
  const ok = c.broken.length === 0
  const findings = chainFindings(c)
  const chain = c.chain.map((l) => ({ ...l, included: c.included.get(l.index) === true }))
  return { ok, clean: ok && findings.length === 0, event: c.event, checkpoint: headJson(c.head), chain, parties: c.parties, broken: c.broken, findings }
}
