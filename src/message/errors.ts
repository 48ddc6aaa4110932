/**
 * The error families of src/message: SerializeError (bytes that cannot be written safely),
 * BuildError (a response that cannot be built as asked) and the Issue records `validate`
 * returns. Each family's codes live in one `as const` list; messages come from one formatter
 * per family.
 */

import type { HeaderRule } from '../codes/index.js';
import { escapeForMessage, SipError } from '../errors.js';

/** Every SerializeError code. Stable: once released a code is never renamed or reused. */
export const SERIALIZE_ERROR_CODES = [
  'INVALID_METHOD',
  'INVALID_REQUEST_URI',
  'INVALID_VERSION',
  'INVALID_STATUS_CODE',
  'INVALID_REASON_PHRASE',
  'INVALID_HEADER_NAME',
  'INVALID_HEADER_VALUE',
] as const;

/** A stable serialize error code. */
export type SerializeErrorCode = (typeof SERIALIZE_ERROR_CODES)[number];

/** Which part of a message a SerializeError is about. */
export type MessagePart =
  | 'method'
  | 'uri'
  | 'version'
  | 'status'
  | 'reason'
  | 'headerName'
  | 'headerValue';

/**
 * A message part that cannot be written without changing the message's meaning: a CR, LF or
 * NUL that would end a line early, a header name that is not a token, a status code outside
 * 100–699. Nothing is written when it is thrown.
 */
export class SerializeError extends SipError {
  override readonly name = 'SerializeError';
  readonly code: SerializeErrorCode;
  /** The part of the message at fault. */
  readonly part: MessagePart;
  /** The header concerned, for `headerName` and `headerValue`. */
  readonly header: string | undefined;
  /** Character index of the first offending character in that part, when there is one. */
  readonly index: number | undefined;

  constructor(
    code: SerializeErrorCode,
    facts: { part: MessagePart; header?: string; index?: number; text: string; expected: string },
  ) {
    super(describeSerializeError(facts));
    this.code = code;
    this.part = facts.part;
    this.header = facts.header;
    this.index = facts.index;
  }
}

const PART_NAMES: Readonly<Record<MessagePart, string>> = {
  method: 'method',
  uri: 'Request-URI',
  version: 'SIP-Version',
  status: 'status code',
  reason: 'reason phrase',
  headerName: 'header name',
  headerValue: 'header value',
};

/**
 * The one formatter of SerializeError messages.
 * @internal
 */
export function describeSerializeError(facts: {
  part: MessagePart;
  header?: string;
  index?: number;
  text: string;
  expected: string;
}): string {
  const where =
    facts.header !== undefined && facts.part === 'headerValue'
      ? `${PART_NAMES[facts.part]} of ${escapeForMessage(facts.header)}`
      : PART_NAMES[facts.part];
  const at = facts.index === undefined ? '' : ` at character ${facts.index}`;
  return `Cannot serialize ${where}${at}: expected ${facts.expected}, found "${escapeForMessage(facts.text, 48)}"`;
}

/** Every BuildError code. Stable: once released a code is never renamed or reused. */
export const BUILD_ERROR_CODES = [
  /** Not an integer from 100 to 699. */
  'INVALID_STATUS_CODE',
  /** A code the registry does not hold, without `options.reason`. */
  'MISSING_REASON_PHRASE',
  /** A MUST rule of the table asks for a header the response lacks. */
  'MISSING_REQUIRED_HEADER',
  /** A MUST NOT rule of the table forbids a header the response would carry. */
  'FORBIDDEN_HEADER',
  /** A MUST / MUST NOT rule on a header's content is broken (option-tag, parameter, tag). */
  'HEADER_RULE_VIOLATED',
  /** `options.headers` names a header the builder copies from the request or computes. */
  'MANAGED_HEADER',
  /** `options.headers` names a header that belongs in requests only (RFC 3261 §20, Tables 2–3). */
  'REQUEST_ONLY_HEADER',
  /** Two options set the same header. */
  'CONFLICTING_OPTIONS',
  /** An option's value is unusable: not a token, holds CR/LF, out of range. */
  'INVALID_OPTION',
  /** A non-empty body without a Content-Type (RFC 3261 §7.4.1). */
  'MISSING_CONTENT_TYPE',
  /** `options.toTag` differs from the tag the request's To already carries (RFC 3261 §8.2.6.2). */
  'TO_TAG_CONFLICT',
  /** A 420 whose `options.supported` covers every option-tag the request requires. */
  'NO_UNSUPPORTED_OPTION_TAGS',
  /** The response would use an extension the request did not offer (RFC 3261 §8.2.4; RFC 3262 §3). */
  'EXTENSION_NOT_SUPPORTED',
  /** A dialog-creating response to a SIPS request whose Contact is not a SIPS URI (RFC 3261 §12.1.1). */
  'CONTACT_NOT_SIPS',
  /** The first argument is not a request. */
  'INVALID_REQUEST',
  /** The request's To or From does not parse: only 100 or 400 can answer it (RFC 3261 §21.4.1). */
  'INVALID_REQUEST_HEADER',
] as const;

