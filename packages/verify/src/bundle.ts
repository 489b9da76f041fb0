/**
 * Offline proof bundles: an event and the chain of events its references reach, each with an
 * inclusion proof against one signed checkpoint, checkable on any machine without the database.
 * The format is documented in BUNDLE.md.
 */
import {
  bytesEqual,
  decodeEntry,
  formatNote,
  hashLeaf,
  openCheckpoint,
  parseNote,
  toBase64,
  toHex,
  verifierFromKey,
  verifyInclusion,
  type Checkpoint,
  type Entry,
  type NoteVerifier,
  type ReadableStore,
} from '@liuhen/core'
import { BUNDLE_FORMAT, MAX_BUNDLE_ENTRIES, decodeBase64, parseBundle, type Bundle } from './bundle-format.js'
import { VerifyError } from './error.js'
import { toVerifier, type PinnedKey } from './key.js'
import { inclusionProofFromStore } from './nodes.js'

/** Options of {@link createBundle}. */
export interface CreateBundleOptions {
  /** The log's key; defaults to the store's meta record. The checkpoint must verify with it. */
  vkey?: string
  /** Most entries to include (default and upper bound {@link MAX_BUNDLE_ENTRIES}). */
  maxEntries?: number
  /**
   * Indexes of further entries to include, each with every entry its references reach: the later
   * events that bear on the chain (a grant's revocation, an incident citing an access), which the
   * subject's references cannot reach. Indexes at or beyond the checkpoint's size are left out.
   */
  also?: readonly number[]
}

/**
 * Builds the bundle of event `eventId`: its entry and, transitively, every entry its resolved
 * references point to, each with an inclusion proof against the latest signed checkpoint (its
 * witness cosignatures left out, see BUNDLE.md). Every proof is checked before it is written,
 * so a damaged store gives an error, never a bundle that fails later. Throws
 * `BUNDLE_EVENT_NOT_FOUND`, `BUNDLE_TOO_LARGE`, `STORE_CORRUPT` (missing entry or tile,
 * failing proof) or the checkpoint's `NOTE_*` / `CHECKPOINT_*` codes.
 *
 * @example await writeFile('chain.json', JSON.stringify(await createBundle(store, 'acc-2026-000123'), null, 2))
 */
export async function createBundle(source: ReadableStore, eventId: string, options: CreateBundleOptions = {}): Promise<Bundle> {
  const max = Math.min(options.maxEntries ?? MAX_BUNDLE_ENTRIES, MAX_BUNDLE_ENTRIES)
  const vkey = options.vkey ?? (await source.readMeta())?.vkey
  if (vkey === undefined) throw new VerifyError('STORE_CORRUPT', 'the store holds no meta record and no vkey was given')
  const verifier = verifierFromKey(vkey)
  const latest = await source.readLatestCheckpoint()
  if (!latest) throw new VerifyError('STORE_CORRUPT', 'the store holds no checkpoint')
  const { checkpoint: cp, note } = openCheckpoint(latest.text, verifier)
  const start = await source.readIdIndex(eventId)
  if (start === undefined || start >= cp.size) throw new VerifyError('BUNDLE_EVENT_NOT_FOUND', `event ${JSON.stringify(eventId)} is not in the log at size ${cp.size}`, { eventId })
  const queue = [start, ...new Set((options.also ?? []).filter((i) => Number.isSafeInteger(i) && i >= 0 && i < cp.size && i !== start))]
  if (queue.length > max) throw new VerifyError('BUNDLE_TOO_LARGE', `the chain of ${JSON.stringify(eventId)} reaches more than ${max} entries`, { max })
  const seen = new Set(queue)
  const entries: Bundle['entries'] = []
  for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
    const bytes = await source.readEntry(i)
    if (!bytes) throw new VerifyError('STORE_CORRUPT', `entry ${i} is missing`, { index: i })
    const entry = decodeEntry(bytes)
    const proof = await inclusionProofFromStore(source, i, cp.size)
    try {
      verifyInclusion(i, cp.size, hashLeaf(bytes), proof, cp.root)
    } catch (cause) {
      throw new VerifyError('STORE_CORRUPT', `entry ${i} is not included in the signed checkpoint at size ${cp.size}`, { index: i }, { cause })
    }
    entries.push({ index: i, entry: toBase64(bytes), proof: proof.map(toBase64) })
    for (const ref of entry.refs) {
      if (ref.index === undefined || seen.has(ref.index)) continue
      if (seen.size >= max) throw new VerifyError('BUNDLE_TOO_LARGE', `the chain of ${JSON.stringify(eventId)} reaches more than ${max} entries`, { max })
      seen.add(ref.index)
      queue.push(ref.index)
    }
  }
  // Only the log's signature: a witness line the verifier cannot check would be bits it cannot vouch for.
  const own = note.signatures.filter((s) => s.name === verifier.name && s.keyId === verifier.keyId)
  return { format: BUNDLE_FORMAT, vkey, checkpoint: formatNote({ text: note.text, signatures: own }), entries }
}

