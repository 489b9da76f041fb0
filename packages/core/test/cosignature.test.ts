import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { codeOf, readVector, vectorsRoot } from './support/vectors.js'
import { concatBytes, fromBase64, toBase64, toHex, utf8 } from '../src/bytes.js'
import { openCheckpoint, signCheckpoint, type Checkpoint } from '../src/checkpoint.js'
import { cosignCheckpoint, cosignedMessage, verifyCosignatures } from '../src/cosignature.js'
import { EMPTY_ROOT } from '../src/hash.js'
import { cosignerFromKey, formatKeyId, generateCosignerKey, generateSignerKey, keyIdOf, signerFromKey, verifierFromKey, type NoteVerifier } from '../src/keys.js'
import { formatNote, parseNote, signNote } from '../src/note.js'

const read = readVector
const root = vectorsRoot

const log = generateSignerKey('example.com/log')
const cp: Checkpoint = { origin: 'example.com/log', size: 0, root: EMPTY_ROOT, extensions: [] }
const w1 = generateCosignerKey('witness.example/w1')
const w2 = generateCosignerKey('witness.example/w2')
const v1 = verifierFromKey(w1.vkey)
const v2 = verifierFromKey(w2.vkey)

describe('cosignedMessage', () => {
  it('matches the C2SP cosignature/v1 signed message example byte for byte', () => {
    const want = readFileSync(new URL('c2sp/tlog-cosignature-v1-signed-message-example.txt', root))
    const body = parseNote(read('c2sp/tlog-cosignature-example.checkpoint')).text
    expect(toHex(cosignedMessage(body, 1679315147))).toBe(toHex(new Uint8Array(want)))
  })

  it('refuses bad timestamps (RangeError) and non-checkpoint bodies', () => {
    const body = 'o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'
    expect(() => cosignedMessage(body, -1)).toThrow(RangeError)
    expect(() => cosignedMessage(body, 2 ** 53)).toThrow(RangeError)
    expect(codeOf(() => cosignedMessage('hello\n', 1))).toBe('CHECKPOINT_MALFORMED')
    expect(new TextDecoder().decode(cosignedMessage(body, 0))).toBe(`cosignature/v1\ntime 0\n${body}`)
  })
})

describe('the C2SP cosignature example', () => {
  it('carries the documented timestamp in its witness line', () => {
    const note = parseNote(read('c2sp/tlog-cosignature-example.checkpoint'))
    const cosig = note.signatures[1]!
    expect(cosig.name).toBe('witness.example.com/w1')
    expect(cosig.signature).toHaveLength(72)
    expect(new DataView(cosig.signature.buffer, cosig.signature.byteOffset).getBigUint64(0)).toBe(1679315147n)
  })
})

describe('real witness cosignatures (Rekor v2 log2025-alpha3, rekor2-dsse-happy-path)', () => {
  const sths = JSON.parse(read('c2sp/real-sths.json'))
  const bundle = JSON.parse(read('sigstore-rekor2/rekor2-dsse-happy-path/bundle.sigstore.json'))
  const envelope: string = bundle.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope
  const witnesses = (sths.witnessVkeys.vkeys as string[]).map(verifierFromKey)

  it('the log signature verifies with the published log vkey', () => {
    const { checkpoint } = openCheckpoint(envelope, verifierFromKey(sths.witnessVkeys.logVkey))
    expect(checkpoint.size).toBe(4026479)
  })

  it('all 3 cosignatures verify with the witness vkeys, with their timestamps', () => {
    const got = verifyCosignatures(envelope, witnesses)
    expect(got.map((c) => c.name)).toEqual(witnesses.map((w) => w.name))
    expect(got.map((c) => formatKeyId(c.keyId))).toEqual(['2e1a8dc9', 'a3e00fe2', '67f7aea0'])
    for (const c of got) expect(c.timestamp).toBe(1778700214)
  })

  it('a tampered checkpoint fails every witness; a tampered line fails NOTE_UNVERIFIED', () => {
    const note = parseNote(envelope)
    const changed = formatNote({ ...note, text: note.text.replace('4026479', '4026480') })
    expect(codeOf(() => verifyCosignatures(changed, witnesses))).toBe('NOTE_UNVERIFIED')
    const sig = note.signatures.find((s) => s.name === 'witness.stagemole.eu')!
    sig.signature[7]! ^= 1 // the timestamp: signed, so the signature no longer matches
    expect(codeOf(() => verifyCosignatures(formatNote(note), witnesses))).toBe('NOTE_UNVERIFIED')
    // Without that witness's key the line is someone else's business.
    expect(verifyCosignatures(formatNote(note), witnesses.slice(0, 2))).toHaveLength(2)
  })

  it('ignores unknown witnesses and refuses a log key given as a witness', () => {
    expect(verifyCosignatures(envelope, [v1])).toEqual([])
    expect(() => verifyCosignatures(envelope, [verifierFromKey(sths.witnessVkeys.logVkey)])).toThrow(TypeError)
  })
})