/** A stable build error code. */
export type BuildErrorCode = (typeof BUILD_ERROR_CODES)[number];

/** The structured facts of a BuildError, from which its message is formatted. */
export interface BuildErrorFacts {
  /** The status code asked for (as passed, when it is not a valid code). */
  readonly statusCode: number;
  /** The reason phrase the response would carry, when known. */
  readonly reason?: string | undefined;
  /** The header concerned, canonical spelling. */
  readonly header?: string | undefined;
  /** What is wrong, as a clause: `an Allow header is required`. */
  readonly problem: string;
  /** The RFC section behind the rule. */
  readonly source: string;
  /** What to do, as a clause: `pass options.allow or options.headers.Allow`. */
  readonly advice?: string | undefined;
  /** The table rule that failed, for rule violations. */
  readonly rule?: HeaderRule | undefined;
}

/**
 * The response cannot be built as asked. It carries the status code, the header, the RFC
 * section and, for a table rule, the rule itself; its message says which option to pass.
 */
export class BuildError extends SipError {
  override readonly name = 'BuildError';
  readonly code: BuildErrorCode;
  /** The status code asked for. */
  readonly statusCode: number;
  /** The header concerned, when there is one. */
  readonly header: string | undefined;
  /** The RFC and section behind the refusal, e.g. `RFC 3261 §21.4.6`. */
  readonly source: string;
  /** The table rule that would be broken, for MISSING_REQUIRED_HEADER, FORBIDDEN_HEADER, HEADER_RULE_VIOLATED. */
  readonly rule: HeaderRule | undefined;

  constructor(code: BuildErrorCode, facts: BuildErrorFacts, options?: { cause?: unknown }) {
    super(describeBuildError(facts), options);
    this.code = code;
    this.statusCode = facts.statusCode;
    this.header = facts.header;
    this.source = facts.source;
    this.rule = facts.rule;
  }
}

/**
 * The one formatter of BuildError messages:
 * `Cannot build 405 Method Not Allowed: an Allow header is required (RFC 3261 §21.4.6); pass options.allow`.
 * @internal
 */
export function describeBuildError(facts: BuildErrorFacts): string {
  const what =
    facts.reason === undefined
      ? `a ${escapeForMessage(String(facts.statusCode))} response`
      : `${facts.statusCode} ${facts.reason}`.trimEnd();
  const advice = facts.advice === undefined ? '' : `; ${facts.advice}`;
  return `Cannot build ${what}: ${facts.problem} (${facts.source})${advice}`;
}

