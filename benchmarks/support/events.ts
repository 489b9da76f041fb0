/** A realistic ~350-byte `access.performed` event (DOMAIN.md), deterministic in `i`. */
import { createHash } from 'node:crypto'
import type { Event } from '@liuhen/core'

const hex = (s: string): string => createHash('sha256').update(s).digest('hex')

export function accessEvent(i: number): Event {
  return {
    id: `acc-2026-${String(i).padStart(9, '0')}`,
    type: 'access.performed',
    at: new Date(Date.UTC(2026, 2, 2, 1) + i * 37).toISOString().replace('Z', '+00:00'),
    actor: { dept: 'district.civil-affairs', person: `p-${1000 + (i % 800)}`, role: 'caseworker' },
    refs: { grant: `grant-${String(i % 6000).padStart(4, '0')}` },
    data: {
      resource: 'res.police.household',
      items: ['name', 'address'],
      rows: 1,
      purpose: 'dibao-check',
      case: `DB-2026-${i % 10000}`,
      storage: 'none',
      outcome: 'success',
      recordDigests: [hex(`r${i}`)],
      resultDigest: hex(`q${i}`),
    },
  }
}
