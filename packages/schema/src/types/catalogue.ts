/** `data` of catalogue events. */
import type { GRADES, SHARING, UPDATE_CYCLES } from '../vocabulary.js'

/** Sharing class of a resource. */
export type Sharing = (typeof SHARING)[number]
/** Security grade of a resource. */
export type Grade = (typeof GRADES)[number]
/** Promised update cycle of a resource. */
export type UpdateCycle = (typeof UPDATE_CYCLES)[number]

/** One data item of a catalogued resource. */
export interface CatalogueItem {
  name: string
  /** Personal information. */
  pi?: boolean
  /** Sensitive personal information. */
  sensitive?: boolean
}

/** `catalogue.registered` and `catalogue.updated` (ref `previous`): a full catalogue version. */
export interface CatalogueData {
  resource: string
  name: string
  /** Owner department id. */
  owner: string
  items: CatalogueItem[]
  sharing: Sharing
  /** Required when `sharing` is `conditional`. */
  conditions?: string
  /** Required when `sharing` is `none`. */
  denialBasis?: string
  grade: Grade
  updateCycle?: UpdateCycle
}

/** `catalogue.withdrawn` (ref `catalogue`). */
export interface CatalogueWithdrawnData {
  reason: string
}

/** `resource.updated` (ref `catalogue`): which version of the data was live from `at`. */
export interface ResourceUpdatedData {
  resource: string
  version: string
  records?: number
  /** 64 lowercase hex. */
  snapshotDigest: string
}
