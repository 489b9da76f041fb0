/** Collects audit failures in bounded memory: at most `max` are kept, the rest only counted. */
import { toHex } from '@liuhen/core'
import type { AuditCode, AuditFailure } from '../codes.js'

/** Codes that make the entry at their index invalid (the others concern tiles, checkpoints...). */
const ENTRY_CODES: ReadonlySet<AuditCode> = new Set<AuditCode>(['AUDIT_ENTRY_MISSING', 'AUDIT_ENTRY_CORRUPT', 'AUDIT_ENTRY_INDEX', 'AUDIT_TIME_REGRESSION', 'AUDIT_REF_MISMATCH', 'AUDIT_ID_INDEX'])

export class FailureCollector {
  readonly list: AuditFailure[] = []
  omitted = 0
  /** Entries made invalid, counted once each (a missing run counts its length). */
  badEntries = 0
  #lastBad = -1
  readonly #bad = new Set<number>()

  constructor(readonly max: number) {}

  add(failure: AuditFailure, badCount = 1): void {
    if (failure.index !== undefined && ENTRY_CODES.has(failure.code)) this.#markBad(failure.index, badCount)
    // A stopped audit is always said, however many failures came before.
    if (this.list.length < this.max || failure.code === 'AUDIT_STORE_ERROR') this.list.push(failure)
    else this.omitted++
  }

  /** Adds a failure built from its parts; hashes become hex. */
  fail(code: AuditCode, message: string, at: { index?: number; size?: number } = {}, expected?: Uint8Array | string, actual?: Uint8Array | string): void {
    const f: AuditFailure = { code, message, ...at }
    if (expected !== undefined) f.expected = typeof expected === 'string' ? expected : toHex(expected)
    if (actual !== undefined) f.actual = typeof actual === 'string' ? actual : toHex(actual)
    this.add(f)
  }

  /** Marks the entry at `index` invalid without a failure of its own (one failure covers a run). */
  noteBad(index: number): void {
    this.#markBad(index, 1)
  }

  #markBad(index: number, count: number): void {
    if (count === 0) return
    if (count !== 1) {
      this.badEntries += count
      return
    }
    // Entries fail mostly in index order; the set stays as small as the failures kept.
    if (index === this.#lastBad || this.#bad.has(index)) return
    this.#lastBad = index
    if (this.#bad.size < this.max * 4) this.#bad.add(index)
    this.badEntries++
  }

  /** True when the entry at `index` already has an entry-level failure. */
  isBad(index: number): boolean {
    return index === this.#lastBad || this.#bad.has(index)
  }

  sorted(): AuditFailure[] {
    const key = (f: AuditFailure): number => f.index ?? f.size ?? Number.MAX_SAFE_INTEGER
    // At one index, what happened to the entry comes before its consequences (refs, ids, time).
    const rank = (f: AuditFailure): number => (f.code === 'AUDIT_ENTRY_MISSING' || f.code === 'AUDIT_ENTRY_CORRUPT' || f.code === 'AUDIT_ENTRY_INDEX' ? 0 : 1)
    return this.list
      .map((f, i) => ({ f, i }))
      .sort((a, b) => key(a.f) - key(b.f) || rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f)
  }

  get count(): number {
    return this.list.length + this.omitted
  }
}
