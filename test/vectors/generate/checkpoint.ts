/**
 * Checkpoint vectors: signed notes (C2SP tlog-checkpoint in signed-note) of the fixed log, and
 * their mutations: a signature bit flipped, the body changed under the old signature, another
 * origin or key, and malformed bodies signed anew (so only the body is at fault).
 */
import { cosignCheckpoint, cosignerFromKey, EMPTY_ROOT, parseNote, formatNote, signCheckpoint, signerFromKey, signNote, toBase64, toHex } from '@liuhen/core'
import type { VectorLog } from './log.js'
import { flip, type Case } from './support.js'

// Test keys, made once with core's generateSignerKey / generateCosignerKey and published here on
// purpose: they sign nothing but these vectors. Ed25519 signatures are deterministic (RFC 8032),
// so the notes come out the same on every run.
export const ORIGIN = 'vectors.liuhen.example/log'
const LOG_SKEY = 'PRIVATE+KEY+vectors.liuhen.example/log+5474640d+AeFKB6rJfcKHtQX2JDV4yezl8tYu4YrGndTLT3lBBhof'
/** The log's verifier key, pinned by every checkpoint and chain vector. */
export const LOG_VKEY = 'vectors.liuhen.example/log+5474640d+ARbSbxwFe6jwNB1SScnZk9SmG3o4yEhkX43Tb6ys64IM'
// Another key under the same name: a forger's, or a rotated one.
const OTHER_SKEY = 'PRIVATE+KEY+vectors.liuhen.example/log+c4e0b603+AXTBT/XAFIZ0X+7TzUIijPmo0VpSiQ83GklG76Ae6jEe'
/** The verifier key of the other key under the log's name. */
export const OTHER_VKEY = 'vectors.liuhen.example/log+c4e0b603+Ae4+HWTY81deKziLNQMiB6Z0TKd8R3bmkEN1Aon2Rcyv'
const WITNESS_SKEY = 'PRIVATE+KEY+vectors.liuhen.example/witness+25dae163+BAWVwCXlCpCcU6TxxJlHEaglC4qs9oNtwFnqvwjYYOnh'
const WITNESS_TIME = 1772413260 // 2026-03-02T01:01:00Z, in POSIX seconds

/** The log's signer. */
export const LOG_SIGNER = signerFromKey(LOG_SKEY)

/** The signed checkpoint of the first `size` entries of `log`. */
export function signedCheckpoint(log: VectorLog, size: number, extensions: string[] = []): string {
  return signCheckpoint({ origin: ORIGIN, size, root: log.roots[size] as Uint8Array, extensions }, LOG_SIGNER)
}

// The note with its body lines rewritten, the signature lines kept as they were.
function rewriteBody(note: string, edit: (lines: string[]) => string[]): string {
  const { text } = parseNote(note)
  return edit(text.slice(0, -1).split('\n')).join('\n') + '\n' + note.slice(text.length)
}

/** The note with a bit flipped inside its first signature (past the key ID). */
export function flipSignature(note: string): string {
  const parsed = parseNote(note)
  const [sig, ...rest] = parsed.signatures
  return formatNote({ text: parsed.text, signatures: [{ ...sig!, signature: flip(sig!.signature, 10) }, ...rest] })
}

