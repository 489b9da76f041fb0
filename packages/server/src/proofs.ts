/**
 * `GET /v1/proof/inclusion?index=I[&size=N]` and `GET /v1/proof/consistency?size1=A[&size2=B]`:
 * the command line's `prove --json` shapes, from the ledger's tile cache.
 */
import type { ConsistencyProof, InclusionProof, Ledger } from '@liuhen/ledger'
import { HttpError } from './http.js'

/** A query parameter as a non-negative safe integer; `def` when absent (400 when required). */
function count(params: URLSearchParams, name: string, def?: number): number {
  const text = params.get(name)
  if (text === null) {
    if (def !== undefined) return def
    throw new HttpError(400, 'INPUT_INVALID', `the parameter ${name} is needed`, { path: name })
  }
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(n)) throw new HttpError(400, 'INPUT_INVALID', `the parameter ${name} must be a non-negative integer`, { path: name })
  return n
}

/** The proof `kind` asks for. */
export function proofRequest(kind: string, params: URLSearchParams, ledger: Ledger): Promise<InclusionProof | ConsistencyProof> {
  if (kind === 'inclusion') {
    const size = count(params, 'size', ledger.size)
    const index = count(params, 'index')
    if (index >= size) throw new HttpError(400, 'PROOF_RANGE', `index ${index} is not below size ${size}`, { index, size })
    return ledger.proveInclusion(index, size)
  }
  if (kind === 'consistency') return ledger.proveConsistency(count(params, 'size1'), count(params, 'size2', ledger.size))
  throw new HttpError(404, 'NOT_FOUND', `no such proof: ${kind.slice(0, 50)}`)
}