describe('cosignCheckpoint / verifyCosignatures', () => {
  const signed = signCheckpoint(cp, signerFromKey(log.skey))

  it('round-trips: the note keeps its lines byte for byte and gains one per witness', () => {
    const once = cosignCheckpoint(signed, cosignerFromKey(w1.skey), 1_700_000_000)
    expect(once.startsWith(signed)).toBe(true)
    const twice = cosignCheckpoint(once, cosignerFromKey(w2.skey), 1_700_000_001)
    expect(twice.startsWith(once)).toBe(true)
    expect(verifyCosignatures(twice, [v2, v1])).toEqual([
      { name: 'witness.example/w2', keyId: v2.keyId, timestamp: 1_700_000_001 },
      { name: 'witness.example/w1', keyId: v1.keyId, timestamp: 1_700_000_000 },
    ])
    // The log signature still verifies; witness lines are unknown signatures to it.
    const opened = openCheckpoint(twice, verifierFromKey(log.vkey))
    expect(opened.verified).toHaveLength(1)
    expect(opened.note.signatures).toHaveLength(3)
  })

  it('replaces an earlier cosignature of the same witness, and counts duplicates once', () => {
    const a = cosignCheckpoint(signed, cosignerFromKey(w1.skey), 1)
    const b = cosignCheckpoint(a, cosignerFromKey(w1.skey), 2)
    expect(parseNote(b).signatures).toHaveLength(2)
    expect(verifyCosignatures(b, [v1])).toEqual([{ name: v1.name, keyId: v1.keyId, timestamp: 2 }])
    const line = a.slice(a.lastIndexOf('\u2014'))
    expect(verifyCosignatures(a + line, [v1])).toHaveLength(1)
  })

  it('fails for a wrong key, a tampered text, or a bad signature', () => {
    const cosigned = cosignCheckpoint(signed, cosignerFromKey(w1.skey), 5)
    const impostor: NoteVerifier = { ...v1, verify: () => false }
    expect(codeOf(() => verifyCosignatures(cosigned, [impostor]))).toBe('NOTE_UNVERIFIED')
    const other = verifierFromKey(generateCosignerKey('witness.example/w1').vkey)
    expect(verifyCosignatures(cosigned, [other])).toEqual([]) // same name, other key ID: ignored
    const note = parseNote(cosigned)
    note.signatures[1]!.signature[40]! ^= 1
    expect(codeOf(() => verifyCosignatures(formatNote(note), [v1]))).toBe('NOTE_UNVERIFIED')
    // A 64-byte line under the witness's name and key ID (wrong shape): rejected, not misread.
    note.signatures[1]!.signature = note.signatures[1]!.signature.slice(8)
    expect(codeOf(() => verifyCosignatures(formatNote(note), [v1]))).toBe('NOTE_UNVERIFIED')
  })

  it('cosigns only checkpoints, in well-formed notes', () => {
    const cosigner = cosignerFromKey(w1.skey)
    expect(codeOf(() => cosignCheckpoint(signNote('hello\n', [signerFromKey(log.skey)]), cosigner, 1))).toBe('CHECKPOINT_MALFORMED')
    expect(codeOf(() => cosignCheckpoint(signed.slice(0, -1), cosigner, 1))).toBe('NOTE_MALFORMED')
    expect(() => cosignCheckpoint(signed, cosigner, -5)).toThrow(RangeError)
  })

  it('a witness signature verifies only over the cosignature/v1 message, not the bare text', () => {
    const text = parseNote(signed).text
    const sig = cosignerFromKey(w1.skey).cosign(text, 9)
    expect(v1.verify(utf8(text), sig)).toBe(true)
    // The same public key as a plain Ed25519 (type 0x01) key: the bare text was never signed.
    const pub = fromBase64(w1.vkey.slice(w1.vkey.indexOf('+', w1.vkey.indexOf('+') + 1) + 1)).subarray(1)
    const typed = concatBytes(Uint8Array.of(0x01), pub)
    const plain = verifierFromKey(`${v1.name}+${formatKeyId(keyIdOf(v1.name, typed))}+${toBase64(typed)}`)
    expect(plain.verify(utf8(text), sig.subarray(8))).toBe(false)
    expect(plain.verify(cosignedMessage(text, 9), sig.subarray(8))).toBe(true)
  })
})
