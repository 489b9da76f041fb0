/**
 * SHA-256 (FIPS 180-4 §6.2) of an interior node's input, 0x01 ‖ left ‖ right, in plain
 * JavaScript. For 65 bytes the cost of node:crypto is the call into C++ (its compression itself
 * is cheap), so this is about twice as fast as its one-shot `hash`, allocates nothing, and runs
 * the same everywhere; tests hold it byte-equal to node:crypto and @noble/hashes.
 *
 * The 65-byte input always makes two blocks. The first holds 0x01, the 32 bytes of `left` and
 * the first 31 of `right`. The second holds the last byte of `right`, the 0x80 pad byte, zeros
 * and the bit length 520: it depends on that one byte only, so its message schedule, with the
 * round constants added, is computed once for all 256 values (64 KiB).
 */

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first
// 64 primes.
// prettier-ignore
const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
)

// FIPS 180-4 §5.3.3: the initial hash value.
const IV0 = 0x6a09e667 | 0
const IV1 = 0xbb67ae85 | 0
const IV2 = 0x3c6ef372 | 0
const IV3 = 0xa54ff53a | 0
const IV4 = 0x510e527f | 0
const IV5 = 0x9b05688c | 0
const IV6 = 0x1f83d9ab | 0
const IV7 = 0x5be0cd19 | 0

// σ0 and σ1 of the message schedule (FIPS 180-4 §4.1.2), for building the table.
const s0 = (x: number): number => ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
const s1 = (x: number): number => ((x >>> 17) | (x << 15)) ^ ((x >>> 19) | (x << 13)) ^ (x >>> 10)

// K[i] + W[i] of the second block for each value of its first byte: 256 rows of 64 words.
const KW2 = new Int32Array(256 * 64)
{
  const w = new Int32Array(64)
  for (let byte = 0; byte < 256; byte++) {
    w.fill(0)
    w[0] = (byte << 24) | 0x80_0000 // right[31], then the 0x80 pad byte
    w[15] = 65 * 8 // the message length in bits
    for (let i = 16; i < 64; i++) {
      w[i] = (s1(w[i - 2] as number) + (w[i - 7] as number) + s0(w[i - 15] as number) + (w[i - 16] as number)) | 0
    }
    for (let i = 0; i < 64; i++) KW2[byte * 64 + i] = ((K[i] as number) + (w[i] as number)) | 0
  }
}

/** Big-endian 32-bit word at `at` (the caller keeps `at + 3` inside `bytes`). */
function word(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 24) | ((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number)
}

/**
 * Writes SHA-256(0x01 ‖ left[l, l + 32) ‖ right[r, r + 32)) to out[at, at + 32). The caller checks
 * the ranges. `out` may overlap an input: every input byte is read before the first write.
 */
