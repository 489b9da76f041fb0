import { describe, expect, it } from 'vitest'
import { codeOf, readVector } from './support/vectors.js'
import { concatBytes, fromBase64, toBase64, toHex, utf8 } from '../src/bytes.js'
import {
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  cosignerFromKey,
  formatKeyId,
  generateCosignerKey,
  generateSignerKey,
  isValidKeyName,
  keyIdOf,
  keyTypeOf,
  signerFromKey,
  verifierFromKey,
  verifierFromKeyWith,
} from '../src/keys.js'

const read = (name: string): string => readVector(`c2sp/${name}`)

// Known answer from the package documentation of golang.org/x/mod/sumdb/note (note.go,
// "Example"; BSD-3-Clause), used as data: the reference implementation of the key formats.
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'

describe('key names', () => {
  it('accepts URL-like names and refuses empty, plus, spaces and controls', () => {
    expect(isValidKeyName('example.com/log')).toBe(true)
    expect(isValidKeyName('é.example/ü')).toBe(true)
    for (const bad of ['', 'a+b', 'a b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\u0085b', 'a\u0000b', '\ud800']) {
      expect(isValidKeyName(bad)).toBe(false)
    }
  })
})

describe('key IDs', () => {
  it('match the C2SP example vkey (530d903a) and the Go sumdb key (033de0ae)', () => {
    const c2sp = read('signed-note-example.vkey').trim()
    const [name = '', , key = ''] = c2sp.split('+')
    expect(formatKeyId(keyIdOf(name, fromBase64(key)))).toBe('530d903a')
    expect(verifierFromKey(c2sp).keyId).toBe(0x530d903a)
    const sumdb = JSON.parse(read('real-sths.json')).items[0].vkey as string
    expect(formatKeyId(verifierFromKey(sumdb).keyId)).toBe('033de0ae')
  })

  it('depend on the type byte', () => {
    const key = new Uint8Array(32).fill(7)
    const a = keyIdOf('w', concatBytes(Uint8Array.of(1), key))
    const b = keyIdOf('w', concatBytes(Uint8Array.of(4), key))
    expect(a).not.toBe(b)
    expect(a).toBeGreaterThanOrEqual(0)
    expect(a).toBeLessThanOrEqual(0xffff_ffff)
  })
})

describe('signer keys', () => {
  it('read the Go note package example key and reproduce its signature', () => {
    const signer = signerFromKey(GO_SKEY)
    expect(signer).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 })
    const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    const sig = signer.sign(utf8(text))
    const line = toBase64(concatBytes(Uint8Array.of(0xc7, 0x4f, 0x20, 0xa3), sig))
    expect(line).toBe('x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=')
    expect(verifierFromKey(GO_VKEY).verify(utf8(text), sig)).toBe(true)
  })

  it('generate in the Go text formats and round-trip', () => {
    const { skey, vkey } = generateSignerKey('example.com/log')
    expect(skey).toMatch(/^PRIVATE\+KEY\+example\.com\/log\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/)
    expect(vkey).toMatch(/^example\.com\/log\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/)
    const signer = signerFromKey(skey)
    const verifier = verifierFromKey(vkey)
    expect(signer.keyId).toBe(verifier.keyId)
    expect(verifier.vkey).toBe(vkey)
    expect(keyTypeOf(vkey)).toBe(SIG_TYPE_ED25519)
    const msg = utf8('hello\n')
    const sig = signer.sign(msg)
    expect(verifier.verify(msg, sig)).toBe(true)
    expect(verifier.verify(utf8('hellO\n'), sig)).toBe(false)
    expect(verifier.verify(msg, sig.subarray(1))).toBe(false)
    expect(verifierFromKey(generateSignerKey('example.com/log').vkey).verify(msg, sig)).toBe(false)
  })

  it('remember verified signatures by default, or none with remember: 0', () => {
    const { skey, vkey } = generateSignerKey('example.com/log')
    const msg = utf8('hello\n')
    const sig = signerFromKey(skey).sign(msg)
    const bad = sig.slice()
    bad[5] = (bad[5] as number) ^ 1
    for (const verifier of [verifierFromKey(vkey), verifierFromKeyWith(vkey, { remember: 0 }), verifierFromKeyWith(vkey, { remember: 1 })]) {
      for (let i = 0; i < 3; i++) {
        expect(verifier.verify(msg, sig)).toBe(true)
        expect(verifier.verify(msg, bad)).toBe(false)
        expect(verifier.verify(utf8('hellO\n'), sig)).toBe(false) // a remembered signature, another message
      }
    }
    expect(() => verifierFromKeyWith(vkey, { remember: -1 })).toThrow(RangeError)
    expect(() => verifierFromKeyWith(vkey, { remember: 0.5 })).toThrow(RangeError)
  })

  it('refuse invalid names with TypeError', () => {
    expect(() => generateSignerKey('a b')).toThrow(TypeError)
    expect(() => generateCosignerKey('')).toThrow(TypeError)
  })

  it('refuse malformed key text with KEY_MALFORMED', () => {
    const { skey } = generateSignerKey('example.com/log')
    const rest = skey.slice('PRIVATE+KEY+'.length)
    const [, name = '', id = '', b64 = ''] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(rest) ?? []
    const otherId = formatKeyId((Number.parseInt(id, 16) + 1) >>> 0)
    for (const bad of [
      '',
      rest, // no PRIVATE+KEY+ prefix
      `PRIVATE+KEY+${name}+${otherId}+${b64}`, // key ID does not match
      `PRIVATE+KEY+${name}+${id.slice(1)}+${b64}`,
      `PRIVATE+KEY+${name}+${id}+${b64.slice(1)}`,
      `PRIVATE+KEY+${name}+${id}+${toBase64(Uint8Array.of(1, 2, 3))}`,
      `PRIVATE+KEY+a b+${id}+${b64}`,
      `PRIVATE+KEY+${name}+${id}`,
      GO_VKEY,
      generateCosignerKey('w').skey, // type 0x04 is not a log signer
    ]) {
      expect(
        codeOf(() => signerFromKey(bad)),
        bad,
      ).toBe('KEY_MALFORMED')
    }
  })

  it('refuse malformed verifier keys with KEY_MALFORMED', () => {
    const [, , key = ''] = GO_VKEY.split('+')
    const raw = fromBase64(key)
    const typed = (type: number): string => {
      const bytes = concatBytes(Uint8Array.of(type), raw.subarray(1))
      return `PeterNeumann+${formatKeyId(keyIdOf('PeterNeumann', bytes))}+${toBase64(bytes)}`
    }
    expect(verifierFromKey(typed(1)).vkey).toBe(GO_VKEY)
    for (const bad of [
      '',
      'PeterNeumann',
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // wrong ID
      'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n',
      'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      typed(2), // ECDSA: unsupported
      typed(5), // RFC 6962: unsupported
      `x+00000000+${toBase64(new Uint8Array(33).fill(0xff).fill(1, 0, 1))}`, // not a curve point
      'x'.repeat(5000),
    ]) {
      expect(
        codeOf(() => verifierFromKey(bad)),
        bad,
      ).toBe('KEY_MALFORMED')
    }
  })
})

