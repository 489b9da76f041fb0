/**
 * A verifying follower of a live ledger (`GET /v1/events` of `liuhen serve`): it receives every
 * entry from the start, recomputes the tree from their leaf hashes, and accepts a checkpoint only
 * when it is signed by the pinned key and its root is the root of exactly the entries received.
 * So a server that changes, drops, reorders or inserts an entry, signs another history, or
 * rolls back is caught with the evidence (`FollowError`), and everything yielded is proven.
 *
 * Entries are yielded once their checkpoint has verified, in order, each exactly once, across
 * reconnects (it resumes with `Last-Event-ID`). Memory is bounded by one commit's entries.
 */
import { CompactRange, fromBase64, hashLeaf, LedgerError, openCheckpoint, toHex, verifierFromKey, type Checkpoint, type NoteVerifier } from '@liuhen/core'
import { readServerSentEvents } from './sse.js'

/** One verified entry of the log. */
export interface FollowedEntry {
  index: number
  /** The exact entry bytes. */
  bytes: Uint8Array
  leafHash: Uint8Array
  /** The signed checkpoint that covers it (note text). */
  checkpoint: string
}

/** Why a follower stopped trusting the server: the code and what it received. */
export class FollowError extends LedgerError {
  override readonly name: string = 'FollowError'
}

/** Options of {@link followLog}. */
export interface FollowOptions {
  /** Stops following (the iteration ends). */
  signal?: AbortSignal
  /** Reconnect delays, ms: from `retryMs` doubling to 30 s (default 250). */
  retryMs?: number
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch
  /** Called with each checkpoint once verified. */
  onCheckpoint?(checkpoint: Checkpoint, note: string): void
  /** Most entries held before their checkpoint arrives (default 100,000): a server that never signs is refused. */
  maxPending?: number
}

/**
 * Follows the log served at `base` from its first entry, verifying as described above.
 * @example for await (const e of followLog('http://127.0.0.1:8080/', vkey)) console.log(e.index)
 */
export async function* followLog(base: string | URL, vkey: string, options: FollowOptions = {}): AsyncGenerator<FollowedEntry> {
  const verifier = verifierFromKey(vkey)
  const url = new URL('v1/events?from=0', new URL(base).href.replace(/\/?$/, '/'))
  const state = new FollowState(verifier, options.maxPending ?? 100_000)
  let delay = options.retryMs ?? 250
  while (!options.signal?.aborted) {
    try {
      const headers: Record<string, string> = state.size > 0 ? { 'last-event-id': String(state.size - 1) } : {}
      // Resume after the last verified entry: unverified ones are fetched again.
      state.dropPending()
      for await (const event of readServerSentEvents(url, headers, options)) {
        delay = options.retryMs ?? 250
        const done = state.accept(event)
        if (done) {
          options.onCheckpoint?.(done.checkpoint, done.note)
          for (const e of done.entries) yield e
        }
      }
    } catch (err) {
      // Only a connection that failed or broke is retried; anything the server sent wrong is final.
      if (options.signal?.aborted) return
      if (!(err instanceof LedgerError) || err instanceof FollowError || err.code !== 'REMOTE_UNAVAILABLE') throw err
    }
    if (options.signal?.aborted) return
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 30_000)
  }
}

/** What the follower has verified, and the entries waiting for their checkpoint. */
class FollowState {
  readonly #range = CompactRange.empty()
  #pending: { index: number; bytes: Uint8Array; leafHash: Uint8Array }[] = []
  #staged = CompactRange.empty()
  #last: Checkpoint | undefined

  constructor(
    readonly verifier: NoteVerifier,
    readonly maxPending: number,
  ) {}

  /** Entries verified so far. */
  get size(): number {
    return this.#range.size
  }

  dropPending(): void {
    this.#pending = []
    this.#staged = this.#range.clone()
  }

  /** Takes one stream event; returns the entries its checkpoint verified, when it is one. */
  accept(event: { event: string; data: string; id?: string }): { checkpoint: Checkpoint; note: string; entries: FollowedEntry[] } | undefined {
    if (event.event === 'checkpoint') return this.#checkpoint(event.data)
    if (event.event !== 'message') return undefined
    const { index, entry, leafHash } = parse(event.data) as { index?: unknown; entry?: unknown; leafHash?: unknown }
    const expected = this.#staged.size
    if (index !== expected || typeof entry !== 'string') {
      throw new FollowError('PROOF_INVALID', `the server sent entry ${String(index)} where entry ${expected} was due`, { index: expected, got: String(index) })
    }
    let bytes: Uint8Array
    try {
      bytes = fromBase64(entry)
    } catch (cause) {
      throw new FollowError('ENCODING_INVALID', `entry ${expected}: its bytes are not base64`, { index: expected }, { cause })
    }
    const hash = hashLeaf(bytes)
    if (leafHash !== toHex(hash)) throw new FollowError('PROOF_INVALID', `entry ${expected}: the leaf hash sent is not the hash of its bytes`, { index: expected })
    if (this.#pending.length >= this.maxPending) throw new FollowError('PROOF_INVALID', `more than ${this.maxPending} entries without a checkpoint`, { index: expected })
    this.#staged.append(hash)
    this.#pending.push({ index: expected, bytes, leafHash: hash })
    return undefined
  }

  #checkpoint(data: string): { checkpoint: Checkpoint; note: string; entries: FollowedEntry[] } {
    const { size, checkpoint: note } = parse(data) as { size?: unknown; checkpoint?: unknown }
    if (typeof note !== 'string') throw new FollowError('CHECKPOINT_MALFORMED', 'the server sent a checkpoint event without a checkpoint')
    let checkpoint: Checkpoint
    try {
      checkpoint = openCheckpoint(note, this.verifier).checkpoint
    } catch (cause) {
      throw new FollowError('NOTE_UNVERIFIED', "the server sent a checkpoint that the log's key did not sign", { note }, { cause })
    }
    if (checkpoint.size !== size || checkpoint.size !== this.#staged.size) {
      throw new FollowError('PROOF_INVALID', `the server sent a checkpoint of size ${checkpoint.size} after ${this.#staged.size} entries`, { size: checkpoint.size, received: this.#staged.size, note })
    }
    const root = this.#staged.root()
    if (toHex(root) !== toHex(checkpoint.root)) {
      const last = this.#last
      throw new FollowError('STORE_FORKED', `the checkpoint of size ${checkpoint.size} signs another root than the entries received: the server forked or changed its log`, {
        size: checkpoint.size,
        expected: toHex(root),
        actual: toHex(checkpoint.root),
        note,
        ...(last ? { previousSize: last.size } : {}),
      })
    }
    for (const p of this.#pending) this.#range.append(p.leafHash)
    const entries = this.#pending.map((p) => ({ ...p, checkpoint: note }))
    this.#pending = []
    this.#last = checkpoint
    return { checkpoint, note, entries }
  }
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch (cause) {
    throw new FollowError('ENCODING_INVALID', 'the server sent an event that is not JSON', {}, { cause })
  }
}
