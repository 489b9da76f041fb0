/**
 * A ledger's log read over HTTP: the tlog-tiles files (`checkpoint`, `tile/…`) from a base URL, as
 * any static web server over a ledger's `log/` folder (or `liuhen serve`) publishes them. It is a
 * {@link ReadableLogStore}, so everything that reads a log (the audit, proofs, `LogReader`) reads a
 * remote one through it, trusting nothing the server says: the checkpoint's signature and every
 * tile and entry are checked by the reader against the key the caller pins.
 *
 * Fetches are bounded: no redirects, a timeout, and a byte limit per file (a tile is at most
 * 8 KiB, a bundle 256 entries of at most 65,537 bytes, a checkpoint 1 MiB), so a hostile server
 * can neither hang the reader nor fill its memory.
 */
import { checkpointSize, concatBytes, HASH_SIZE, LedgerError, parseTilePath, TiledLogReader, TILE_WIDTH, verifierFromKey, type LedgerMeta, type StoredCheckpoint } from '@liuhen/core'

/** Options of {@link HttpLogReader}. */
export interface HttpLogReaderOptions {
  /** Milliseconds a request may take, body included (default 30,000). */
  timeoutMs?: number
  /** The fetch to use (default the global one): a test's, or one with a proxy or custom TLS. */
  fetch?: typeof fetch
  /** Headers sent with every request (an `Authorization` bearer token for a protected log). */
  headers?: Record<string, string>
}

/** Largest checkpoint read: a note with many cosignatures is a few KiB. */
const MAX_CHECKPOINT_BYTES = 1 << 20
/** Largest entry bundle: 256 entries of at most 65,535 bytes, each with its 2-byte length. */
const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + 0xffff)

/**
 * Reads the log published at `base` (a URL ending in `/` or not), for the log of verifier key
 * `vkey`: the key is the caller's, pinned, never the server's word.
 * @example const log = new HttpLogReader('https://ledger.district.example/log/', vkey)
 */
export class HttpLogReader extends TiledLogReader {
  readonly base: URL
  readonly #meta: LedgerMeta
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch
  readonly #headers: Record<string, string>

  constructor(base: string | URL, vkey: string, options: HttpLogReaderOptions = {}) {
    super()
    const url = new URL(base)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LedgerError('INPUT_INVALID', `${url.protocol} is not http: or https:`)
    if (!url.pathname.endsWith('/')) url.pathname += '/'
    this.base = url
    const verifier = verifierFromKey(vkey)
    this.#meta = { format: 2, origin: verifier.name, vkey }
    this.#timeoutMs = options.timeoutMs ?? 30_000
    this.#fetch = options.fetch ?? fetch
    this.#headers = options.headers ?? {}
  }

  /** The meta record of the pinned key: format 2, its name as the origin. */
  async readMeta(): Promise<LedgerMeta> {
    this.check()
    return this.#meta
  }

  /** The published checkpoint, fetched afresh (never from a cache); later reads are served against it. */
  async readCheckpoint(): Promise<StoredCheckpoint | undefined> {
    this.check()
    const checkpoint = await this.#fetchCheckpoint()
    this.published = checkpoint
    return checkpoint
  }

  protected async latestSize(): Promise<number | undefined> {
    return (await this.#fetchCheckpoint())?.size
  }

  async #fetchCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const bytes = await this.#get('checkpoint', MAX_CHECKPOINT_BYTES, true)
    if (!bytes) return undefined
    const where = new URL('checkpoint', this.base).href
    try {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
      return { size: checkpointSize(text), text }
    } catch (cause) {
      throw new LedgerError('STORE_CORRUPT', `${where} is not a checkpoint`, { url: where }, { cause })
    }
  }

  protected readPath(path: string): Promise<Uint8Array | undefined> {
    const tile = parseTilePath(path)
    const limit = tile === undefined ? MAX_CHECKPOINT_BYTES : tile.level === 'entries' ? MAX_BUNDLE_BYTES : TILE_WIDTH * HASH_SIZE
    return this.#get(path, limit, false)
  }

  /** The body at `path` under the base, at most `limit` bytes; undefined for 404 and 410. */
  async #get(path: string, limit: number, fresh: boolean): Promise<Uint8Array | undefined> {
    const url = new URL(path, this.base)
    let response: Response
    try {
      response = await this.#fetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: fresh ? { ...this.#headers, 'cache-control': 'no-cache' } : this.#headers,
        ...(fresh ? { cache: 'no-store' as const } : {}),
      })
    } catch (cause) {
      throw unavailable(url, reasonOf(cause), cause)
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel()
      return undefined
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw unavailable(url, `HTTP ${response.status}`)
    }
    return readLimited(response, url, limit)
  }
}

/**
 * Why a fetch failed, as said by its cause: fetch itself says only "fetch failed", and the reason
 * (a refused connection, a certificate not trusted) is one level down.
 */
export function reasonOf(err: unknown): string {
  const inner = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  const detail = typeof inner?.code === 'string' ? inner.code : typeof inner?.message === 'string' ? inner.message : undefined
  const message = err instanceof Error ? err.message : String(err)
  return detail === undefined ? message : `${message} (${detail})`
}

function unavailable(url: URL, why: string, cause?: unknown): LedgerError {
  return new LedgerError('REMOTE_UNAVAILABLE', `cannot fetch ${url.href}: ${why}`, { url: url.href }, cause === undefined ? undefined : { cause })
}

/** The body of `response`, refused past `limit` bytes (counted as it streams, not trusted from headers). */
async function readLimited(response: Response, url: URL, limit: number): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length') ?? NaN)
  if (length > limit) {
    await response.body?.cancel()
    throw new LedgerError('STORE_CORRUPT', `${url.href} is ${length} bytes, more than a file of the log holds (${limit})`, { url: url.href })
  }
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > limit) {
        await reader.cancel()
        throw new LedgerError('STORE_CORRUPT', `${url.href} is more than ${limit} bytes, more than a file of the log holds`, { url: url.href })
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof LedgerError) throw err
    throw unavailable(url, err instanceof Error ? err.message : String(err), err)
  }
  return concatBytes(...chunks)
}