describe('cosigner keys (type 0x04)', () => {
  it('generate, cosign with a timestamp, and verify as timestamped signatures', () => {
    const { skey, vkey } = generateCosignerKey('witness.example.com/w1')
    expect(vkey).toMatch(/^witness\.example\.com\/w1\+[0-9a-f]{8}\+B[A-P][A-Za-z0-9+/]{42}$/)
    expect(keyTypeOf(vkey)).toBe(SIG_TYPE_COSIGNATURE_V1)
    const cosigner = cosignerFromKey(skey)
    const verifier = verifierFromKey(vkey)
    expect(cosigner.keyId).toBe(verifier.keyId)
    const body = 'example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'
    const sig = cosigner.cosign(body, 1_700_000_000)
    expect(sig.length).toBe(72)
    expect(new DataView(sig.buffer).getBigUint64(0)).toBe(1_700_000_000n)
    expect(verifier.verify(utf8(body), sig)).toBe(true)
    const shifted = sig.slice()
    shifted[7] = (shifted[7] ?? 0) ^ 1 // another timestamp: the signature no longer matches
    expect(verifier.verify(utf8(body), shifted)).toBe(false)
    expect(verifier.verify(utf8(body), sig.subarray(8))).toBe(false)
    expect(() => cosigner.cosign(body, -1)).toThrow(RangeError)
    expect(() => cosigner.cosign(body, 1.5)).toThrow(RangeError)
  })

  it('the same seed under type 0x01 gets another key ID and cannot be read as a cosigner', () => {
    const { skey } = generateSignerKey('w')
    expect(codeOf(() => cosignerFromKey(skey))).toBe('KEY_MALFORMED')
  })

  it('read the real witness vkeys', () => {
    const { witnessVkeys } = JSON.parse(read('real-sths.json')) as { witnessVkeys: { vkeys: string[] } }
    for (const vkey of witnessVkeys.vkeys) {
      const v = verifierFromKey(vkey)
      expect(keyTypeOf(vkey)).toBe(SIG_TYPE_COSIGNATURE_V1)
      expect(vkey).toContain(`+${formatKeyId(v.keyId)}+`)
    }
  })
})

describe('fast signing', () => {
  it('gives the same signatures as the portable @noble/curves signer', async () => {
    const { ed25519SignPortable } = await import('../src/internal/ed25519.js')
    const { skey } = generateSignerKey('fast.example/log')
    const seed = fromBase64(skey.split('+').slice(4).join('+')).subarray(1)
    const signer = signerFromKey(skey)
    for (const text of ['', 'hello\n', 'x'.repeat(5000)]) {
      const message = new TextEncoder().encode(text)
      expect(toHex(signer.sign(message))).toBe(toHex(ed25519SignPortable(seed, message)))
    }
  })
})
