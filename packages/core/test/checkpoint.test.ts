import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { codeOf, readVector, vectorsRoot } from './support/vectors.js'
import { bytesEqual, concatBytes, fromBase64, toBase64, toHex, utf8 } from '../src/bytes.js'
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from '../src/checkpoint.js'
import { EMPTY_ROOT, hashChildren, hashLeaf } from '../src/hash.js'
import { formatKeyId, generateSignerKey, keyIdOf, signerFromKey, verifierFromKey } from '../src/keys.js'
import { formatNote, openNote, parseNote } from '../src/note.js'

const read = readVector
const root = vectorsRoot

/** RFC 6962 §2.1 root, straight from the definition (the reference for these tests only). */
function naiveRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT
  if (leaves.length === 1) return hashLeaf(leaves[0]!)
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return hashChildren(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)))
}

const key = generateSignerKey('example.com/log')
const signer = signerFromKey(key.skey)
const verifier = verifierFromKey(key.vkey)
const cp: Checkpoint = { origin: 'example.com/log', size: 3, root: hashLeaf(utf8('x')), extensions: [] }

describe('the C2SP checkpoint examples', () => {
  for (const file of ['tlog-checkpoint-example.checkpoint', 'tlog-cosignature-example.checkpoint']) {
    it(`${file} parses and re-formats byte-exactly`, () => {
      const text = read(`c2sp/${file}`)
      const note = parseNote(text)
      const checkpoint = parseCheckpoint(note.text)
      expect(checkpoint).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] })
      expect(toBase64(checkpoint.root)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=')
      expect(formatCheckpoint(checkpoint)).toBe(note.text)
      expect(formatNote({ text: formatCheckpoint(checkpoint), signatures: note.signatures })).toBe(text)
    })
  }
})

describe('the Go checksum database STH (sum.golang.org)', () => {
  const item = JSON.parse(read('c2sp/real-sths.json')).items[0] as { vkey: string; note: string }

  it('verifies with the built-in GOSUMDB key and holds a checkpoint', () => {
    const v = verifierFromKey(item.vkey)
    const { text, verified } = openNote(item.note, [v])
    expect(formatKeyId(verified[0]!.keyId)).toBe('033de0ae')
    const checkpoint = parseCheckpoint(text)
    expect(checkpoint).toMatchObject({ origin: 'go.sum database tree', size: 6476701 })
    expect(toBase64(checkpoint.root)).toBe('mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=')
  })

  it('is refused by openCheckpoint: its key name is not its origin (it predates tlog-checkpoint)', () => {
    expect(codeOf(() => openCheckpoint(item.note, verifierFromKey(item.vkey)))).toBe('CHECKPOINT_ORIGIN_MISMATCH')
  })
})

describe('the Tessera test log', () => {
  const vkey = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx'
  const bundle = new Uint8Array(readFileSync(new URL('tessera-testdata-log/log/tile/entries/000.p/15', root)))
  const entries: Uint8Array[] = []
  for (let at = 0; at < bundle.length;) {
    const len = (bundle[at]! << 8) | bundle[at + 1]!
    entries.push(bundle.subarray(at + 2, at + 2 + len))
    at += 2 + len
  }

  it('has the 15 published entries, whose leaf hashes are the level-0 tile', () => {
    const words = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'
    expect(entries.map((e) => new TextDecoder().decode(e)).join(' ')).toBe(words)
    const tile = new Uint8Array(readFileSync(new URL('tessera-testdata-log/log/tile/0/000.p/15', root)))
    expect(toHex(tile)).toBe(toHex(concatBytes(...entries.map(hashLeaf))))
  })

  for (let n = 0; n <= 15; n++) {
    it(`checkpoint.${n} verifies and its root is the RFC 6962 root of the first ${n} entries`, () => {
      const text = read(`tessera-testdata-log/log/checkpoint.${n}`)
      const { checkpoint, verified } = openCheckpoint(text, verifierFromKey(vkey), { origin: 'example.com/log/testdata' })
      expect(checkpoint.size).toBe(n)
      expect(toHex(checkpoint.root)).toBe(toHex(naiveRoot(entries.slice(0, n))))
      expect(formatKeyId(verified[0]!.keyId)).toBe('33d7b496')
      expect(formatCheckpoint(checkpoint)).toBe(text.slice(0, text.indexOf('\n\n') + 1))
    })
  }

  it('checkpoint (latest) equals checkpoint.15', () => {
    expect(read('tessera-testdata-log/log/checkpoint')).toBe(read('tessera-testdata-log/log/checkpoint.15'))
  })
})

