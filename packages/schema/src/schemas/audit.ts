/** `data` schema of the auditors' own trail (`audit.queried`), an addition of this project. */
import { object, ref } from './defs.js'

/** `data` schema of `audit.queried`: who looked at what is itself on the record. */
export const auditData = {
  'audit.queried': object(['command', 'params', 'results'], {
    command: ref('key'),
    params: {
      description: 'The parameters of the query as given, except raw record ids: those only as keyed digests.',
      type: 'object',
    },
    results: ref('count'),
  }),
} as const
