/** `data` of registry events: organisations, roles, policy tasks. */
import type { LEVELS } from '../vocabulary.js'

/** Administrative level of an organisation. */
export type Level = (typeof LEVELS)[number]

/** `org.registered`: a department and its level (the data bureau registers it). */
export interface OrgRegisteredData {
  /** The department's dotted id. */
  org: string
  name: string
  level: Level
  /** The superior department's id. */
  parent?: string
}

/** `role.assigned`: a person holds a role in a department (leader, reviewer, caseworker, auditor...). */
export interface RoleAssignedData {
  person: string
  dept: string
  role: string
  /** Leader rank, e.g. 副区长. */
  rank?: string
  /** RFC 3339 end of the assignment. */
  until?: string
}

/** `role.revoked`: ends an assignment (ref `assignment`). */
export interface RoleRevokedData {
  reason?: string
}

/** `task.registered`: a policy task a binding may cite. */
export interface TaskRegisteredData {
  task: string
  title: string
  /** Document number (文号). */
  docNo: string
  /** Owner department id. */
  owner: string
  until?: string
}