export function hashNodeInto(out: Uint8Array, at: number, left: Uint8Array, l: number, right: Uint8Array, r: number): void {
  // The first block, as 16 big-endian words: the input is shifted by the one-byte prefix.
  let w0 = 0x0100_0000 | (word(left, l) >>> 8)
  let w1 = word(left, l + 3)
  let w2 = word(left, l + 7)
  let w3 = word(left, l + 11)
  let w4 = word(left, l + 15)
  let w5 = word(left, l + 19)
  let w6 = word(left, l + 23)
  let w7 = word(left, l + 27)
  let w8 = ((left[l + 31] as number) << 24) | (word(right, r) >>> 8)
  let w9 = word(right, r + 3)
  let w10 = word(right, r + 7)
  let w11 = word(right, r + 11)
  let w12 = word(right, r + 15)
  let w13 = word(right, r + 19)
  let w14 = word(right, r + 23)
  let w15 = word(right, r + 27)
  const last = (right[r + 31] as number) << 6 // row of the second block in KW2

  // Each round is three lines: T1 = h + Σ1(e) + Ch(e, f, g) + K[i] + W[i] into h; d += T1 (the
  // new e); h += Σ0(a) + Maj(a, b, c) (the new a). The working variables are renamed from round to
  // round instead of shifted, so 16 rounds bring the names back; the schedule is extended in place
  // (W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16]). Σ, σ, Ch and Maj are spelled out: helper
  // calls here would exceed V8's inlining budget and make the function several times slower.
  let a = IV0,
    b = IV1,
    c = IV2,
    d = IV3,
    e = IV4,
    f = IV5,
    g = IV6,
    h = IV7
  for (let o = 0; o < 64; o += 16) {
    if (o > 0) {
      w0 = ((((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10)) + w9 + (((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3)) + w0) | 0
      w1 = ((((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10)) + w10 + (((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3)) + w1) | 0
      w2 = ((((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10)) + w11 + (((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3)) + w2) | 0
      w3 = ((((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10)) + w12 + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) + w3) | 0
      w4 = ((((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)) + w13 + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) + w4) | 0
      w5 = ((((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10)) + w14 + (((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3)) + w5) | 0
      w6 = ((((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10)) + w15 + (((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3)) + w6) | 0
      w7 = ((((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10)) + w0 + (((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3)) + w7) | 0
      w8 = ((((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10)) + w1 + (((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3)) + w8) | 0
      w9 = ((((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10)) + w2 + (((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3)) + w9) | 0
      w10 = ((((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10)) + w3 + (((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3)) + w10) | 0
      w11 = ((((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10)) + w4 + (((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3)) + w11) | 0
      w12 = ((((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10)) + w5 + (((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3)) + w12) | 0
      w13 = ((((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10)) + w6 + (((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3)) + w13) | 0
      w14 = ((((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10)) + w7 + (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) + w14) | 0
      w15 = ((((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10)) + w8 + (((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3)) + w15) | 0
    }
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + (K[o] as number) + w0) | 0
    d = (d + h) | 0
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + (K[o + 1] as number) + w1) | 0
    c = (c + g) | 0
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + (K[o + 2] as number) + w2) | 0
    b = (b + f) | 0
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + (K[o + 3] as number) + w3) | 0
    a = (a + e) | 0
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + (K[o + 4] as number) + w4) | 0
    h = (h + d) | 0
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + ((h & a) ^ (~h & b)) + (K[o + 5] as number) + w5) | 0
    g = (g + c) | 0
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + ((g & h) ^ (~g & a)) + (K[o + 6] as number) + w6) | 0
    f = (f + b) | 0
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + ((f & g) ^ (~f & h)) + (K[o + 7] as number) + w7) | 0
    e = (e + a) | 0
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + (K[o + 8] as number) + w8) | 0
    d = (d + h) | 0
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + (K[o + 9] as number) + w9) | 0
    c = (c + g) | 0
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + (K[o + 10] as number) + w10) | 0
    b = (b + f) | 0
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + (K[o + 11] as number) + w11) | 0
    a = (a + e) | 0
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + (K[o + 12] as number) + w12) | 0
    h = (h + d) | 0
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + ((h & a) ^ (~h & b)) + (K[o + 13] as number) + w13) | 0
    g = (g + c) | 0
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + ((g & h) ^ (~g & a)) + (K[o + 14] as number) + w14) | 0
    f = (f + b) | 0
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + ((f & g) ^ (~f & h)) + (K[o + 15] as number) + w15) | 0
    e = (e + a) | 0
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0
  }
  a = (a + IV0) | 0
  b = (b + IV1) | 0
  c = (c + IV2) | 0
  d = (d + IV3) | 0
  e = (e + IV4) | 0
  f = (f + IV5) | 0
  g = (g + IV6) | 0
  h = (h + IV7) | 0

  // The second block, its schedule read from KW2.
  const h0 = a,
    h1 = b,
    h2 = c,
    h3 = d,
    h4 = e,
    h5 = f,
    h6 = g,
    h7 = h
  for (let o = last; o < last + 64; o += 8) {
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + (KW2[o] as number)) | 0
    d = (d + h) | 0
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + (KW2[o + 1] as number)) | 0
    c = (c + g) | 0
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + (KW2[o + 2] as number)) | 0
    b = (b + f) | 0
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + (KW2[o + 3] as number)) | 0
    a = (a + e) | 0
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + (KW2[o + 4] as number)) | 0
    h = (h + d) | 0
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + ((h & a) ^ (~h & b)) + (KW2[o + 5] as number)) | 0
    g = (g + c) | 0
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + ((g & h) ^ (~g & a)) + (KW2[o + 6] as number)) | 0
    f = (f + b) | 0
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + ((f & g) ^ (~f & h)) + (KW2[o + 7] as number)) | 0
    e = (e + a) | 0
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0
  }
  // The final chaining values, written big-endian.
  a = (a + h0) | 0
  b = (b + h1) | 0
  c = (c + h2) | 0
  d = (d + h3) | 0
  e = (e + h4) | 0
  f = (f + h5) | 0
  g = (g + h6) | 0
  h = (h + h7) | 0
  out[at] = a >>> 24
  out[at + 1] = a >>> 16
  out[at + 2] = a >>> 8
  out[at + 3] = a
  out[at + 4] = b >>> 24
  out[at + 5] = b >>> 16
  out[at + 6] = b >>> 8
  out[at + 7] = b
  out[at + 8] = c >>> 24
  out[at + 9] = c >>> 16
  out[at + 10] = c >>> 8
  out[at + 11] = c
  out[at + 12] = d >>> 24
  out[at + 13] = d >>> 16
  out[at + 14] = d >>> 8
  out[at + 15] = d
  out[at + 16] = e >>> 24
  out[at + 17] = e >>> 16
  out[at + 18] = e >>> 8
  out[at + 19] = e
  out[at + 20] = f >>> 24
  out[at + 21] = f >>> 16
  out[at + 22] = f >>> 8
  out[at + 23] = f
  out[at + 24] = g >>> 24
  out[at + 25] = g >>> 16
  out[at + 26] = g >>> 8
  out[at + 27] = g
  out[at + 28] = h >>> 24
  out[at + 29] = h >>> 16
  out[at + 30] = h >>> 8
  out[at + 31] = h
}
