/**
 * Synthetic access load on top of the scenario, for throughput tests: `n` accesses spread over
 * the scenario's grants (with refs resolved the way the ledger resolves them), one in 1,000
 * without a grant. Entries are built in memory, not encoded: the engine's cost is measured.
 */
import type { Entry } from '@liuhen/core'

/** The scenario entries followed by `n` synthetic accesses. */
export function withAccesses(base: Entry[], n: number): Entry[] {
  const grants = base.filter((e) => e.event.type === 'grant.issued')
  const hash = new Uint8Array(32)
  const out = [...base]
  const t0 = Date.parse('2026-04-21T01:00:00Z')
  for (let i = 0; i < n; i++) {
    const g = grants[i % grants.length]!
    const d = g.event.data
    const orphan = i % 1000 === 999
    out.push({
      v: 1,
      index: out.length,
      time: 0,
      refs: orphan ? [{ name: 'grant', id: `missing-${i}` }] : [{ name: 'grant', id: g.event.id, index: g.index, hash }],
      event: {
        id: `bulk-${i}`,
        type: 'access.performed',
        at: new Date(t0 + i * 1000).toISOString().replace('Z', '+00:00'),
        actor: { dept: String(d['grantee']), person: `p-${i % 97}` },
        data: {
          resource: d['resource'] ?? null,
          items: d['items'] ?? [],
          rows: 1,
          purpose: 'bulk',
          recordDigests: ['a'.repeat(64)],
          resultDigest: 'b'.repeat(64),
          storage: 'none',
          outcome: 'success',
        },
      },
    })
  }
  return out
}
