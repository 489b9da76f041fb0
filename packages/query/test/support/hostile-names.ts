/**
 * Events that use one name everywhere an event carries a name: ref names, event ids, depts,
 * persons, resources, items, grades, update cycles and data keys. Fed every property name of
 * `Object.prototype` (`toString`, `constructor`, `__proto__`, ...), the answers must be the same
 * as for an innocent name, renamed: names from events are data, never code.
 */
import type { Event } from '@liuhen/core'

/** Every property name of `Object.prototype`, the names a plain-object lookup would "find". */
export const PROTO_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype)

/** A name no table holds, standing in for the i-th hostile name (delimited so renaming is exact). */
export const innocent = (i: number): string => `Zq${i}Zq`

const at = (day: number, hour: number): string => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`

/** Whether `name` is a valid dept id of the event contract (the schema refuses the others). */
export const DEPT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9][A-Za-z0-9_-]*)*$/

/**
 * The events of one name `n` (the i-th): its org, catalogue, request (whose id is `n`), reply,
 * a grant on that reply plus a stray ref named `n`, a grant whose only would-be basis is a ref
 * named `n` (a GRANT_NO_BASIS, nothing more), and an access under each grant, carrying `n` as a
 * ref name and a data key. Where `deptOk(i)` is false the dept is `dept-i` (for the CLI, whose
 * schema refuses some names as dept ids).
 */
export function eventsFor(n: string, i: number, deptOk: (i: number) => boolean = () => true): Event[] {
  const dept = deptOk(i) ? n : `dept-${i}`
  const actor = { dept, person: n }
  const access = (id: string, grant: string): Event => ({
    id,
    type: 'access.performed',
    at: at(4, 9),
    actor,
    refs: { grant, [n]: grant },
    data: { resource: n, items: [n], rows: 1, purpose: n, storage: 'none', outcome: 'success', recordDigests: ['a'.repeat(64)], resultDigest: 'b'.repeat(64), [n]: n },
  })
  const grant = (id: string, refs: Record<string, string>): Event => ({
    id,
    type: 'grant.issued',
    at: at(3, 11),
    actor,
    refs,
    data: { grantee: dept, resource: n, items: [n], purpose: n, validFrom: at(1, 0), validUntil: '2026-12-31T00:00:00+08:00', storage: 'none', [n]: n },
  })
  return [
    { id: `org-${i}`, type: 'org.registered', at: at(1, 9), actor: { dept: 'bureau' }, data: { org: dept, name: n, level: 'district' } },
    {
      id: `cat-${i}`,
      type: 'catalogue.registered',
      at: at(2, 9),
      actor,
      data: { resource: n, name: n, owner: dept, items: [{ name: n, pi: true }], sharing: 'conditional', conditions: n, grade: 'important', updateCycle: 'daily', [n]: n },
    },
    {
      id: n,
      type: 'request.submitted',
      at: at(3, 9),
      actor,
      refs: { catalogue: `cat-${i}`, [n]: `cat-${i}` },
      data: { resource: n, items: [n], purpose: n, legalBasis: n, mechanism: 'platform', [n]: n },
    },
    { id: `rep-${i}`, type: 'request.replied', at: at(3, 10), actor, refs: { request: n }, data: { decision: 'approved', [n]: n } },
    grant(`grant-${i}`, { request: n, reply: `rep-${i}`, [n]: `rep-${i}` }),
    grant(`grantx-${i}`, { request: n, [n]: `rep-${i}` }),
    access(`acc-${i}`, `grant-${i}`),
    access(`accx-${i}`, `grantx-${i}`),
  ]
}

/** The whole log for `names`: a bureau, then each name's events. */
export function hostileLog(names: readonly string[], deptOk?: (i: number) => boolean): Event[] {
  const bureau: Event = { id: 'org-bureau', type: 'org.registered', at: at(1, 8), actor: { dept: 'bureau' }, data: { org: 'bureau', name: 'bureau', level: 'district' } }
  return [bureau, ...names.flatMap((n, i) => eventsFor(n, i, deptOk))]
}
