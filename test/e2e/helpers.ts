/**
 * Helpers of the CLI end-to-end tests: run the built `bin/liuhen` in a child process, and an
 * independent RFC 9162 Merkle tree (node:crypto, naive recursion) to check its answers against.
 */
import { execSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { expect } from 'vitest'

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const BIN = join(ROOT, 'bin', 'liuhen')
export const SAMPLE = join(ROOT, 'examples', 'district-sample.jsonl')

/** Builds the workspace when the CLI's dist is missing (the test script builds it first). */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'packages', 'cli', 'dist', 'main.js'))) execSync('npx tsc -b', { cwd: ROOT, stdio: 'inherit' })
}

/** A new temporary directory. */
/** `n` valid `org.registered` events as JSON Lines, ids `org-extra-<from>` on: input for `append`. */
export const extra = (n: number, from = 1): string =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `org-extra-${from + i}`,
      type: 'org.registered',
      at: '2026-03-01T09:00:00+08:00',
      actor: { dept: 'district.data-bureau' },
      data: { org: `community.c${from + i}`, name: `社区 ${from + i}`, level: 'community', parent: 'street.lianhua' },
    }),
  ).join('\n') + '\n'

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'liuhen-e2e-'))

/** What a CLI run printed and how it exited. */
export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `liuhen args...` with optional stdin, waiting for it to exit. */
export function liuhen(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: input ?? '', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Runs `liuhen args...` and expects exit `code`, showing the output when it differs. */
export function expectRun(args: string[], code: number, input?: string): Run {
  const r = liuhen(args, input)
  expect(r.code, `liuhen ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(code)
  return r
}

/** Parses JSON Lines output. */
export const jsonLines = (text: string): any[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l))

/** Imports a package that a workspace package depends on (the root does not list it). */
export async function importFrom(pkg: string, name: string): Promise<any> {
  const req = createRequire(join(ROOT, 'packages', pkg, 'package.json'))
  const mod = await import(pathToFileURL(req.resolve(name)).href)
  return mod
}

// ---- an independent RFC 9162 §2.1 tree: SHA-256, 0x00 leaf and 0x01 node prefixes ----

const sha256 = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest()

/** RFC 9162 leaf hash of entry bytes. */
export const leafHash = (bytes: Uint8Array): Buffer => sha256(Buffer.from([0]), bytes)

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** A naive tree over leaf hashes, with memoised subtree hashes. */
export class NaiveTree {
  readonly #memo = new Map<string, Buffer>()
  constructor(readonly leaves: Buffer[]) {}

  /** MTH(D[lo:hi]). */
  mth(lo = 0, hi = this.leaves.length): Buffer {
    const n = hi - lo
    if (n === 0) return sha256()
    if (n === 1) return this.leaves[lo] as Buffer
    const key = `${lo}:${hi}`
    let h = this.#memo.get(key)
    if (!h) {
      const k = split(n)
      h = sha256(Buffer.from([1]), this.mth(lo, lo + k), this.mth(lo + k, hi))
      this.#memo.set(key, h)
    }
    return h
  }

  /** PATH(m, D[lo:hi]): the inclusion proof of leaf lo+m. */
  path(m: number, lo: number, hi: number): Buffer[] {
    const n = hi - lo
    if (n <= 1) return []
    const k = split(n)
    if (m < k) return [...this.path(m, lo, lo + k), this.mth(lo + k, hi)]
    return [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)]
  }

  /** SUBPROOF(m, D[lo:hi], b). */
  subproof(m: number, lo: number, hi: number, b: boolean): Buffer[] {
    const n = hi - lo
    if (m === n) return b ? [] : [this.mth(lo, hi)]
    const k = split(n)
    if (m <= k) return [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)]
    return [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)]
  }

  /** Inclusion proof of `index` in the tree of the first `size` leaves. */
  inclusion(index: number, size: number): string[] {
    return this.path(index, 0, size).map(hex)
  }

  /** Consistency proof between the trees of sizes m <= n (empty when m is 0 or m = n). */
  consistency(m: number, n: number): string[] {
    return m === 0 ? [] : this.subproof(m, 0, n, true).map(hex)
  }
}

/** Lowercase hex. */
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** The root line (third line) of a checkpoint, as hex. */
export function checkpointRoot(text: string): { size: number; root: string } {
  const [, size, root] = text.split('\n')
  return { size: Number(size), root: Buffer.from(root ?? '', 'base64').toString('hex') }
}