/** Every validation issue code. Stable: once released a code is never renamed or reused. */
export const ISSUE_CODES = [
  /** A header every request / response must carry is absent (RFC 3261 §8.1.1, §8.2.6.2). */
  'MISSING_MANDATORY_HEADER',
  /** A single-valued header appears more than once (RFC 3261 §7.3; RFC 4475 §3.3.8). */
  'REPEATED_SINGLE_HEADER',
  /** A header's value does not parse by its grammar. */
  'INVALID_HEADER_VALUE',
  /** The CSeq method differs from the request method (RFC 3261 §8.1.1.5; RFC 4475 §3.1.2.17). */
  'CSEQ_METHOD_MISMATCH',
  /** The CSeq number is 2^31 or more (RFC 3261 §8.1.1.5). */
  'CSEQ_OUT_OF_RANGE',
  /** Max-Forwards is not 0–255 (RFC 3261 §20.22). */
  'MAX_FORWARDS_OUT_OF_RANGE',
  /** Content-Length differs from the body's byte length (RFC 3261 §20.14). */
  'CONTENT_LENGTH_MISMATCH',
  /** A non-empty body without Content-Type (RFC 3261 §7.4.1). */
  'MISSING_CONTENT_TYPE',
  /** A response whose status code is not an integer from 100 to 699 (RFC 3261 §7.2). */
  'INVALID_STATUS_CODE',
  /** SIP-Version other than SIP/2.0 (RFC 3261 §7.1). */
  'UNSUPPORTED_VERSION',
  /** A non-100 response whose To has no tag (RFC 3261 §8.2.6.2). */
  'MISSING_TO_TAG',
  /** A REGISTER whose To is not a SIP or SIPS URI (RFC 3261 §6 address-of-record, §10.2). */
  'REGISTER_TO_NOT_SIP_URI',
  /** A header of requests only found in a response (RFC 3261 §20 Tables 2–3, §7.3.2). */
  'REQUEST_ONLY_HEADER',
  /** With `context.request`: the response does not echo the request's Via, From, To, Call-ID or CSeq (§8.2.6.2). */
  'HEADER_NOT_ECHOED',
  /** With `context.request`: a Require option-tag the request neither supported nor required (RFC 3261 §8.2.4). */
  'EXTENSION_NOT_SUPPORTED',
  /** A dialog-creating response to a SIPS request whose Contact is not a SIPS URI (RFC 3261 §12.1.1). */
  'CONTACT_NOT_SIPS',
  /** Allow lists INVITE but not ACK or CANCEL, which every INVITE-capable UA understands (RFC 3261 §20.5). */
  'ALLOW_OMITS_METHOD',
  /** A table rule asks for a header the response lacks. */
  'MISSING_REQUIRED_HEADER',
  /** A table rule forbids a header the response carries. */
  'FORBIDDEN_HEADER',
  /** A table rule on a header's content is broken. */
  'HEADER_RULE_VIOLATED',
  /** A table rule that may be broken, depending on a condition the messages cannot tell (policy, role). */
  'UNDECIDABLE_RULE',
  /** The Request-URI does not parse as a URI (RFC 3261 §25.1). */
  'INVALID_REQUEST_URI',
  /** A Request-URI with ?headers, which RFC 3261 §19.1.1 Table 1 does not allow (RFC 4475 §3.1.2.11 escruri). */
  'REQUEST_URI_HEADERS',
  /** A Request-URI with a method parameter, which RFC 3261 §19.1.1 Table 1 does not allow. */
  'REQUEST_URI_METHOD_PARAMETER',
  /** An IPv6 address without [ ] as a Request-URI host (RFC 3261 §25.1 IPv6reference; RFC 5118 §4.2 ipv6-bad). */
  'UNBRACKETED_IPV6_ADDRESS',
  /** A Date that is not an rfc1123-date in GMT (RFC 3261 §20.17; RFC 4475 §3.1.2.12 baddate): SHOULD, a receiver ignores it. */
  'INVALID_DATE',
  /** The parser needed a leniency (interop profile) to read the message: SHOULD, one issue per leniency. */
  'LENIENT_SYNTAX',
] as const;

/** A stable validation issue code. */
export type IssueCode = (typeof ISSUE_CODES)[number];

/** How strongly the RFC asks: MUST / MUST NOT issues are errors, SHOULD / SHOULD NOT warnings. */
export type IssueSeverity = 'MUST' | 'SHOULD';

/**
 * One problem found by `validate`, or one warning of `buildResponse`: plain data with a
 * stable code, the header, the RFC source and a sentence for a person.
 */
export interface Issue {
  readonly code: IssueCode;
  readonly severity: IssueSeverity;
  /** The header concerned, canonical spelling. */
  readonly header?: string;
  /** The RFC and section, e.g. `RFC 3261 §8.2.6.2`. */
  readonly source: string;
  /** What is wrong and what to do, in one sentence. */
  readonly message: string;
  /** The table rule behind the issue, for rule issues. */
  readonly rule?: HeaderRule;
  /** Absolute byte offset in the parsed input, for issues about bytes (LENIENT_SYNTAX). */
  readonly offset?: number;
}

/**
 * The one builder of Issue records: it formats the message as
 * `<problem> (<source>)` and leaves undefined fields out.
 * @internal
 */
export function makeIssue(facts: {
  code: IssueCode;
  severity: IssueSeverity;
  header?: string | undefined;
  source: string;
  problem: string;
  rule?: HeaderRule | undefined;
  offset?: number | undefined;
}): Issue {
  const message = `${facts.problem} (${facts.source})`;
  const issue: { -readonly [K in keyof Issue]: Issue[K] } = {
    code: facts.code,
    severity: facts.severity,
    source: facts.source,
    message,
  };
  if (facts.header !== undefined) issue.header = facts.header;
  if (facts.rule !== undefined) issue.rule = facts.rule;
  if (facts.offset !== undefined) issue.offset = facts.offset;
  return issue;
}
