/** `data` schemas of requests and the four mechanisms that may answer them. */
import { BINDING_DECISIONS, ENDORSEMENT_FORMS, ESCALATION_DECISIONS, MECHANISMS, REPLY_DECISIONS } from '../vocabulary.js'
import { listOf, object, oneOf, ref, requiredWhen } from './defs.js'

/** One signatory of an agreement. */
export const signer = object(['dept', 'person'], { dept: ref('deptId'), person: ref('key') })

/** One flow of an agreement: items of a resource, from one party to the other. */
export const flow = object(['resource', 'items', 'from', 'to'], {
  resource: ref('key'),
  items: ref('keys'),
  from: ref('deptId'),
  to: ref('deptId'),
})

/** `data` schemas of `request.*`, `agreement.*`, `escalation.*` and `binding.*` events. */
export const requestData = {
  'request.submitted': object(['resource', 'items', 'purpose', 'legalBasis', 'mechanism'], {
    resource: ref('key'),
    items: ref('keys'),
    purpose: ref('text'),
    legalBasis: ref('text'),
    mechanism: oneOf(MECHANISMS),
    scenario: ref('text'),
  }),
  'request.replied': {
    ...object(['decision'], { decision: oneOf(REPLY_DECISIONS), reason: ref('text'), conditions: ref('text') }),
    allOf: [requiredWhen('decision', 'refused', 'reason', ref('text'))],
  },
  'agreement.signed': object(['signers', 'parties', 'flows', 'method', 'validFrom', 'validUntil'], {
    signers: listOf(signer),
    parties: { type: 'array', minItems: 2, maxItems: 2, items: ref('deptId') },
    flows: listOf(flow),
    method: ref('text'),
    validFrom: ref('time'),
    validUntil: ref('time'),
    docDigest: ref('digest'),
  }),
  'agreement.terminated': object(['reason'], { reason: ref('text') }),
  'escalation.requested': object(['leader', 'summary'], { leader: ref('key'), summary: ref('text') }),
  'escalation.decided': {
    ...object(['decision', 'form'], {
      decision: oneOf(ESCALATION_DECISIONS),
      form: oneOf(ENDORSEMENT_FORMS),
      memoDigest: ref('digest'),
      witness: ref('key'),
    }),
    allOf: [requiredWhen('form', 'verbal', 'witness', ref('key'))],
  },
  'binding.declared': object(['rationale'], { rationale: ref('text') }),
  'binding.confirmed': object(['decision'], { decision: oneOf(BINDING_DECISIONS) }),
} as const
