import { describe, expect, it } from 'vitest'
import { codeOf, readVector } from './support/vectors.js'
import { toBase64 } from '../src/bytes.js'
import { generateSignerKey, signerFromKey, verifierFromKey, type NoteVerifier } from '../src/keys.js'
import { MAX_NOTE_SIGNATURES, formatNote, openNote, parseNote, signNote } from '../src/note.js'

const read = (name: string): string => readVector(`c2sp/${name}`)

const EM = '\u2014'
const key = generateSignerKey('example.com/log')
const signer = signerFromKey(key.skey)
const verifier = verifierFromKey(key.vkey)

describe('the C2SP signed-note example', () => {
  const note = read('signed-note-example.note')
  const vkey = read('signed-note-example.vkey').trim()

  it('verifies with its vkey (key ID 530d903a)', () => {
    const v = verifierFromKey(vkey)
    expect(v.keyId).toBe(0x530d903a)
    const opened = openNote(note, [v])
    expect(opened.text).toBe('This is an example message.\n')
    expect(opened.verified).toHaveLength(1)
    expect(opened.verified[0]).toMatchObject({ name: 'example.com/foo', keyId: 0x530d903a })
    expect(opened.unverified).toEqual([])
  })

  it('parses and re-formats byte-exactly', () => {
    expect(formatNote(parseNote(note))).toBe(note)
  })

  it('fails once tampered, with NOTE_UNVERIFIED', () => {
    const v = verifierFromKey(vkey)
    expect(codeOf(() => openNote(note.replace('example message', 'exemple message'), [v]))).toBe('NOTE_UNVERIFIED')
    expect(codeOf(() => openNote(note, [verifier]))).toBe('NOTE_UNVERIFIED') // only unknown keys
  })
})

describe('signNote / openNote', () => {
  it('round-trips generate → sign → open', () => {
    const note = signNote('hello\n\nworld\n', [signer])
    expect(note.startsWith('hello\n\nworld\n\n' + EM + ' example.com/log ')).toBe(true)
    const opened = openNote(note, [verifier])
    expect(opened.text).toBe('hello\n\nworld\n')
    expect(opened.verified.map((s) => s.keyId)).toEqual([verifier.keyId])
  })

  it('keeps unknown signatures apart and signs with several keys', () => {
    const other = generateSignerKey('other.example')
    const note = signNote('text\n', [signer, signerFromKey(other.skey)])
    const opened = openNote(note, [verifier])
    expect(opened.verified).toHaveLength(1)
    expect(opened.unverified.map((s) => s.name)).toEqual(['other.example'])
    expect(openNote(note, [verifier, verifierFromKey(other.vkey)]).verified).toHaveLength(2)
  })

  it('rejects a note whose known signature fails, even if another verifies', () => {
    const other = generateSignerKey('other.example')
    const note = signNote('text\n', [signer, signerFromKey(other.skey)])
    const parsed = parseNote(note)
    parsed.signatures[1]!.signature[0]! ^= 1
    const tampered = formatNote(parsed)
    expect(codeOf(() => openNote(tampered, [verifier]))).toBe('no error') // bad line is unknown here
    expect(codeOf(() => openNote(tampered, [verifier, verifierFromKey(other.vkey)]))).toBe('NOTE_UNVERIFIED')
  })

  it('rejects a wrong key of the same name (same ID impossible), a tampered text or signature', () => {
    const note = signNote('text\n', [signer])
    const sameName = verifierFromKey(generateSignerKey('example.com/log').vkey)
    expect(codeOf(() => openNote(note, [sameName]))).toBe('NOTE_UNVERIFIED')
    expect(codeOf(() => openNote(note.replace('text', 'tExt'), [verifier]))).toBe('NOTE_UNVERIFIED')
    const n = parseNote(note)
    n.signatures[0]!.signature[5]! ^= 1
    expect(codeOf(() => openNote(formatNote(n), [verifier]))).toBe('NOTE_UNVERIFIED')
    // A key claiming the verifier's name and ID with another key: the signature must verify.
    const impostor: NoteVerifier = { ...verifier, vkey: 'impostor', verify: () => false }
    expect(codeOf(() => openNote(note, [impostor]))).toBe('NOTE_UNVERIFIED')
  })

  it('counts duplicate signatures from one key once', () => {
    const note = signNote('text\n', [signer])
    const line = note.slice(note.indexOf(EM))
    const opened = openNote(note + line, [verifier])
    expect(opened.verified).toHaveLength(1)
    const other = verifierFromKey(generateSignerKey('other.example').vkey)
    const twice = openNote(signNote('text\n', [signer, signerFromKey(generateSignerKey('z').skey)]), [verifier])
    expect(twice.unverified).toHaveLength(1)
    expect(codeOf(() => openNote(note + line, [other]))).toBe('NOTE_UNVERIFIED')
    expect(parseNote(note + line).signatures).toHaveLength(2)
  })

  it('refuses ambiguous verifiers (same name and ID, different keys)', () => {
    const twin: NoteVerifier = { ...verifier, vkey: 'different' }
    expect(() => openNote(signNote('t\n', [signer]), [verifier, twin])).toThrow(TypeError)
    expect(openNote(signNote('t\n', [signer]), [verifier, verifier]).verified).toHaveLength(1)
  })

  it('refuses bad text to sign and bad signer lists', () => {
    expect(codeOf(() => signNote('no newline', [signer]))).toBe('NOTE_MALFORMED')
    expect(codeOf(() => signNote('tab\there\n', [signer]))).toBe('NOTE_MALFORMED')
    expect(() => signNote('t\n', [])).toThrow(TypeError)
    expect(() => signNote('t\n', [signer, signer])).toThrow(TypeError)
  })
})

