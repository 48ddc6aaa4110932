/**
 * ComposeError: a request, an ACK, a CANCEL, a dialog or an edited message that cannot be made
 * as asked. Its codes live in one `as const` list; its messages come from one formatter.
 */
import { SipError } from '../errors.js';

/** Every ComposeError code. Stable: once released a code is never renamed or reused. */
export const COMPOSE_ERROR_CODES = [
  /** The method is not a token (RFC 3261 §25.1). */
  'INVALID_METHOD',
  /** The Request-URI does not parse as a URI (RFC 3261 §19.1, §25.1). */
  'INVALID_REQUEST_URI',
  /** A REGISTER's Request-URI carries a user part (RFC 3261 §10.2). */
  'REQUEST_URI_HAS_USER',
  /** An option's value is unusable: not a token, not a URI, out of range, holds CR/LF. */
  'INVALID_OPTION',
  /** `options.headers` names a header the builder writes itself; the message names the option to use. */
  'MANAGED_HEADER',
  /** The method table asks for a header the request lacks (Event on SUBSCRIBE, RAck on PRACK, …). */
  'MISSING_REQUIRED_HEADER',
  /** The method table forbids a header the request would carry. */
  'FORBIDDEN_HEADER',
  /** A non-empty body without a Content-Type (RFC 3261 §7.4.1). */
  'MISSING_CONTENT_TYPE',
  /** buildAck / buildCancel got a request that is not an INVITE (RFC 3261 §9.1, §17.1.1.3). */
  'NOT_AN_INVITE',
  /** buildAck got a provisional response: only a final response is acknowledged (RFC 3261 §17.1.1.3). */
  'NOT_A_FINAL_RESPONSE',
  /** The request or response lacks a header, or holds a malformed one, that the new message copies. */
  'MISSING_HEADER',
  /** The response cannot make a dialog: not 1xx/2xx, no To tag, no Contact, or another Call-ID (RFC 3261 §12.1). */
  'NO_DIALOG',
  /** An edit names a header that is not a token (RFC 3261 §25.1). */
  'INVALID_HEADER_NAME',
  /** An edit's value holds CR, LF or a control character (RFC 3261 §7.3.1, §25.1). */
  'INVALID_HEADER_VALUE',
] as const;

/** A stable compose error code. */
export type ComposeErrorCode = (typeof COMPOSE_ERROR_CODES)[number];

/** The structured facts of a ComposeError, from which its message is formatted. */
export interface ComposeErrorFacts {
  /** What was being made: `INVITE request`, `ACK`, `CANCEL`, `dialog`, `edited message`. */
  readonly subject: string;
  /** The header concerned, canonical spelling. */
  readonly header?: string | undefined;
  /** What is wrong, as a clause: `an Event header is required`. */
  readonly problem: string;
  /** The RFC section behind the rule. */
  readonly source: string;
  /** What to do, as a clause: `pass options.headers.Event`. */
  readonly advice?: string | undefined;
}

/**
 * A request, ACK, CANCEL, dialog or edit that cannot be made as asked. It carries what was
 * being made, the header and the RFC section; its message says which option to pass.
 */
export class ComposeError extends SipError {
  override readonly name = 'ComposeError';
  readonly code: ComposeErrorCode;
  /** What was being made, e.g. `SUBSCRIBE request`. */
  readonly subject: string;
  /** The header concerned, when there is one. */
  readonly header: string | undefined;
  /** The RFC and section behind the refusal, e.g. `RFC 6665 §8.2.1`. */
  readonly source: string;

  constructor(code: ComposeErrorCode, facts: ComposeErrorFacts, options?: { cause?: unknown }) {
    super(describeComposeError(facts), options);
    this.code = code;
    this.subject = facts.subject;
    this.header = facts.header;
    this.source = facts.source;
  }
}

/**
 * The one formatter of ComposeError messages:
 * `Cannot build SUBSCRIBE request: an Event header is required (RFC 6665 §8.2.1); pass options.headers.Event`.
 * @internal
 */
export function describeComposeError(facts: ComposeErrorFacts): string {
  const advice = facts.advice === undefined ? '' : `; ${facts.advice}`;
  return `Cannot build ${facts.subject}: ${facts.problem} (${facts.source})${advice}`;
}
