/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counter, public domain,
 * as in PractRand) seeded from SHA-256 of the seed and a stream name. Math.random is never used,
 * so a seed and options always give the same simulation.
 */
import { createHash } from 'node:crypto'

/** A seeded generator with the distributions the simulator needs. */
export class Rng {
  #a: number
  #b: number
  #c: number
  #d: number

  /** A generator for `seed` and a named stream (independent streams for independent parts). */
  constructor(seed: string | number, stream: string) {
    const h = createHash('sha256')
      .update(`liuhen-sim\0${String(seed)}\0${stream}`)
      .digest()
    this.#a = h.readUInt32LE(0)
    this.#b = h.readUInt32LE(4)
    this.#c = h.readUInt32LE(8)
    this.#d = h.readUInt32LE(12)
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** Next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0
    this.#d = (this.#d + 1) | 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) | 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#c = (this.#c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** A uniformly chosen element; precondition: `list` is not empty. */
  pick<T>(list: readonly T[]): T {
    const v = list[Math.floor(this.float() * list.length)]
    if (v === undefined) throw new RangeError('pick from an empty list')
    return v
  }

  /** A key of `weights` chosen in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = Object.keys(weights) as K[]
    let total = 0
    for (const k of keys) total += Math.max(0, weights[k])
    let x = this.float() * total
    for (const k of keys) {
      x -= Math.max(0, weights[k])
      if (x < 0) return k
    }
    const last = keys[keys.length - 1]
    if (last === undefined) throw new RangeError('weighted choice from no keys')
    return last
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.float()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float())
  }

  /** Lognormal with the given median and 90th percentile. */
  lognormal(median: number, p90: number): number {
    const sigma = Math.log(p90 / median) / 1.2815515655446004
    return median * Math.exp(sigma * this.normal())
  }

  /** Poisson with mean `mean` (normal approximation above 50). */
  poisson(mean: number): number {
    if (mean <= 0) return 0
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()))
    const l = Math.exp(-mean)
    let k = 0
    let p = this.float()
    while (p > l) {
      k++
      p *= this.float()
    }
    return k
  }

  /** `n` rounded stochastically: floor(n), plus one with probability frac(n). */
  round(n: number): number {
    const f = Math.floor(n)
    return f + (this.chance(n - f) ? 1 : 0)
  }

  /** `k` distinct elements of `list` in random order (all of them when k >= length). */
  sample<T>(list: readonly T[], k: number): T[] {
    const copy = list.slice()
    const n = Math.min(k, copy.length)
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i))
      const tmp = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = tmp
    }
    return copy.slice(0, n)
  }

  /** 64 lowercase hex characters (a stand-in digest). */
  hex64(): string {
    const b = Buffer.allocUnsafe(32)
    for (let i = 0; i < 32; i += 4) b.writeUInt32BE(this.uint32(), i)
    return b.toString('hex')
  }
}
