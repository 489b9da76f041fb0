/**
 * The auditors' questions the demo asks of its freshly built ledger: findings scored against the
 * simulation's planted anomalies, the mechanism mix, one accountability chain (every link's
 * inclusion verified against the signed checkpoint) and who accessed one record.
 */
import type { Entry } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import { FindingsEngine, queryAccesses, StatsEngine, type AccessRow, type Finding, type Stats } from '@liuhen/query'
import type { Simulation } from '@liuhen/sim'
import type { AuditReport } from '@liuhen/verify'
import { checkChain, type CheckedChain } from '@liuhen/query'
import { scoreFindings, type Score } from './score.js'

/** Everything the demo report prints. */
export interface DemoAnswers {
  size: number
  checkpoint: string
  audit: AuditReport
  findings: Finding[]
  score: Score
  stats: Stats
  /** One accountability chain, every link checked against the signed checkpoint. */
  chain?: CheckedChain
  record?: { id: string; resource: string; accesses: AccessRow[] }
}

/** Watches the log pass for an access worth showing as a chain, and one with a known record. */
class Picker {
  readonly #endorsedGrants = new Set<string>()
  readonly #flagged = new Set<string>()
  chainFrom: string | undefined
  record: { id: string; resource: string } | undefined

  constructor(private readonly sim: Simulation) {}

  flag(findings: readonly Finding[]): void {
    for (const f of findings) this.#flagged.add(f.event)
  }

  add(entry: Entry): void {
    const { event } = entry
    if (event.type === 'grant.issued' && event.refs?.['endorsement'] && !event.refs['reply']) this.#endorsedGrants.add(event.id)
    if (event.type !== 'access.performed') return
    const grant = event.refs?.['grant']
    if (!this.chainFrom && typeof grant === 'string' && this.#endorsedGrants.has(grant)) this.chainFrom = event.id
    const resource = event.data['resource']
    const digests = event.data['recordDigests']
    if (this.record || typeof resource !== 'string' || !Array.isArray(digests) || digests.length === 0) return
    for (const id of this.sim.knownRecords) {
      if (digests.includes(this.sim.recordDigest(resource, id))) this.record = { id, resource }
    }
  }
}

/** Asks the questions of `ledger` (open, fully appended) and collects the answers. */
export async function askAuditors(ledger: Ledger, sim: Simulation, audit: AuditReport): Promise<DemoAnswers> {
  const findingsEngine = new FindingsEngine()
  const stats = new StatsEngine()
  const picker = new Picker(sim)
  for await (const { entry } of ledger.entries()) {
    findingsEngine.add(entry)
    stats.add(entry)
    picker.add(entry)
  }
  const findings = findingsEngine.finish()
  picker.flag(findings)
  const chain = picker.chainFrom ? await checkChain(ledger.store, picker.chainFrom, ledger.vkey) : undefined
  const record = picker.record && {
    ...picker.record,
    accesses: await queryAccesses(ledger.store, { resource: picker.record.resource, recordDigest: sim.recordDigest(picker.record.resource, picker.record.id) }),
  }
  return {
    size: ledger.size,
    checkpoint: ledger.checkpoint(),
    audit,
    findings,
    score: scoreFindings(findings, sim.truth),
    stats: stats.result(),
    ...(chain ? { chain } : {}),
    ...(record ? { record } : {}),
  }
}
