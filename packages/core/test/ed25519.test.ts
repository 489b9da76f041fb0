/**
 * The verifier of internal/ed25519.ts must answer exactly what @noble/curves' strict mode answers
 * (the oracle), OpenSSL being only a fast path to acceptance. The edge cases are built here with
 * noble's point arithmetic: signatures a key holder can craft that only one of the two
 * verification equations (cofactored, cofactorless) accepts, non-canonical scalars and point
 * encodings, small-order and mixed-order points (RFC 8032 §5.1.7; "Taming the many EdDSAs",
 * Chalkias, Garillot, Nikolaenko, SSR 2020, for the list of cases).
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha512 } from '@noble/hashes/sha2.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { concatBytes, fromHex, utf8 } from '../src/bytes.js'
import { ed25519Verifier, ed25519VerifyPortable } from '../src/internal/ed25519.js'

const Point = ed25519.Point
type EdPoint = InstanceType<typeof Point>
const L = Point.Fn.ORDER
const P = 2n ** 255n - 19n

const toLE = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn)
  return out
}
const fromLE = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n)
const mod = (n: bigint, m: bigint): bigint => ((n % m) + m) % m
const challenge = (r: Uint8Array, a: Uint8Array, msg: Uint8Array): bigint => mod(fromLE(sha512(concatBytes(r, a, msg))), L)

// Points of small order, canonically encoded: the identity, the point of order 2, two of order 4
// and four of order 8 (y of the order-8 points from the list in libsodium's ed25519_ref10.c).
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
].map(fromHex)
const T8 = Point.fromBytes(SMALL_ORDER[4] as Uint8Array) // a point of order 8

/** A key holder able to sign with any nonce point and any public point it derives from `a`. */
function holder(seed: number): { a: bigint; A: EdPoint; pub: Uint8Array } {
  const { scalar, point, pointBytes } = ed25519.utils.getExtendedPublicKey(new Uint8Array(32).fill(seed))
  return { a: scalar, A: point, pub: pointBytes }
}

/** R ‖ S with S = r + k·a mod L, k over the given R and A encodings (RFC 8032 §5.1.6). */
function craft(rBytes: Uint8Array, r: bigint, aBytes: Uint8Array, a: bigint, msg: Uint8Array): Uint8Array {
  return concatBytes(rBytes, toLE(mod(r + challenge(rBytes, aBytes, msg) * a, L)))
}

/** OpenSSL alone (cofactorless, no small-order checks), to show which cases need noble. */
function openssl(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]), format: 'der', type: 'spki' })
  try {
    return nodeVerify(null, msg, key, sig)
  } catch {
    return false
  }
}

/** Asserts the fast verifier agrees with noble, and that noble says `want`. */
function agree(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array, want: boolean): void {
  expect(ed25519VerifyPortable(pub, msg, sig)).toBe(want)
  expect(ed25519Verifier(pub)(msg, sig)).toBe(want)
}

describe('Ed25519 verification against @noble/curves strict mode', () => {
  const msg = utf8('example.com/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n')

  it('accepts valid signatures and refuses any changed bit, like noble', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), fc.nat(64 * 8 - 1), (seed, m, bit) => {
        const pub = ed25519.getPublicKey(seed)
        const sig = ed25519.sign(m, seed)
        const verify = ed25519Verifier(pub)
        expect(verify(m, sig)).toBe(true)
        const bad = sig.slice()
        bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7))
        expect(verify(m, bad)).toBe(ed25519VerifyPortable(pub, m, bad))
        expect(verify(m, bad)).toBe(false)
        const other = concatBytes(m, Uint8Array.of(1))
        expect(verify(other, sig)).toBe(false)
      }),
      { numRuns: 60 },
    )
  })

  it('refuses a non-canonical S (S + L, S = L, all ones) that OpenSSL or a lax check might take', () => {
    const { a, pub } = holder(1)
    const sig = ed25519.sign(msg, new Uint8Array(32).fill(1))
    agree(pub, msg, sig, true)
    expect(a).toBeGreaterThan(0n)
    const s = fromLE(sig.subarray(32))
    for (const bad of [s + L, L, 2n ** 256n - 1n, s + 2n ** 255n]) {
      agree(pub, msg, concatBytes(sig.subarray(0, 32), toLE(bad % 2n ** 256n)), false)
    }
  })

  it('refuses keys of small order, which OpenSSL alone would let anyone sign for', () => {
    for (const pub of SMALL_ORDER) {
      // With [k]A of small order, R = [s]B satisfies OpenSSL's equation whenever [k]A is the identity.
      const s = 12345n
      const rBytes = Point.BASE.multiply(s).toBytes()
      const sig = concatBytes(rBytes, toLE(s))
      if (Point.fromBytes(pub).equals(Point.ZERO)) expect(openssl(pub, msg, sig)).toBe(true)
      agree(pub, msg, sig, false)
    }
  })

  it('refuses non-canonical encodings of A and R (y >= p, x = 0 with the sign bit)', () => {
    // Identity as R: a key holder makes S = k·a so that [S]B - [k]A is the identity.
    const { a, pub } = holder(2)
    const identity = SMALL_ORDER[0] as Uint8Array
    agree(pub, msg, craft(identity, 0n, pub, a, msg), true) // canonical: both equations hold
    const nonCanonical = [toLE(P + 1n), toLE(1n + 2n ** 255n)] // y = p + 1 ≡ 1; x = 0 with sign 1
    for (const r of nonCanonical) agree(pub, msg, craft(r, 0n, pub, a, msg), false)
    // A encoded with y = p (≡ 0) or y = p + 1 (≡ 1): refused before any equation.
    for (const y of [P, P + 1n, P + 2n]) {
      const badA = toLE(y)
      agree(badA, msg, craft(identity, 0n, badA, 1n, msg), false)
    }
  })

  it('accepts what only the cofactored equation accepts (mixed-order R or A), as noble does', () => {
    let opensslRefused = 0
    for (let i = 0; i < 16; i++) {
      const m = utf8(`message ${i}\n`)
      const { a, A, pub } = holder(3)
      const r = BigInt(1000 + i)
      // R with a torsion component: [8](R + [k]A - [S]B) = [8]T8 = identity.
      const rMixed = Point.BASE.multiply(r).add(T8).toBytes()
      const sig = craft(rMixed, r, pub, a, m)
      if (!openssl(pub, m, sig)) opensslRefused++
      agree(pub, m, sig, true)
      // A with a torsion component, signed by the holder of a.
      const aMixed = A.add(T8).toBytes()
      const rPlain = Point.BASE.multiply(r).toBytes()
      const sig2 = craft(rPlain, r, aMixed, a, m)
      const k = challenge(rPlain, aMixed, m)
      expect(openssl(aMixed, m, sig2)).toBe(k % 8n === 0n)
      agree(aMixed, m, sig2, true)
    }
    expect(opensslRefused).toBeGreaterThan(0)
  })

  it('refuses small-order R with a mismatched S, and signatures of the wrong shape', () => {
    const { pub } = holder(4)
    const verify = ed25519Verifier(pub)
    for (const r of SMALL_ORDER) agree(pub, msg, concatBytes(r, toLE(7n)), false)
    for (const bad of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(65), new Uint8Array(64)]) {
      expect(verify(msg, bad)).toBe(ed25519VerifyPortable(pub, msg, bad))
      expect(verify(msg, bad)).toBe(false)
    }
    expect(verify(msg, 'x' as unknown as Uint8Array)).toBe(false)
  })
})
