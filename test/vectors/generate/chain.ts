/**
 * Chain vectors: offline bundles (liuhen-bundle/1, packages/verify/BUNDLE.md) of an entry and
 * the entries its resolved references reach. A broken link needs a log whose writer bound the
 * wrong thing: those logs are rebuilt from the same events with the one reference changed, and
 * signed, so the references are the only fault (every entry is included in its checkpoint).
 */
import { toBase64, toHex, type Entry } from '@liuhen/core'
import { buildLog, EVENTS, inclusionProof, type VectorLog } from './log.js'
import { flipSignature, LOG_VKEY, OTHER_VKEY, signedCheckpoint } from './checkpoint.js'
import { flip, type Case } from './support.js'

const SIZE = 12 // the whole log

function bundle(log: VectorLog, indexes: number[], note = signedCheckpoint(log, SIZE)) {
  return {
    format: 'liuhen-bundle/1',
    vkey: LOG_VKEY,
    checkpoint: note,
    entries: indexes.map((i) => ({ index: i, entry: toBase64(log.bytes[i] as Uint8Array), proof: inclusionProof(log, i, SIZE).map(toBase64) })),
  }
}

// A log whose entry 8 (acc-4, which nothing references) has its `grant` reference rewritten.
function tamperedLog(edit: (ref: Entry['refs'][number]) => Entry['refs'][number]): VectorLog {
  return buildLog(EVENTS, (e) => (e.index === 8 ? { ...e, refs: e.refs.map((r) => (r.name === 'grant' ? edit(r) : r)) } : e))
}

export function chainCases(log: VectorLog): Case[] {
  const cases: Case[] = []
  const valid = (name: string, desc: string, indexes: number[]) =>
    cases.push({
      name: `valid-${name}`,
      desc,
      key: LOG_VKEY,
      bundle: bundle(log, indexes),
      chain: indexes.map((i) => ({ index: i, id: (log.entries[i] as Entry).event.id, leafHash: toHex(log.leaves[i] as Uint8Array) })),
    })
  const bad = (name: string, desc: string, b: ReturnType<typeof bundle>, wantErr: string, key = LOG_VKEY) => cases.push({ name, desc, key, bundle: b, wantErr })

  valid('revocation', 'a revocation, the grant and two accesses it cites, the request and reply behind the grant', [7, 2, 3, 4, 0, 1])
  valid('access', 'an access, its grant, the request and the reply', [8, 2, 0, 1])
  valid('unresolved-ref', 'an access whose grant was never logged: an unresolved reference is no link', [6])
  valid('no-refs', 'a request, which references nothing', [0])

  const broken = tamperedLog((r) => ({ ...r, hash: flip(r.hash as Uint8Array, 31, 7) }))
  bad('broken-link', "entry 8's grant reference binds a hash with one bit flipped (the log signed it so)", bundle(broken, [8, 2, 0, 1]), 'BUNDLE_REF')
  const elsewhere = tamperedLog((r) => ({ ...r, index: 3 }))
  bad('index-elsewhere', "entry 8's grant reference points to entry 3 with entry 2's hash", bundle(elsewhere, [8, 3, 2, 0, 1]), 'BUNDLE_REF')
  const forward = tamperedLog((r) => ({ ...r, index: 9, hash: log.leaves[9] as Uint8Array }))
  bad('forward-link', "entry 8's grant reference binds entry 9 (index and hash): a link must point back", bundle(forward, [8, 9]), 'BUNDLE_REF')
  bad('missing-link', 'the grant entry the access references is left out of the bundle', bundle(log, [8, 0, 1]), 'BUNDLE_REF')
  const swapped = bundle(log, [8, 2, 0, 1])
  swapped.entries[0]!.entry = toBase64(broken.bytes[8] as Uint8Array)
  bad('entry-changed-after-signing', "entry 8's bytes replaced by the broken-link entry, under the honest checkpoint", swapped, 'BUNDLE_INCLUSION')
  const proofFlip = bundle(log, [8, 2, 0, 1])
  proofFlip.entries[0]!.proof[0] = toBase64(flip(inclusionProof(log, 8, SIZE)[0] as Uint8Array))
  bad('proof-bit-flip', "bit flip in the first hash of entry 8's inclusion proof", proofFlip, 'BUNDLE_INCLUSION')
  const misplaced = bundle(log, [8, 2, 0, 1])
  misplaced.entries[0] = { index: 9, entry: misplaced.entries[0]!.entry, proof: inclusionProof(log, 9, SIZE).map(toBase64) }
  bad('index-plus-1', 'entry 8 listed as entry 9, with the proof of leaf 9', misplaced, 'BUNDLE_ENTRY')
  const cpFlip = bundle(log, [8, 2, 0, 1])
  cpFlip.checkpoint = flipSignature(cpFlip.checkpoint)
  bad('checkpoint-signature-bit-flip', "bit flip in the checkpoint's signature", cpFlip, 'BUNDLE_CHECKPOINT')
  bad('wrong-key', "an honest bundle checked against another key under the log's name", bundle(log, [8, 2, 0, 1]), 'BUNDLE_KEY_MISMATCH', OTHER_VKEY)
  return cases
}
