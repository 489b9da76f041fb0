/**
 * The auditors' questions asked of a `liuhen serve` (a URL in place of the ledger directory):
 * `chain`, `query`, `findings` and `stats` go to the service's `/v1/...` with the auditor token of
 * `LIUHEN_TOKEN`, which records each question under that token (so `--as` is for a directory).
 * A remote chain is not taken on the service's word: every link is proven included, by this
 * process, in the checkpoint the pinned key signed.
 */
import { fromHex, isLedgerError, LedgerError, openCheckpoint, verifierFromKey, verifyInclusion } from '@liuhen/core'
import { reasonOf } from '@liuhen/client'
import type { CheckedChain, ChainLink } from '@liuhen/query'
import { CliError, EXIT } from './exit.js'

/** The environment variable that holds the auditor token for a service. */
export const TOKEN_ENV = 'LIUHEN_TOKEN'

/** The auditor token, or a usage error saying where it goes. */
function token(url: string): string {
  const value = process.env[TOKEN_ENV]
  if (value === undefined || value === '') throw new CliError(EXIT.USAGE, `asking ${url} needs an auditor token in ${TOKEN_ENV} (liuhen token add DIR --role auditor)`)
  return value
}

/** Refuses `--as` with a URL: the service records the question under its token. */
export function refuseAs(url: string, as: string | undefined): void {
  if (as !== undefined) throw new CliError(EXIT.USAGE, `--as records a question in a ledger directory; ${url} records every question under the auditor token itself`)
}

async function get(url: URL, headers: Record<string, string> = {}): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(300_000) })
  } catch (cause) {
    throw new LedgerError('REMOTE_UNAVAILABLE', `cannot reach ${url.href}: ${reasonOf(cause)}`, { url: url.href }, { cause })
  }
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } & Record<string, unknown> } | undefined
  if (response.ok && body !== undefined) return body
  const { code, message, ...details } = body?.error ?? {}
  if (typeof code !== 'string') throw new LedgerError('REMOTE_UNAVAILABLE', `${url.href} answered HTTP ${response.status}`, { url: url.href, status: response.status })
  // The service's own code, so the exit code is the one the command would give locally.
  throw new LedgerError(code as never, `${url.href}: ${typeof message === 'string' ? message : `HTTP ${response.status}`}`, { ...details, status: response.status })
}

/** Asks the service at `base` the question `path` (`chain/ID`, `query`, `findings`, `stats`). */
export function askService(base: string, path: string, params: Record<string, string | string[] | undefined> = {}): Promise<unknown> {
  const url = new URL(`v1/${path}`, base.endsWith('/') ? base : `${base}/`)
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) url.searchParams.append(name, v)
  }
  return get(url, { authorization: `Bearer ${token(base)}` })
}

/**
 * The chain of `id` from the service at `base`, its links proven included by this process in
 * the latest checkpoint signed by `vkey`: a link the service calls included but whose proof
 * fails here is a broken link.
 */
export async function remoteChain(base: string, id: string, vkey: string): Promise<CheckedChain> {
  const root = base.endsWith('/') ? base : `${base}/`
  const answer = (await askService(base, `chain/${encodeURIComponent(id)}`)) as Omit<CheckedChain, 'head' | 'included'> & { chain: (ChainLink & { included?: boolean })[] }
  const note = await fetch(new URL('checkpoint', root), { redirect: 'error' })
    .then((r) => r.text())
    .catch((cause: unknown) => {
      throw new LedgerError('REMOTE_UNAVAILABLE', `cannot fetch ${root}checkpoint: ${reasonOf(cause)}`, {}, { cause })
    })
  let head: CheckedChain['head']
  try {
    const { checkpoint } = openCheckpoint(note, verifierFromKey(vkey))
    head = { origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root }
  } catch (err) {
    if (isLedgerError(err, 'KEY_MALFORMED')) throw err
    throw new LedgerError('PROOF_INVALID', `the checkpoint ${root} serves is not signed by the key given`, {}, { cause: err })
  }
  const included = new Map<number, boolean>()
  const broken = [...answer.broken]
  for (const link of answer.chain) {
    let ok = false
    if (link.index < head.size) {
      try {
        const proof = (await get(new URL(`v1/proof/inclusion?index=${link.index}&size=${head.size}`, root))) as { proof?: string[] }
        verifyInclusion(link.index, head.size, fromHex(link.hash), (proof.proof ?? []).map(fromHex), head.root)
        ok = true
      } catch (err) {
        if (isLedgerError(err, 'REMOTE_UNAVAILABLE')) throw err
      }
    }
    included.set(link.index, ok)
    if (!ok) broken.push({ id: link.id, reason: `entry ${link.index} is not proven included in the checkpoint of size ${head.size} signed by the key (checked here)` })
    delete link.included
  }
  return { ...answer, broken, head, included }
}