/** Valid checkpoints of the fixed log, then the named mutations. */
export function checkpointCases(log: VectorLog): Case[] {
  const cases: Case[] = []
  const valid = (name: string, desc: string, note: string, size: number, extensions: string[] = [], origin?: string) =>
    cases.push({
      name: `valid-${name}`,
      desc,
      vkey: LOG_VKEY,
      ...(origin ? { origin } : {}),
      note,
      checkpoint: { origin: ORIGIN, size, root: toHex(size === 0 ? EMPTY_ROOT : (log.roots[size] as Uint8Array)), extensions },
    })
  const bad = (name: string, desc: string, note: string, wantErr: string, opts: { vkey?: string; origin?: string } = {}) =>
    cases.push({ name, desc, vkey: opts.vkey ?? LOG_VKEY, ...(opts.origin ? { origin: opts.origin } : {}), note, wantErr })

  const note12 = signedCheckpoint(log, 12)
  valid('size-12', 'the checkpoint of the whole fixed log', note12, 12)
  valid('size-12-origin-pinned', 'the same, with the expected origin given', note12, 12, [], ORIGIN)
  valid('size-0', 'the checkpoint of the empty log: root SHA-256("")', signedCheckpoint(log, 0), 0)
  valid('size-1', 'the checkpoint of one entry: the root is its leaf hash', signedCheckpoint(log, 1), 1)
  valid('size-5-extension', 'a checkpoint with an opaque extension line', signedCheckpoint(log, 5, ['ext: liuhen vectors']), 5, ['ext: liuhen vectors'])
  valid('size-12-cosigned', "a witness cosignature after the log's signature (ignored when opening)", cosignCheckpoint(note12, cosignerFromKey(WITNESS_SKEY), WITNESS_TIME), 12)
  valid('size-12-other-key-too', 'also signed by another key under the same name (ignored: another key ID)', signNote(parseNote(note12).text, [LOG_SIGNER, signerFromKey(OTHER_SKEY)]), 12)

  bad('signature-bit-flip', 'bit flip in the Ed25519 signature', flipSignature(note12), 'NOTE_UNVERIFIED')
  bad(
    'key-id-bit-flip',
    "bit flip in the signature line's key ID: no signature from a known key",
    formatNote({ text: parseNote(note12).text, signatures: parseNote(note12).signatures.map((s) => ({ ...s, keyId: s.keyId ^ 1 })) }),
    'NOTE_UNVERIFIED',
  )
  bad(
    'size-plus-1-old-signature',
    'size 13 under the signature of size 12',
    rewriteBody(note12, ([o, , r]) => [o!, '13', r!]),
    'NOTE_UNVERIFIED',
  )
  bad(
    'size-minus-1-old-signature',
    'size 11 under the signature of size 12 (a rollback)',
    rewriteBody(note12, ([o, , r]) => [o!, '11', r!]),
    'NOTE_UNVERIFIED',
  )
  bad(
    'root-changed-old-signature',
    "the 11-entry root under the 12-entry checkpoint's signature",
    rewriteBody(note12, ([o, s]) => [o!, s!, toBase64(log.roots[11] as Uint8Array)]),
    'NOTE_UNVERIFIED',
  )
  bad(
    'extension-added-old-signature',
    'an extension line added under the old signature',
    rewriteBody(note12, (l) => [...l, 'ext: added']),
    'NOTE_UNVERIFIED',
  )
  bad(
    'origin-changed-old-signature',
    'another origin line under the old signature',
    rewriteBody(note12, ([, s, r]) => ['vectors.liuhen.example/other', s!, r!]),
    'CHECKPOINT_ORIGIN_MISMATCH',
  )
  bad('wrong-origin-expected', 'a valid checkpoint, but the verifier expects another origin', note12, 'CHECKPOINT_ORIGIN_MISMATCH', { origin: 'vectors.liuhen.example/other' })
  bad('wrong-key', "a valid checkpoint opened with another key under the log's name", note12, 'NOTE_UNVERIFIED', { vkey: OTHER_VKEY })
  bad(
    'signed-by-other-key',
    "signed only by another key under the log's name",
    signCheckpoint({ origin: ORIGIN, size: 12, root: log.roots[12] as Uint8Array, extensions: [] }, signerFromKey(OTHER_SKEY)),
    'NOTE_UNVERIFIED',
  )
  const body = (lines: string[]) => signNote(lines.join('\n') + '\n', [LOG_SIGNER])
  const root12 = toBase64(log.roots[12] as Uint8Array)
  bad('size-leading-zero', 'size written 012 (signed): not canonical decimal', body([ORIGIN, '012', root12]), 'CHECKPOINT_MALFORMED')
  bad('size-negative', 'size -1 (signed)', body([ORIGIN, '-1', root12]), 'CHECKPOINT_MALFORMED')
  bad('root-31-bytes', 'a 31-byte root (signed)', body([ORIGIN, '12', toBase64((log.roots[12] as Uint8Array).subarray(0, 31))]), 'CHECKPOINT_MALFORMED')
  bad('root-hex', 'the root in hex instead of base64 (signed)', body([ORIGIN, '12', toHex(log.roots[12] as Uint8Array)]), 'CHECKPOINT_MALFORMED')
  bad('missing-root-line', 'no root line (signed)', body([ORIGIN, '12']), 'CHECKPOINT_MALFORMED')
  bad('empty-extension-line', 'an empty extension line (signed)', body([ORIGIN, '12', root12, '']), 'CHECKPOINT_MALFORMED')
  bad('no-signature', 'the body and blank line, no signature line', parseNote(note12).text + '\n', 'NOTE_MALFORMED')
  bad('no-final-newline', 'the last newline left out', note12.slice(0, -1), 'NOTE_MALFORMED')
  bad('signature-not-base64', 'the signature replaced by text that is not base64', note12.replace(/ [A-Za-z0-9+/=]+\n$/, ' not*base64\n'), 'NOTE_MALFORMED')
  return cases
}
