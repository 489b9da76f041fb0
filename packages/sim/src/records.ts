/**
 * Synthetic record identifiers (18-digit resident ID numbers in the GB 11643 format, with a
 * fictitious area code and a valid check digit; never real) and keyed record digests:
 * lowercase hex HMAC-SHA-256(resource key, UTF-8 record id), as DOMAIN.md requires.
 *
 * node:crypto is used: `@noble/hashes` is a dependency of core only and does not resolve from
 * this package.
 */
import { createHash, createHmac } from 'node:crypto'

/** Fictitious area code for synthetic IDs (not assigned to any real county). */
const AREA = '110199'
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'
const BIRTHS: string[] = []

/**
 * The synthetic resident id number of person `n` (0 <= n < 25,000,000): birth date from
 * 1940-01-01 plus n mod 25,000 days, sequence floor(n / 25,000), GB 11643 check digit.
 * @example recordId(0) // '110199194001010005' style
 */
export function recordId(n: number): string {
  const day = n % 25_000
  const birth = (BIRTHS[day] ??= new Date(Date.UTC(1940, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, ''))
  const seq = String(Math.floor(n / 25_000) % 1000).padStart(3, '0')
  const body = AREA + birth + seq
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (WEIGHTS[i] as number)
  return body + CHECK[sum % 11]
}

/** Per-resource secret keys derived from the seed, and keyed record digests. */
export class Keyring {
  readonly #master: Buffer
  readonly #keys = new Map<string, Buffer>()

  constructor(seed: string | number) {
    this.#master = createHash('sha256')
      .update(`liuhen-sim resource keys\0${String(seed)}`)
      .digest()
  }

  /** The secret key of a resource (32 bytes): HMAC-SHA-256(master, "resource-key\0" + id). */
  key(resource: string): Buffer {
    let k = this.#keys.get(resource)
    if (!k) {
      k = createHmac('sha256', this.#master).update(`resource-key\0${resource}`).digest()
      this.#keys.set(resource, k)
    }
    return k
  }

  /** Lowercase hex HMAC-SHA-256(key(resource), UTF-8 record id). */
  digest(resource: string, record: string): string {
    return createHmac('sha256', this.key(resource)).update(record, 'utf8').digest('hex')
  }
}