describe('parseNote is strict', () => {
  const good = signNote('text\n', [signer])
  const sigLine = good.slice(good.indexOf(EM))
  const b64 = sigLine.slice(sigLine.lastIndexOf(' ') + 1, -1)
  const cases: Record<string, string> = {
    empty: '',
    'no final newline': good.slice(0, -1),
    'no blank line': 'text\n' + sigLine,
    'no signatures': 'text\n\n',
    'trailing blank line': good + '\n',
    'hyphen instead of em dash': good.replace(EM, '-'),
    'no space after dash': good.replace(EM + ' ', EM),
    'empty name': `text\n\n${EM}  ${b64}\n`,
    'two spaces': `text\n\n${EM} example.com/log  ${b64}\n`,
    'name with plus': `text\n\n${EM} a+b ${b64}\n`,
    'unpadded base64': `text\n\n${EM} a ${b64.replace(/=+$/, '')}\n`,
    'base64 with junk': `text\n\n${EM} a ${b64}!\n`,
    'non-canonical base64 (padding bits set)': `text\n\n${EM} a ${toBase64(new Uint8Array(5)).replace('A=', 'B=')}\n`,
    'signature of 4 bytes': `text\n\n${EM} a ${toBase64(new Uint8Array(4))}\n`,
    'carriage return': good.replace('text\n', 'text\r\n'),
    'NUL in text': good.replace('text', 'te\u0000xt'),
    'lone surrogate': good.replace('text', 'te\ud800xt'),
    huge: 'x'.repeat(1024 * 1024) + '\n\n' + sigLine,
  }
  for (const [desc, note] of Object.entries(cases)) {
    it(`refuses ${desc} with NOTE_MALFORMED`, () => {
      expect(codeOf(() => parseNote(note))).toBe('NOTE_MALFORMED')
      expect(codeOf(() => openNote(note, [verifier]))).toBe('NOTE_MALFORMED')
    })
  }

  it(`accepts ${MAX_NOTE_SIGNATURES} signatures and refuses one more`, () => {
    const many = (n: number): string => 'text\n\n' + `${EM} k${'x'} ${b64}\n`.repeat(n)
    expect(parseNote(many(MAX_NOTE_SIGNATURES)).signatures).toHaveLength(MAX_NOTE_SIGNATURES)
    expect(codeOf(() => parseNote(many(MAX_NOTE_SIGNATURES + 1)))).toBe('NOTE_MALFORMED')
  })

  it('separates text from signatures at the last blank line; text may hold blank lines and UTF-8', () => {
    const text = 'Ognuno sta solo\n\ned è subito sera.\n\n'
    const note = signNote(text, [signer])
    expect(parseNote(note).text).toBe(text)
    expect(openNote(note, [verifier]).text).toBe(text)
  })

  it('formatNote refuses what would not parse back', () => {
    const sig = { name: 'a', keyId: 1, signature: new Uint8Array(64) }
    expect(codeOf(() => formatNote({ text: 'x', signatures: [sig] }))).toBe('NOTE_MALFORMED')
    expect(codeOf(() => formatNote({ text: 'x\n', signatures: [] }))).toBe('NOTE_MALFORMED')
    expect(codeOf(() => formatNote({ text: 'x\n', signatures: [{ ...sig, name: 'a b' }] }))).toBe('NOTE_MALFORMED')
    expect(codeOf(() => formatNote({ text: 'x\n', signatures: [{ ...sig, keyId: 2 ** 32 }] }))).toBe('NOTE_MALFORMED')
    expect(codeOf(() => formatNote({ text: 'x\n', signatures: [{ ...sig, signature: new Uint8Array(0) }] }))).toBe('NOTE_MALFORMED')
  })
})
