/**
 * The auditors' questions over HTTP, for auditor tokens, with the command line's `--json` shapes:
 * `GET /v1/chain/<id>`, `GET /v1/query?resource=R[&digest=D][&dept=D][&person=P][&from=T][&to=T]`,
 * `GET /v1/findings[?asOf=T][&from=T][&to=T][&code=C…]`, `GET /v1/stats`. Every question is
 * itself appended as an `audit.queried` event under the token's name (auditors are audited)
 * before it is answered: an answer is never given without its record. Record ids never travel:
 * a query names a record by its keyed digest only.
 */
import { formatLedgerTime, type JsonValue } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import {
  auditQueriedEvent,
  chainJson,
  checkChain,
  computeFindings,
  computeStats,
  DEFAULT_AUDIT_DEPT,
  FINDING_CODES,
  filterFindings,
  queryAccesses,
  type AccessQuery,
  type FindingCode,
} from '@liuhen/query'
import { HttpError } from './http.js'
import type { TokenRecord } from './tokens.js'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

function time(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name) ?? undefined
  if (value !== undefined && !(RFC3339.test(value) && Number.isFinite(Date.parse(value)))) {
    throw new HttpError(400, 'INPUT_INVALID', `${name} must be an RFC 3339 time with offset`, { path: name })
  }
  return value
}

const defined = (params: Record<string, JsonValue | undefined>): Record<string, JsonValue> => Object.fromEntries(Object.entries(params).filter((e): e is [string, JsonValue] => e[1] !== undefined))

/** An event id from its percent-encoded path segment; 400 for one that does not decode. */
function decodeId(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, 'INPUT_INVALID', 'the event id in the path is not valid percent-encoded UTF-8', { path: 'id' })
  }
}

/** Appends the `audit.queried` event of a question asked with `token`. */
async function record(ledger: Ledger, token: TokenRecord, command: string, params: Record<string, JsonValue>, results: number): Promise<void> {
  await ledger.appendBatch([auditQueriedEvent({ person: token.name, dept: token.depts[0] ?? DEFAULT_AUDIT_DEPT }, command, params, results)])
}

/** Answers the question at `path` (`chain/<id>`, `query`, `findings`, `stats`), recorded first. */
export async function answerQuestion(path: string, params: URLSearchParams, ledger: Ledger, token: TokenRecord): Promise<unknown> {
  const store = ledger.store
  if (path.startsWith('chain/')) {
    const id = decodeId(path.slice('chain/'.length))
    const c = await checkChain(store, id, ledger.vkey)
    await record(ledger, token, 'chain', { event: id }, c.chain.length)
    return chainJson(c)
  }
  if (path === 'query') {
    const resource = params.get('resource')
    if (!resource) throw new HttpError(400, 'INPUT_INVALID', 'resource is needed', { path: 'resource' })
    const digest = params.get('digest') ?? undefined
    if (digest !== undefined && !/^[0-9a-f]{64}$/.test(digest))
      throw new HttpError(400, 'INPUT_INVALID', 'digest must be 64 lowercase hex characters (a record is named by its keyed digest)', { path: 'digest' })
    const q: AccessQuery = { resource }
    const [dept, person, from, to] = [params.get('dept') ?? undefined, params.get('person') ?? undefined, time(params, 'from'), time(params, 'to')]
    if (digest !== undefined) q.recordDigest = digest
    if (dept !== undefined) q.dept = dept
    if (person !== undefined) q.person = person
    if (from !== undefined) q.from = from
    if (to !== undefined) q.to = to
    const rows = await queryAccesses(store, q)
    await record(ledger, token, 'query', defined({ resource, recordDigest: digest, dept, person, from, to }), rows.length)
    return { accesses: rows }
  }
  if (path === 'findings') {
    const codes = params.getAll('code')
    const unknown = codes.find((c) => !(FINDING_CODES as readonly string[]).includes(c))
    if (unknown !== undefined) throw new HttpError(400, 'INPUT_INVALID', `no finding code ${JSON.stringify(unknown.slice(0, 80))}`, { path: 'code' })
    const [asOf, from, to] = [time(params, 'asOf'), time(params, 'from'), time(params, 'to')]
    const run = await computeFindings(store, asOf)
    run.findings = filterFindings(run.findings, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), ...(codes.length === 0 ? {} : { codes: codes as FindingCode[] }) })
    await record(ledger, token, 'findings', defined({ asOf, from, to, codes: codes.length === 0 ? undefined : codes }), run.findings.length)
    return { ...run, asOf: run.asOf && formatLedgerTime(run.asOf) }
  }
  if (path === 'stats') {
    const stats = await computeStats(store)
    await record(ledger, token, 'stats', {}, stats.cells.length)
    return stats
  }
  throw new HttpError(404, 'NOT_FOUND', `no such question: ${path.slice(0, 80)}`)
}
