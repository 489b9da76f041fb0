/** `data` schemas of grants and of what is done under them. */
import { OUTCOMES, STORAGE } from '../vocabulary.js'
import { object, oneOf, ref } from './defs.js'

/** `data` schemas of `grant.*`, `access.performed` and `copy.destroyed` events. */
export const grantData = {
  'grant.issued': object(['grantee', 'resource', 'items', 'purpose', 'validFrom', 'validUntil', 'storage'], {
    grantee: ref('deptId'),
    resource: ref('key'),
    items: ref('keys'),
    purpose: ref('text'),
    validFrom: ref('time'),
    validUntil: ref('time'),
    storage: oneOf(STORAGE),
  }),
  'grant.revoked': object(['reason'], { reason: ref('text') }),
  'access.performed': object(
    ['resource', 'items', 'rows', 'purpose', 'recordDigests', 'resultDigest', 'storage', 'outcome'],
    {
      resource: ref('key'),
      items: ref('keys'),
      rows: ref('count'),
      purpose: ref('text'),
      case: ref('text'),
      // May be empty: a denied access served no record.
      recordDigests: { type: 'array', items: ref('digest') },
      resultDigest: ref('digest'),
      storage: oneOf(STORAGE),
      outcome: oneOf(OUTCOMES),
    },
  ),
  'copy.destroyed': object(['method'], { method: ref('text') }),
} as const
