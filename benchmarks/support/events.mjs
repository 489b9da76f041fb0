/**
 * A realistic `access.performed` event (DOMAIN.md), deterministic in `i`, about 350 bytes as
 * JSON. Shared by `run.mjs` (every peer appends the same events) and the vitest benches.
 */
import { createHash } from 'node:crypto'

const BASE = Date.UTC(2026, 2, 2, 1)
const hex = (s) => createHash('sha256').update(s).digest('hex')

/** @param {number} i @returns {import('@liuhen/core').Event} */
export function accessEvent(i) {
  return {
    id: `acc-${String(i).padStart(9, '0')}`,
    type: 'access.performed',
    at: new Date(BASE + i * 37).toISOString().replace('Z', '+00:00'),
    actor: { dept: 'civil-affairs', person: `p-${1000 + (i % 800)}` },
    refs: { grant: `grant-${String(i % 6000).padStart(4, '0')}` },
    data: {
      resource: 'res.police.household',
      items: ['address'],
      purpose: 'dibao',
      case: `DB-2026-${i % 10000}`,
      recordDigests: [hex(`r${i}`)],
    },
  }
}

/** `count` events from `start` on. */
export function accessEvents(start, count) {
  return Array.from({ length: count }, (_, k) => accessEvent(start + k))
}
