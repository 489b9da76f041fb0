/** `data` schemas of the registries: organisations, roles, policy tasks. */
import { LEVELS } from '../vocabulary.js'
import { object, oneOf, ref } from './defs.js'

/** `data` schemas of `org.*`, `role.*` and `task.*` events. */
export const registryData = {
  'org.registered': object(['org', 'name', 'level'], {
    org: ref('deptId'),
    name: ref('text'),
    level: oneOf(LEVELS),
    parent: ref('deptId'),
  }),
  'role.assigned': object(['person', 'dept', 'role'], {
    person: ref('key'),
    dept: ref('deptId'),
    role: ref('text'),
    rank: ref('text'),
    until: ref('time'),
  }),
  'role.revoked': object([], { reason: ref('text') }),
  'task.registered': object(['task', 'title', 'docNo', 'owner'], {
    task: ref('key'),
    title: ref('text'),
    docNo: ref('text'),
    owner: ref('deptId'),
    until: ref('time'),
  }),
} as const
