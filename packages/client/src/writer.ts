/**
 * Appending to a `liuhen serve` from a platform service: `POST /v1/events` with the writer's
 * token, retried when the service is unreachable or busy (503, a broken connection). Retrying is
 * safe because event ids are idempotent: an event the service already committed is answered
 * with its first receipt, never appended twice. Every answer's checkpoint is checked against the
 * pinned key, and receipts are proven included in it (a sample, or all) before `append` resolves.
 */
import { fromHex, LedgerError, openCheckpoint, verifierFromKey, verifyInclusion, type Checkpoint } from '@liuhen/core'
import { reasonOf } from './http-log-reader.js'

/** A receipt of the service, proven included in `checkpoint`. */
export interface ProvenReceipt {
  id: string
  index: number
  leafHash: string
}

/** What an append resolves with. */
export interface AppendResult {
  receipts: ProvenReceipt[]
  /** The signed checkpoint (note text) that covers them, verified. */
  checkpoint: string
  size: number
}

/** Options of {@link LedgerWriter}. */
export interface WriterOptions {
  /** Attempts per append (default 8), with backoff from `retryMs` (default 100) doubling to 5 s. */
  attempts?: number
  retryMs?: number
  /** Milliseconds one attempt may take (default 60,000). */
  timeoutMs?: number
  fetch?: typeof fetch
  /**
   * Receipts proven included per append (default 8: the first, the last and evenly between; one
   * request each); 0 checks only the checkpoint's signature, `Infinity` proves every one.
   */
  proofs?: number
}

/**
 * A platform service's writer to the ledger at `base`, with its bearer `token`, for the log of
 * verifier key `vkey`.
 * @example const receipts = await new LedgerWriter(url, token, vkey).append(events)
 */
export class LedgerWriter {
  readonly #base: URL
  readonly #token: string
  readonly #vkey: string
  readonly #options: WriterOptions

  constructor(base: string | URL, token: string, vkey: string, options: WriterOptions = {}) {
    this.#base = new URL(new URL(base).href.replace(/\/?$/, '/'))
    this.#token = token
    this.#vkey = vkey
    this.#options = options
    verifierFromKey(vkey) // KEY_MALFORMED now, not at the first append
  }

  /**
   * Appends `events` (one batch: all or none) and resolves once they are durable and proven.
   * Refusals are final and keep the service's code (`INPUT_INVALID` with `position` and `path`,
   * `AUTH_REQUIRED`, `AUTH_FORBIDDEN`, `INPUT_ID_CONFLICT`, `INPUT_TOO_LARGE`); a service still
   * unreachable or busy after the last attempt gives `REMOTE_UNAVAILABLE`.
   */
  async append(events: readonly unknown[]): Promise<AppendResult> {
    const body = events.map((e) => JSON.stringify(e)).join('\n')
    const attempts = this.#options.attempts ?? 8
    let delay = this.#options.retryMs ?? 100
    let last: unknown
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.#once(body)
      } catch (err) {
        if (!(err instanceof LedgerError) || err.code !== 'REMOTE_UNAVAILABLE') throw err
        last = err
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, delay))
      delay = Math.min(delay * 2, 5000)
    }
    throw last
  }

  async #once(body: string): Promise<AppendResult> {
    const url = new URL('v1/events', this.#base)
    let response: Response
    try {
      response = await (this.#options.fetch ?? fetch)(url, {
        method: 'POST',
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000),
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${this.#token}` },
      })
    } catch (cause) {
      throw new LedgerError('REMOTE_UNAVAILABLE', `cannot append to ${url.href}: ${reasonOf(cause)}`, { url: url.href }, { cause })
    }
    // A body cut short by a dying service reads as no answer: retried as unavailable.
    const answer = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } & Record<string, unknown> } | AppendResult | undefined
    if (response.status === 503 || response.status === 502 || response.status === 504) {
      throw new LedgerError('REMOTE_UNAVAILABLE', `the service at ${url.href} is busy or stopping (HTTP ${response.status})`, { url: url.href, status: response.status })
    }
    if (response.ok && answer === undefined) throw new LedgerError('REMOTE_UNAVAILABLE', `the answer of ${url.href} was cut short`, { url: url.href })
    if (!response.ok || !answer || 'error' in answer) {
      const error = (answer as { error?: Record<string, unknown> } | undefined)?.error ?? {}
      const { code, message, ...details } = error
      throw new LedgerError(typeof code === 'string' ? (code as never) : ('REMOTE_UNAVAILABLE' as never), typeof message === 'string' ? message : `HTTP ${response.status}`, {
        ...details,
        status: response.status,
      })
    }
    return this.#prove(answer as AppendResult)
  }

  /** Checks the answer's checkpoint against the key, and each receipt's inclusion in it. */
  async #prove(answer: AppendResult): Promise<AppendResult> {
    let checkpoint: Checkpoint
    try {
      checkpoint = openCheckpoint(answer.checkpoint, verifierFromKey(this.#vkey)).checkpoint
    } catch (cause) {
      throw new LedgerError('PROOF_INVALID', "the service answered with a checkpoint the log's key did not sign", {}, { cause })
    }
    for (const r of sample(answer.receipts, this.#options.proofs ?? 8)) {
      const url = new URL(`v1/proof/inclusion?index=${r.index}&size=${checkpoint.size}`, this.#base)
      let proof: { leafHash?: string; proof?: string[] }
      try {
        const response = await (this.#options.fetch ?? fetch)(url, { redirect: 'error', signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000) })
        if (response.status >= 500) throw new Error(`HTTP ${response.status}`)
        proof = (await response.json()) as typeof proof
      } catch (cause) {
        // The service went away between the answer and the proof: the append is retried (ids are idempotent).
        throw new LedgerError('REMOTE_UNAVAILABLE', `cannot fetch the proof of ${r.id}: ${reasonOf(cause)}`, { url: url.href }, { cause })
      }
      try {
        if (proof.leafHash !== r.leafHash || !Array.isArray(proof.proof)) throw new Error('the proof is of another entry')
        verifyInclusion(r.index, checkpoint.size, fromHex(r.leafHash), proof.proof.map(fromHex), checkpoint.root)
      } catch (cause) {
        throw new LedgerError('PROOF_INVALID', `receipt of ${r.id} (entry ${r.index}) is not included in the checkpoint the service signed`, { id: r.id, index: r.index }, { cause })
      }
    }
    return answer
  }
}

/** At most `n` of `items`: the first, the last and evenly spaced between (all when n ≥ length). */
function sample<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items]
  if (n <= 0) return []
  if (n === 1) return [items[0] as T]
  const picked = new Set<number>()
  for (let k = 0; k < n; k++) picked.add(Math.round((k * (items.length - 1)) / (n - 1)))
  return [...picked].map((i) => items[i] as T)
}
