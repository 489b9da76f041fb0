/** `data` schemas of the catalogue: resources, their sharing class and their versions. */
import { GRADES, SHARING, UPDATE_CYCLES } from '../vocabulary.js'
import { listOf, object, oneOf, ref, requiredWhen } from './defs.js'

/** One data item of a catalogued resource. */
export const catalogueItem = object(['name'], { name: ref('key'), pi: ref('flag'), sensitive: ref('flag') })

/** A full catalogue version: `catalogue.registered` and `catalogue.updated` share it. */
const catalogueVersion = {
  ...object(['resource', 'name', 'owner', 'items', 'sharing', 'grade'], {
    resource: ref('key'),
    name: ref('text'),
    owner: ref('deptId'),
    items: listOf(catalogueItem),
    sharing: oneOf(SHARING),
    conditions: ref('text'),
    denialBasis: ref('text'),
    grade: oneOf(GRADES),
    updateCycle: oneOf(UPDATE_CYCLES),
  }),
  allOf: [
    requiredWhen('sharing', 'conditional', 'conditions', ref('text')),
    requiredWhen('sharing', 'none', 'denialBasis', ref('text')),
  ],
} as const

/** `data` schemas of `catalogue.*` and `resource.updated` events. */
export const catalogueData = {
  'catalogue.registered': catalogueVersion,
  'catalogue.updated': catalogueVersion,
  'catalogue.withdrawn': object(['reason'], { reason: ref('text') }),
  'resource.updated': object(['resource', 'version', 'snapshotDigest'], {
    resource: ref('key'),
    version: ref('key'),
    records: ref('count'),
    snapshotDigest: ref('digest'),
  }),
} as const
