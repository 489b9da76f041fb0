/**
 * The service's bearer tokens (`<ledger>/tokens.json`): each platform service or department holds
 * one, with a role (`writer` appends, `auditor` asks questions) and, for writers, the departments
 * whose events it may append. Only a token's SHA-256 hash is stored; its secret is printed once,
 * when it is made. Secrets are compared through their hashes in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LedgerError } from '@liuhen/core'
import { writeFileAtomic } from '@liuhen/ledger'

/** What a token may do. */
export type Role = 'writer' | 'auditor'

/** A token as stored: its secret only as a hash. */
export interface TokenRecord {
  name: string
  role: Role
  /** Departments whose events a writer may append (`actor.dept`); empty for an auditor. */
  depts: string[]
  /** SHA-256 of the secret, lowercase hex. */
  hash: string
  /** When it was made (RFC 3339). */
  created: string
}

/** The file's format tag. */
export const TOKENS_FORMAT = 'liuhen-tokens/1'
/** Secrets begin with this, so one found in a log or a repository is recognised. */
const SECRET_PREFIX = 'lhk_'
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Path of the tokens file of a ledger directory. */
export const tokensPath = (dir: string): string => join(dir, 'tokens.json')

const hashOf = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest()

/** The tokens of one ledger. */
export class TokenStore {
  readonly #file: string
  #tokens: TokenRecord[]

  private constructor(file: string, tokens: TokenRecord[]) {
    this.#file = file
    this.#tokens = tokens
  }

  /** The tokens of the ledger in `dir` (none when it has no tokens file); `STORE_CORRUPT` for a damaged file. */
  static async load(dir: string): Promise<TokenStore> {
    const file = tokensPath(dir)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new TokenStore(file, [])
      throw new LedgerError('STORE_OPEN_FAILED', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {}, { cause: err })
    }
    return new TokenStore(file, parseTokens(text, file))
  }

  /** Every token, without secrets. */
  list(): readonly TokenRecord[] {
    return this.#tokens
  }

  /**
   * Makes a token and saves it; returns its secret, which is kept nowhere else. `INPUT_INVALID`
   * for a bad name, a taken name, or a writer without departments.
   */
  async add(name: string, role: Role, depts: readonly string[], now = new Date()): Promise<string> {
    if (!NAME.test(name)) throw new LedgerError('INPUT_INVALID', `token name must be 1 to 64 of A-Z a-z 0-9 . _ - (not starting with . _ -)`, { path: 'name' })
    if (this.#tokens.some((t) => t.name === name)) throw new LedgerError('INPUT_INVALID', `a token named ${name} exists: revoke it first`, { path: 'name' })
    if (role === 'writer' && depts.length === 0) throw new LedgerError('INPUT_INVALID', 'a writer token needs the departments whose events it may append (--dept)', { path: 'dept' })
    const secret = SECRET_PREFIX + randomBytes(32).toString('base64url')
    const record: TokenRecord = { name, role, depts: [...new Set(depts)].sort(), hash: hashOf(secret).toString('hex'), created: now.toISOString() }
    await this.#save([...this.#tokens, record])
    return secret
  }

  /** Removes token `name`; false when there is none. */
  async revoke(name: string): Promise<boolean> {
    const rest = this.#tokens.filter((t) => t.name !== name)
    if (rest.length === this.#tokens.length) return false
    await this.#save(rest)
    return true
  }

  /**
   * The token whose secret is `secret`, or undefined. Every stored hash is compared, each in
   * constant time, so the time taken says nothing of which token (or how much of one) matched.
   */
  find(secret: string): TokenRecord | undefined {
    const hash = hashOf(secret)
    let found: TokenRecord | undefined
    for (const t of this.#tokens) if (timingSafeEqual(hash, Buffer.from(t.hash, 'hex')) && !found) found = t
    return found
  }

  async #save(tokens: TokenRecord[]): Promise<void> {
    await writeFileAtomic(this.#file, `${JSON.stringify({ format: TOKENS_FORMAT, tokens }, null, 1)}\n`, { mode: 0o600 })
    this.#tokens = tokens
  }
}

function parseTokens(text: string, file: string): TokenRecord[] {
  const bad = (why: string): never => {
    throw new LedgerError('STORE_CORRUPT', `${file} is damaged: ${why}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    bad('not JSON')
  }
  const { format, tokens } = (value ?? {}) as { format?: unknown; tokens?: unknown }
  if (format !== TOKENS_FORMAT) bad(`format is not ${TOKENS_FORMAT}`)
  if (!Array.isArray(tokens)) bad('no token list')
  return (tokens as unknown[]).map((t, i) => {
    const r = (t ?? {}) as Partial<TokenRecord>
    const ok =
      typeof r.name === 'string' &&
      (r.role === 'writer' || r.role === 'auditor') &&
      Array.isArray(r.depts) &&
      r.depts.every((d) => typeof d === 'string') &&
      typeof r.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(r.hash) &&
      typeof r.created === 'string'
    return ok ? (r as TokenRecord) : bad(`token ${i} is malformed`)
  })
}
