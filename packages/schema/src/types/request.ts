/** `data` of requests, replies, agreements, escalations and bindings. */
import type { BINDING_DECISIONS, ENDORSEMENT_FORMS, ESCALATION_DECISIONS, MECHANISMS, REPLY_DECISIONS } from '../vocabulary.js'

/** Sharing mechanism. */
export type Mechanism = (typeof MECHANISMS)[number]
/** Decision of a reply. */
export type ReplyDecision = (typeof REPLY_DECISIONS)[number]
/** Decision of an escalation. */
export type EscalationDecision = (typeof ESCALATION_DECISIONS)[number]
/** Form of an endorsement. */
export type EndorsementForm = (typeof ENDORSEMENT_FORMS)[number]
/** Decision on a binding. */
export type BindingDecision = (typeof BINDING_DECISIONS)[number]

/** `request.submitted` (ref `catalogue`; actor.person required). */
export interface RequestSubmittedData {
  resource: string
  items: string[]
  purpose: string
  legalBasis: string
  mechanism: Mechanism
  scenario?: string
}

/** `request.replied` (ref `request`; actor.person required). */
export interface RequestRepliedData {
  decision: ReplyDecision
  /** Required when `decision` is `refused`. */
  reason?: string
  conditions?: string
}

/** One signatory of an agreement. */
export interface Signer {
  dept: string
  person: string
}

/** One flow of an agreement. */
export interface Flow {
  resource: string
  items: string[]
  from: string
  to: string
}

/** `agreement.signed` (optional ref `requests`). */
export interface AgreementSignedData {
  signers: Signer[]
  /** Exactly two department ids. */
  parties: string[]
  flows: Flow[]
  method: string
  validFrom: string
  validUntil: string
  docDigest?: string
}

/** `agreement.terminated` (ref `agreement`). */
export interface AgreementTerminatedData {
  reason: string
}

/** `escalation.requested` (ref `request`; actor.person required). */
export interface EscalationRequestedData {
  /** The person asked to endorse. */
  leader: string
  summary: string
}

/** `escalation.decided` (ref `escalation`; actor.person required: the leader). */
export interface EscalationDecidedData {
  decision: EscalationDecision
  form: EndorsementForm
  memoDigest?: string
  /** Required when `form` is `verbal`. */
  witness?: string
}

/** `binding.declared` (refs `request`, `task`). */
export interface BindingDeclaredData {
  rationale: string
}

/** `binding.confirmed` (ref `binding`). */
export interface BindingConfirmedData {
  decision: BindingDecision
}