describe('Rekor v2 checkpoints (sigstore-conformance)', () => {
  const dir = new URL('sigstore-rekor2/', root)
  const SPKI_ED25519 = '302a300506032b6570032100'
  const expected: Record<string, string> = {
    'rekor2-checkpoint-missing-log-signature_fail': 'NOTE_MALFORMED',
    'rekor2-checkpoint-missing-origin_fail': 'CHECKPOINT_MALFORMED',
    'rekor2-checkpoint-missing-size_fail': 'CHECKPOINT_MALFORMED',
    'rekor2-checkpoint-missing-root-hash_fail': 'CHECKPOINT_MALFORMED',
    'rekor2-checkpoint-no-matching-signature_fail': 'CHECKPOINT_ORIGIN_MISMATCH',
  }
  const cases = readdirSync(dir).filter((d) => d.startsWith('rekor2-'))

  it('covers the 12 cases', () => expect(cases).toHaveLength(12))

  for (const name of cases) {
    const want = expected[name] ?? 'no error'
    it(`${name}: ${want}`, () => {
      const bundle = JSON.parse(read(`sigstore-rekor2/${name}/bundle.sigstore.json`))
      const trusted = JSON.parse(read(`sigstore-rekor2/${name}/trusted_root.json`))
      const entry = bundle.verificationMaterial.tlogEntries[0]
      // The log is chosen by the entry's log ID, as a Sigstore client does.
      const log = trusted.tlogs.find((t: any) => t.logId.keyId === entry.logId.keyId)
      expect(log.publicKey.keyDetails).toBe('PKIX_ED25519')
      const spki = fromBase64(log.publicKey.rawBytes)
      expect(toHex(spki.subarray(0, 12))).toBe(SPKI_ED25519)
      const origin = new URL(log.baseUrl).host
      const typed = concatBytes(Uint8Array.of(0x01), spki.subarray(12))
      const vkey = `${origin}+${formatKeyId(keyIdOf(origin, typed))}+${toBase64(typed)}`
      const envelope: string = entry.inclusionProof.checkpoint.envelope
      const open = () => openCheckpoint(envelope, verifierFromKey(vkey), { origin })
      expect(codeOf(open)).toBe(want)
      if (want !== 'no error') return
      const { checkpoint } = open()
      expect(checkpoint.size).toBe(Number(entry.inclusionProof.treeSize))
      expect(bytesEqual(checkpoint.root, fromBase64(entry.inclusionProof.rootHash))).toBe(true)
    })
  }
})

