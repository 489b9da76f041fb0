/**
 * Type-level proof that the TypeScript interfaces and the JSON Schemas agree: for every event
 * type (and the nested objects), the interface's required keys equal the schema's `required`
 * list, and its keys equal the schema's `properties`. `tsc -b` fails when they drift apart.
 * Enumerations need no check: both sides are built from the lists in vocabulary.ts.
 * Conditional requirements (`conditions` when sharing is conditional, ...) are optional keys
 * in the interfaces, documented there.
 */
import type { Event } from '@liuhen/core'
import type { catalogueItem } from '../schemas/catalogue.js'
import type { DATA_SCHEMAS } from '../schemas/index.js'
import type { party } from '../schemas/incident.js'
import type { flow, signer } from '../schemas/request.js'
import type { CatalogueItem } from '../types/catalogue.js'
import type { AnyEvent, EventDataMap } from '../types/event.js'
import type { AccountableParty } from '../types/incident.js'
import type { Flow, Signer } from '../types/request.js'
import type { EventType } from '../vocabulary.js'

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T]

interface ObjectSchema {
  readonly required: readonly string[]
  readonly properties: object
}

/** `[required keys agree, all keys agree]` for one interface and one object schema. */
type Agree<T, S extends ObjectSchema> = [Equal<RequiredKeys<T>, S['required'][number]>, Equal<keyof T, keyof S['properties']>]

type Check<T extends Record<string, readonly [true, true]>> = T

export type DataInSync = Check<{ [K in EventType]: Agree<EventDataMap[K], (typeof DATA_SCHEMAS)[K]> }>

export type NestedInSync = Check<{
  catalogueItem: Agree<CatalogueItem, typeof catalogueItem>
  signer: Agree<Signer, typeof signer>
  flow: Agree<Flow, typeof flow>
  party: Agree<AccountableParty, typeof party>
}>

/** A typed event is also a core `Event`, so the ledger accepts it without a cast. */
export type AssignableToCore = Check<{ event: [AnyEvent extends Event ? true : false, true] }>
