/**
 * `liuhen serve`: one ledger as an HTTP/1.1 service on `node:http` (no framework: the routes are
 * few and fixed, and the service must bound every request itself). Reads of the log are public:
 * the tlog-tiles files and proofs. Appends need a writer token. Requests from many clients share
 * commits: the engine groups the appends that arrive while a commit is written into the next.
 *
 * Under load it refuses rather than grows: at most `maxPending` append requests wait for a commit
 * and `maxSubscribers` clients follow the live stream (503 with `Retry-After` past either),
 * bodies are capped (413), and slow clients time out. `close`
 * stops taking requests and waits for the appends in flight.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { NoteCosigner } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import { FileLogReader } from '@liuhen/store-files'
import { appendRequest } from './append.js'
import { HttpError, readBody, sendError, sendJson } from './http.js'
import { sendLogFile } from './log-files.js'
import { Metrics } from './metrics.js'
import { proofRequest } from './proofs.js'
import { answerQuestion } from './questions.js'
import { streamEvents, streamStart } from './stream.js'
import { WitnessEndpoint } from './witness.js'
import type { Role, TokenRecord, TokenStore } from './tokens.js'

/** The auditors' questions: each needs an auditor token and is recorded in the ledger. */
const QUESTIONS = /^v1\/(chain\/.+|query|findings|stats)$/

/** Largest add-checkpoint body: a checkpoint with cosignatures and 63 proof lines. */
const WITNESS_BODY_BYTES = 64 << 10

/** Options of {@link LedgerServer}. */
export interface ServerOptions {
  ledger: Ledger
  /** The ledger's `log/` folder, read for the tlog-tiles paths. */
  logDir: string
  tokens: TokenStore
  /** Largest request body, in bytes (default 32 MiB). */
  maxBodyBytes?: number
  /** Append requests waiting for a commit at most (default 4,096), past which 503. */
  maxPending?: number
  /** Live streams (`GET /v1/events`) open at most (default 1,024), past which 503: each holds a connection. */
  maxSubscribers?: number
  /** Milliseconds a request may take to arrive whole (default 30,000). */
  requestTimeoutMs?: number
  /** Serve HTTPS with this certificate chain and private key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined
  /** Run a witness of the ledger's own log (C2SP tlog-witness) with this cosigner and state file. */
  witness?: { cosigner: NoteCosigner; stateFile: string } | undefined
}

/** A running service over one ledger. */
export class LedgerServer {
  readonly #options: Required<ServerOptions>
  readonly #reader: FileLogReader
  readonly #witness: WitnessEndpoint | undefined
  readonly #http: Server
  readonly #metrics = new Metrics()
  #pending = 0
  #inFlight = new Set<Promise<unknown>>()
  #closing = false
  #subscribers = 0
  readonly #stopStreams = new AbortController()