describe('signCheckpoint / openCheckpoint', () => {
  it('round-trips generate → sign → open', () => {
    const note = signCheckpoint({ ...cp, extensions: ['ext one'] }, signer)
    const { checkpoint, verified, note: parsed } = openCheckpoint(note, verifier, { origin: cp.origin })
    expect(checkpoint).toEqual({ ...cp, extensions: ['ext one'] })
    expect(verified).toHaveLength(1)
    expect(parsed.signatures).toHaveLength(1)
  })

  it('fails on tampering and wrong keys with the right code', () => {
    const note = signCheckpoint(cp, signer)
    const other = verifierFromKey(generateSignerKey('example.com/log').vkey)
    expect(codeOf(() => openCheckpoint(note, other))).toBe('NOTE_UNVERIFIED')
    expect(codeOf(() => openCheckpoint(note.replace('\n3\n', '\n4\n'), verifier))).toBe('NOTE_UNVERIFIED')
    const parsed = parseNote(note)
    parsed.signatures[0]!.signature[10]! ^= 0x80
    expect(codeOf(() => openCheckpoint(formatNote(parsed), verifier))).toBe('NOTE_UNVERIFIED')
    expect(codeOf(() => openCheckpoint(note.replace('\n3\n', '\n03\n'), verifier))).toBe('CHECKPOINT_MALFORMED')
    expect(codeOf(() => openCheckpoint(note.slice(0, -1), verifier))).toBe('NOTE_MALFORMED')
    expect(codeOf(() => openCheckpoint(note.slice(1), verifier))).toBe('CHECKPOINT_ORIGIN_MISMATCH')
  })

  it('requires the origin to match the verifier name and the expected origin', () => {
    const note = signCheckpoint(cp, signer)
    expect(codeOf(() => openCheckpoint(note, verifier, { origin: 'example.com/other' }))).toBe('CHECKPOINT_ORIGIN_MISMATCH')
    const elsewhere = generateSignerKey('example.com/other')
    expect(codeOf(() => signCheckpoint(cp, signerFromKey(elsewhere.skey)))).toBe('CHECKPOINT_ORIGIN_MISMATCH')
    const misnamed = signCheckpoint({ ...cp, origin: 'example.com/other' }, signerFromKey(elsewhere.skey))
    expect(codeOf(() => openCheckpoint(misnamed, verifier))).toBe('CHECKPOINT_ORIGIN_MISMATCH')
  })
})

describe('parseCheckpoint is strict', () => {
  const body = formatCheckpoint(cp)
  const rootB64 = toBase64(cp.root)
  const cases: Record<string, string> = {
    'no final newline': body.slice(0, -1),
    'two lines': `example.com/log\n3\n`,
    'empty origin': `\n3\n${rootB64}\n`,
    'leading zero': `o\n03\n${rootB64}\n`,
    'signed size': `o\n+3\n${rootB64}\n`,
    'negative size': `o\n-3\n${rootB64}\n`,
    'size with space': `o\n3 \n${rootB64}\n`,
    'size beyond 2^53 - 1': `o\n9007199254740992\n${rootB64}\n`,
    'size of 17 digits': `o\n10000000000000000\n${rootB64}\n`,
    'hex size': `o\n0x3\n${rootB64}\n`,
    'short root': `o\n3\n${toBase64(new Uint8Array(31))}\n`,
    'long root': `o\n3\n${toBase64(new Uint8Array(33))}\n`,
    'unpadded root': `o\n3\n${rootB64.slice(0, -1)}\n`,
    'non-canonical root': `o\n3\n${rootB64.slice(0, -2)}${rootB64.at(-2) === 'B' ? 'C' : 'B'}=\n`,
    'empty extension line': `o\n3\n${rootB64}\n\n`,
    'control character': `o\t\n3\n${rootB64}\n`,
  }
  for (const [desc, text] of Object.entries(cases)) {
    it(`refuses ${desc} with CHECKPOINT_MALFORMED`, () => {
      expect(codeOf(() => parseCheckpoint(text))).toBe('CHECKPOINT_MALFORMED')
    })
  }

  it('accepts size 0 and 2^53 - 1 and round-trips extension lines', () => {
    expect(parseCheckpoint(`o\n0\n${rootB64}\n`).size).toBe(0)
    expect(parseCheckpoint(`o\n9007199254740991\n${rootB64}\n`).size).toBe(Number.MAX_SAFE_INTEGER)
    const text = `o\n3\n${rootB64}\na\nb c\n`
    expect(formatCheckpoint(parseCheckpoint(text))).toBe(text)
  })

  it('formatCheckpoint refuses values that would not parse back', () => {
    for (const bad of [
      { ...cp, origin: '' },
      { ...cp, origin: 'a\nb' },
      { ...cp, size: -1 },
      { ...cp, size: 1.5 },
      { ...cp, size: 2 ** 53 },
      { ...cp, root: new Uint8Array(31) },
      { ...cp, extensions: [''] },
      { ...cp, extensions: ['a\nb'] },
    ]) {
      expect(codeOf(() => formatCheckpoint(bad))).toBe('CHECKPOINT_MALFORMED')
    }
  })
})
