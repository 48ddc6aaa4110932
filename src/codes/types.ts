/**
 * Types of the status-code table: rows, header rules and the closed set of conditions
 * under which a rule applies.
 */

/** Requirement strength, in the RFC 2119 words the RFCs use. */
export type RuleLevel = 'MUST' | 'SHOULD' | 'MAY' | 'MUST NOT' | 'SHOULD NOT';

/** The response class, from the hundreds digit (RFC 3261 §7.2). */
export type StatusClass =
  | 'provisional'
  | 'success'
  | 'redirection'
  | 'client-error'
  | 'server-error'
  | 'global-failure';

/**
 * Conditions that the library cannot decide from the request, the code and the response
 * alone: they depend on the sender's role, state or local policy. Rules under them are kept
 * and reported as undecidable, never silently dropped.
 */
export type PolicyName =
  | 'responseDelayed'
  | 'forkingProxy'
  | 'sessionTimerInUse'
  | 'notifier'
  | 'eventStateCompositor'
  | 'resourcePriorityActor'
  | 'registrarHasBindings'
  | 'outboundApplies'
  | 'directFlow'
  | 'digestAuthenticated'
  | 'cancelledRequestTag'
  | 'temporaryCondition'
  | 'unsupportedContentType'
  | 'unsupportedContentEncoding'
  | 'unsupportedContentLanguage'
  | 'secAgreeRequired'
  | 'issuedByIntermediary'
  | 'mechanismNeedsChallenge'
  | 'pendingLowerCSeqInvite'
  | 'pendingUpdateOrOffer';

/**
 * When a rule applies. A rule's `when` is a list of these, all of which must hold; an empty
 * list means always. One evaluator (`message/apply-rules.ts`) decides them.
 */
export type RuleCondition =
  /** The request's method is one of these (case-sensitive tokens). */
  | { readonly kind: 'requestMethod'; readonly methods: readonly string[] }
  /** The request carried this header. */
  | { readonly kind: 'requestHasHeader'; readonly header: string }
  /** The request did not carry this header. */
  | { readonly kind: 'requestLacksHeader'; readonly header: string }
  /** The request's To had no tag (out-of-dialog request). */
  | { readonly kind: 'requestHasNoToTag' }
  /** The request's Supported lists this option-tag. */
  | { readonly kind: 'requestSupports'; readonly optionTag: string }
  /** The response carries this header. */
  | { readonly kind: 'responseHasHeader'; readonly header: string }
  /** 101–199 with a To tag to INVITE: establishes an early dialog (RFC 3261 §12.1, §13.3.1.1). */
  | { readonly kind: 'createsEarlyDialog' }
  /** 2xx to INVITE, SUBSCRIBE or REFER, or an early-dialog 1xx: creates a dialog (§12.1). */
  | { readonly kind: 'createsDialog' }
  /** The provisional response is sent reliably: it carries RSeq or Require: 100rel (RFC 3262 §3). */
  | { readonly kind: 'sentReliably' }
  /** The response's Session-Expires names this refresher (RFC 4028 §9). */
  | { readonly kind: 'sessionExpiresRefresher'; readonly refresher: 'uac' | 'uas' }
  /** Decided by the sender's role, state or policy, not by the messages. */
  | { readonly kind: 'policy'; readonly policy: PolicyName };

/**
 * What a rule asks of its header. With MUST / SHOULD / MAY the requirement must hold; with
 * MUST NOT / SHOULD NOT it must not.
 */
export type RuleRequirement =
  /** The header is present. */
  | { readonly kind: 'present' }
  /** The response carries all the request's values of the header, unchanged and in order (none if the request had none). */
  | { readonly kind: 'copiedFromRequest' }
  /** The header (To) carries a `tag` parameter. */
  | { readonly kind: 'hasTag' }
  /** The header lists this option-tag. */
  | { readonly kind: 'listsOptionTag'; readonly optionTag: string }
  /** Every value of the header carries this parameter (with this value, when given). */
  | { readonly kind: 'paramOnEachValue'; readonly param: string; readonly value?: string };

/** One header rule the RFCs put on a response with a given code. */
export interface HeaderRule {
  /** Canonical header name; present in the header table. */
  readonly header: string;
  readonly level: RuleLevel;
  readonly requirement: RuleRequirement;
  /** All must hold for the rule to apply; empty means always. */
  readonly when: readonly RuleCondition[];
  /** The condition in words, as the RFC states it. */
  readonly condition: string;
  /** The RFC and section the rule comes from, e.g. `RFC 3261 §21.4.6`. */
  readonly source: string;
}

/** One row of the status-code table: an IANA SIP response-code registry entry. */
export interface StatusCodeEntry {
  readonly code: number;
  /** The reason phrase to send: the defining RFC's phrase. */
  readonly reason: string;
  /** The registry's phrase, when it differs from `reason` (e.g. `Accepted (Deprecated)`). */
  readonly registryReason?: string;
  /** Constant name: JAIN-SIP's for the codes it names, else derived from the phrase. */
  readonly name: string;
  /** Whether `name` is the constant of JAIN-SIP's `javax.sip.message.Response`. */
  readonly jainSip: boolean;
  /** Defining document and section, e.g. `RFC 3261 §21.4.6`. */
  readonly source: string;
  readonly rules: readonly HeaderRule[];
  /** Which requests the code applies to, in words, with sources. */
  readonly methods: readonly string[];
  /** Facts about a body in this response, with sources. */
  readonly body: readonly string[];
  readonly notes: readonly string[];
}