  constructor(options: ServerOptions) {
    this.#options = { maxBodyBytes: 32 << 20, maxPending: 4096, maxSubscribers: 1024, requestTimeoutMs: 30_000, tls: undefined, witness: undefined, ...options }
    this.#witness = options.witness && new WitnessEndpoint(options.witness.cosigner, options.witness.stateFile, options.ledger)
    this.#reader = new FileLogReader(options.logDir)
    const timeouts = { requestTimeout: this.#options.requestTimeoutMs, headersTimeout: Math.min(this.#options.requestTimeoutMs, 60_000) }
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      const work = this.#handle(req, res).catch((err: unknown) => sendError(res, err))
      // Streams last until the client goes: close() ends them instead of waiting.
      if (req.method === 'GET' && req.url?.startsWith('/v1/events')) return
      this.#inFlight.add(work)
      void work.finally(() => this.#inFlight.delete(work))
    }
    const tls = this.#options.tls
    this.#http = tls ? createHttpsServer({ ...timeouts, cert: tls.cert, key: tls.key }, listener) : createServer(timeouts, listener)
  }

  /** Starts listening; resolves with the address taken (port 0: any free one). */
  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject)
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject)
        resolve()
      })
    })
    const address = this.#http.address() as AddressInfo
    return { host: address.address, port: address.port }
  }

  /** Stops taking requests, answers the ones in flight (appends finish their commit), then closes. */
  async close(): Promise<void> {
    this.#closing = true
    this.#stopStreams.abort()
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()))
    this.#http.closeIdleConnections()
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
    this.#http.closeAllConnections()
    await closed
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname.replace(/^\/+/, '')
    if (this.#closing) res.setHeader('connection', 'close')
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (await sendLogFile(path, () => this.#options.ledger.checkpoint(), this.#reader, res, req.method === 'HEAD')) return
      if (path === 'healthz') return sendJson(res, 200, { ok: true, size: this.#options.ledger.size })
      if (path === 'metrics') return this.#metrics.send(res, { size: this.#options.ledger.size, pending: this.#pending, subscribers: this.#subscribers })
      if (path.startsWith('v1/proof/')) return sendJson(res, 200, await proofRequest(path.slice('v1/proof/'.length), url.searchParams, this.#options.ledger))
      if (path === 'v1/events' && req.method === 'GET') return this.#stream(req, res, url.searchParams)
      if (QUESTIONS.test(path)) {
        const token = this.#authorize(req, 'auditor')
        return sendJson(res, 200, await answerQuestion(path.slice('v1/'.length), url.searchParams, this.#options.ledger, token))
      }
    }
    if (req.method === 'POST' && path === 'v1/events') return this.#append(req, res)
    if (req.method === 'POST' && path === 'v1/witness/add-checkpoint' && this.#witness) {
      const answer = await this.#witness.addCheckpoint((await readBody(req, WITNESS_BODY_BYTES)).toString('utf8'))
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(answer), 'cache-control': 'no-store' })
      return void res.end(answer)
    }
    throw new HttpError(404, 'NOT_FOUND', `no such resource: ${req.method ?? '?'} /${path.slice(0, 200)}`)
  }

  /** A live stream: not waited for by {@link close}, which ends it. */
  async #stream(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<void> {
    const from = streamStart(req, params, this.#options.ledger.size)
    if (this.#subscribers >= this.#options.maxSubscribers) {
      throw new HttpError(503, 'STREAMS_FULL', `${this.#subscribers} clients follow the log already: try again later`, {}, { 'retry-after': '5' })
    }
    this.#subscribers++
    try {
      await streamEvents(res, this.#options.ledger, from, this.#stopStreams.signal)
    } finally {
      this.#subscribers--
    }
  }

  async #append(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = this.#authorize(req, 'writer')
    if (this.#closing) throw new HttpError(503, 'SERVER_CLOSING', 'the server is shutting down', {}, { 'retry-after': '1' })
    if (this.#pending >= this.#options.maxPending) {
      this.#metrics.refused++
      throw new HttpError(503, 'QUEUE_FULL', `${this.#pending} appends are waiting for a commit: try again shortly`, {}, { 'retry-after': '1' })
    }
    this.#pending++
    const started = performance.now()
    try {
      const answer = await appendRequest(req, token, this.#options.ledger, this.#options.maxBodyBytes)
      this.#metrics.appended(answer.receipts.length, (performance.now() - started) / 1000)
      sendJson(res, 200, answer)
    } finally {
      this.#pending--
    }
  }

  /** The token of the request's bearer secret, of `role`: 401 without a known one, 403 for another role. */
  #authorize(req: IncomingMessage, role: Role): TokenRecord {
    const header = req.headers.authorization ?? ''
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    const token = match ? this.#options.tokens.find(match[1] as string) : undefined
    if (!token) throw new HttpError(401, 'AUTH_REQUIRED', match ? 'unknown or revoked token' : 'a bearer token is needed (Authorization: Bearer …)', {}, { 'www-authenticate': 'Bearer' })
    if (token.role !== role) throw new HttpError(403, 'AUTH_FORBIDDEN', `token ${token.name} is an ${token.role} token, not a ${role} token`)
    return token
  }
}