/** One verified link of a bundle's chain. */
export interface ChainLink {
  index: number
  /** Leaf hash, hex. */
  leafHash: string
  entry: Entry
}

/** Codes of {@link BundleFailure}s. */
export type BundleFailureCode = 'BUNDLE_KEY_MISMATCH' | 'BUNDLE_CHECKPOINT' | 'BUNDLE_ENTRY' | 'BUNDLE_INCLUSION' | 'BUNDLE_REF'

/** Why a bundle does not verify. */
export interface BundleFailure {
  code: BundleFailureCode
  index?: number
  message: string
}

/** The outcome of {@link verifyBundle}. */
export interface BundleResult {
  /** True exactly when `failures` is empty. */
  ok: boolean
  /** The signed checkpoint, when its signature verified. */
  checkpoint?: Checkpoint
  /** Verified entries, subject first. */
  chain: ChainLink[]
  failures: BundleFailure[]
}

/**
 * Verifies a bundle offline against the pinned key `options.key`: the bundle's key must be that
 * key, the checkpoint must carry its valid signature and no signature it cannot check, every
 * entry must decode with its own index and be included in the checkpoint, and every resolved
 * reference of every entry must lead to an entry of the bundle with the bound leaf hash.
 * Throws `BUNDLE_MALFORMED` (and `KEY_MALFORMED` for a bad pinned key); returns failures for
 * everything that parses but does not verify.
 *
 * @example const { ok, chain } = verifyBundle(await readFile(file, 'utf8'), { key: vkey })
 */
export function verifyBundle(json: unknown, options: { key: PinnedKey }): BundleResult {
  const verifier = toVerifier(options.key)
  const bundle = parseBundle(json)
  const failures: BundleFailure[] = []
  const result = (checkpoint?: Checkpoint, chain: ChainLink[] = []): BundleResult => {
    const r: BundleResult = { ok: failures.length === 0, chain, failures }
    if (checkpoint) r.checkpoint = checkpoint
    return r
  }
  if (bundle.vkey !== verifier.vkey) {
    failures.push({ code: 'BUNDLE_KEY_MISMATCH', message: "the bundle's key is not the pinned key" })
    return result()
  }
  const cp = openBundleCheckpoint(bundle.checkpoint, verifier, failures)
  if (!cp) return result()
  const chain: ChainLink[] = []
  const byIndex = new Map<number, Uint8Array>()
  for (const e of bundle.entries) {
    const bytes = decodeBase64(e.entry, `entry ${e.index}`, Infinity)
    const leaf = hashLeaf(bytes)
    let entry: Entry
    try {
      entry = decodeEntry(bytes)
      if (entry.index !== e.index) throw new Error(`it says it is entry ${entry.index}`)
    } catch (err) {
      failures.push({ code: 'BUNDLE_ENTRY', index: e.index, message: `entry ${e.index} is not a valid entry: ${(err as Error).message}` })
      continue
    }
    try {
      verifyInclusion(
        e.index,
        cp.size,
        leaf,
        e.proof.map((h) => decodeBase64(h, 'proof hash', 32)),
        cp.root,
      )
    } catch (err) {
      failures.push({ code: 'BUNDLE_INCLUSION', index: e.index, message: `entry ${e.index} is not included in the checkpoint (${(err as { code?: string }).code ?? 'error'})` })
      continue
    }
    byIndex.set(e.index, leaf)
    chain.push({ index: e.index, leafHash: toHex(leaf), entry })
  }
  for (const link of chain) {
    for (const ref of link.entry.refs) {
      if (ref.index === undefined || ref.hash === undefined) continue
      const target = byIndex.get(ref.index)
      if (!target) failures.push({ code: 'BUNDLE_REF', index: link.index, message: `entry ${link.index} ref ${ref.name} points to entry ${ref.index}, which the bundle lacks` })
      else if (!bytesEqual(target, ref.hash) || ref.index >= link.index)
        failures.push({ code: 'BUNDLE_REF', index: link.index, message: `entry ${link.index} ref ${ref.name} does not bind entry ${ref.index}` })
    }
  }
  return result(cp, chain)
}

function openBundleCheckpoint(text: string, verifier: NoteVerifier, failures: BundleFailure[]): Checkpoint | undefined {
  try {
    const { checkpoint, note } = openCheckpoint(text, verifier)
    if (note.signatures.length !== 1) throw new Error("the checkpoint carries signatures other than the log's")
    if (formatNote(parseNote(text)) !== text) throw new Error('the checkpoint note is not in canonical form')
    return checkpoint
  } catch (err) {
    failures.push({ code: 'BUNDLE_CHECKPOINT', message: `the checkpoint does not verify with the pinned key: ${(err as Error).message}` })
    return undefined
  }
}
