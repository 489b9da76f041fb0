/**
 * A realistic, schema-valid `access.performed` event (DOMAIN.md), deterministic in `i`, about 450 bytes as
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
    actor: { dept: 'district.civil', person: `p-${1000 + (i % 800)}` },
    refs: { grant: `grant-${String(i % 6000).padStart(4, '0')}` },
    data: {
      resource: 'res.police.hh',
      items: ['address'],
      rows: 1,
      purpose: 'dibao',
      recordDigests: [hex(`r${i}`)],
      resultDigest: hex(`q${i}`),
      storage: 'none',
      outcome: 'success',
    },
  }
}

/** `count` events from `start` on. */
export function accessEvents(start, count) {
  return Array.from({ length: count }, (_, k) => accessEvent(start + k))
}
