/** `data` schemas of quality reports, incidents and accountability. */
import { INCIDENT_KINDS, QUALITY_ISSUES, RESOLUTIONS } from '../vocabulary.js'
import { listOf, object, oneOf, ref } from './defs.js'

/** One party named by an accountability determination, and the rule that names it. */
export const party = object(['dept', 'rule'], { dept: ref('deptId'), person: ref('key'), rule: ref('text') })

/** `data` schemas of `quality.*`, `incident.reported` and `accountability.determined` events. */
export const incidentData = {
  'quality.raised': object(['resource', 'recordDigest', 'item', 'issue'], {
    resource: ref('key'),
    recordDigest: ref('digest'),
    item: ref('key'),
    issue: oneOf(QUALITY_ISSUES),
  }),
  'quality.resolved': object(['resolution'], { resolution: oneOf(RESOLUTIONS), note: ref('text') }),
  'incident.reported': object(['kind', 'severity', 'resources', 'discoveredAt'], {
    kind: oneOf(INCIDENT_KINDS),
    severity: ref('text'),
    resources: ref('keys'),
    discoveredAt: ref('time'),
  }),
  'accountability.determined': object(['parties'], { parties: listOf(party) }),
} as const
