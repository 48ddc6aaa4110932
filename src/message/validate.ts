/**
 * validate(message, context?) → Issue[]: what a received or built message gets wrong, each
 * issue with a stable code, the header, the RFC source and MUST / SHOULD severity. Per-code
 * header rules come from the same evaluator buildResponse uses.
 */
import { codeInfo, StatusCode, StatusCodeError } from '../codes/index.js';
import { ParseError } from '../parse/errors.js';
import { evaluateRules, type RuleContext } from './apply-rules.js';
import { dateIssues, leniencyIssues, requestUriIssues } from './conformance.js';
import {
  createsDialog,
  methodsMissingFromAllow,
  nonSipsContacts,
  readCSeqMethod,
  readToTag,
  requiresSipsContact,
  unofferedExtensions,
} from './dialog.js';
import { type Issue, type IssueCode, makeIssue } from './errors.js';
import { fieldError } from './fields/errors.js';
import {
  DELTA_SECONDS_MAX,
  type NameAddr,
  parseCallId,
  parseContentLength,
  parseContentType,
  parseCSeq,
  parseDecimal,
  parseExpires,
  parseMaxForwards,
  parseNameAddr,
  parseOptionTags,
  parseRetryAfter,
  parseVia,
  splitHeaderList,
  type Via,
} from './fields/index.js';
import { parseWarning } from './fields/warning.js';
import { canonicalHeaderName, headerDefinition } from './header-names.js';
import { MANDATORY_HEADERS, REQUEST_ONLY_HEADERS } from './header-roles.js';
import { getHeader, getHeaders, getHeaderValues, hasHeader } from './headers.js';
import { allowIssue, ruleIssues } from './rule-issues.js';
import type { SipMessage, SipRequest, SipResponse } from './types.js';

/** What `validate` may know besides the message. All fields optional. */
export interface ValidateContext extends RuleContext {
  /**
   * The request a response answers: enables the echo checks (Via, From, To, Call-ID, CSeq;
   * RFC 3261 §8.2.6.2) and the table rules that depend on the request.
   */
  readonly request?: SipRequest;
  /**
   * Also report the table rules the response may break, depending on a policy or a request
   * fact that is not known (code UNDECIDABLE_RULE).
   * @defaultValue false
   */
  readonly reportUndecidable?: boolean;
}

/** How to check one header's values: the grammar, whether fields are comma lists first, range codes. */
interface FieldCheck {
  readonly parse: (value: string) => unknown;
  /** Split each field on top-level commas before parsing (RFC 3261 §7.3.1). */
  readonly split: boolean;
  /** The issue for a value above its range, when it has its own code. */
  readonly outOfRange?: IssueCode;
}

/** The header values validate parses, each by its grammar (RFC 3261 §20, §25.1). */
const FIELD_CHECKS: ReadonlyMap<string, FieldCheck> = new Map<string, FieldCheck>([
  ['Via', { parse: parseVia, split: true }],
  ['From', { parse: parseNameAddr, split: false }],
  ['To', { parse: parseNameAddr, split: false }],
  ['Contact', { parse: parseContact, split: true }],
  ['Record-Route', { parse: parseNameAddr, split: true }],
  ['Route', { parse: parseNameAddr, split: true }],
  // Read as the replyTo accessor reads it, so no accessor refuses what validate accepts.
  ['Reply-To', { parse: parseNameAddr, split: true }],
  ['Call-ID', { parse: parseCallId, split: false }],
  ['CSeq', { parse: parseCSeq, split: false, outOfRange: 'CSEQ_OUT_OF_RANGE' }],
  [
    'Max-Forwards',
    { parse: parseMaxForwards, split: false, outOfRange: 'MAX_FORWARDS_OUT_OF_RANGE' },
  ],
  ['Content-Length', { parse: parseContentLength, split: false }],
  ['Content-Type', { parse: parseContentType, split: false }],
  ['Expires', { parse: parseExpires, split: false }],
  ['Min-Expires', { parse: parseExpires, split: false }],
  ['Retry-After', { parse: parseRetryAfter, split: false }],
  ['Require', { parse: parseOptionTags, split: false }],
  ['Proxy-Require', { parse: parseOptionTags, split: false }],
  ['Supported', { parse: parseOptionTags, split: false }],
  ['Unsupported', { parse: parseOptionTags, split: false }],
  ['Allow', { parse: parseOptionTags, split: false }],
  ['Warning', { parse: parseWarning, split: true }],
]);

/**
 * A Contact value, and its expires parameter when present: delta-seconds from 0 to 2^32-1, as
 * the Expires header's (RFC 3261 §20.10, §20.19). A registrar treats a malformed one as 3600
 * (§10.2.1.1; RFC 4475 §3.1.2.4), so it is reported, not guessed.
 */
function parseContact(value: string): NameAddr {
  const contact = parseNameAddr(value);
  const expires = contact.wildcard ? undefined : contact.params.get('expires');
  if (expires !== undefined) {
    try {
      parseDecimal(expires, DELTA_SECONDS_MAX, 'expires parameter');
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const at = Math.max(value.toLowerCase().lastIndexOf('expires'), 0);
      const expected = 'delta-seconds from 0 to 4294967295 (RFC 3261 §20.10, §20.19)';
      throw fieldError(error.code, value, at, 'Invalid Contact expires parameter', expected);
    }
  }
  return contact;
}

const RANGE_SOURCES: Readonly<Partial<Record<IssueCode, string>>> = {
  CSEQ_OUT_OF_RANGE: 'RFC 3261 §8.1.1.5',
  MAX_FORWARDS_OUT_OF_RANGE: 'RFC 3261 §20.22',
};

const REQUEST_ONLY: ReadonlySet<string> = new Set(
  REQUEST_ONLY_HEADERS.map((name) => name.toLowerCase()),
);

/**
 * Checks a request or response against RFC 3261 and the status-code table.
 *
 * Every message: SIP/2.0, the mandatory headers (requests: To, From, CSeq, Call-ID,
 * Max-Forwards, Via, §8.1.1; responses: To, From, CSeq, Call-ID, Via, §8.2.6.2), single-valued
 * headers not repeated (§7.3), the values of the common headers by their grammar, CSeq below
 * 2^31, Max-Forwards 0–255 and a Contact's expires 0–2^32-1 (§20.10), Content-Length equal to the body's byte length (a message
 * without Content-Length is not faulted: a built response gets it from `serialize`),
 * Content-Type with a body, a Date in GMT (SHOULD, §20.17). Requests: the Request-URI parses,
 * carries no ?headers or method parameter (§19.1.1 Table 1) and brackets an IPv6 host (§25.1,
 * RFC 5118 §4.2); CSeq method = request method (§8.1.1.5); a REGISTER's To is a SIP or SIPS
 * URI. A parsed message's leniencies (interop profile) are each reported as SHOULD
 * LENIENT_SYNTAX. With no MUST issue, no typed accessor of a parsed message throws. Responses: a status code 100–699, a To tag except on 100 (§8.2.6.2),
 * no request-only headers, and the table rules of the code; with `context.request`, that the
 * response echoes the request and requires no extension it did not offer.
 * @param message - a parsed or built message
 * @param context - the request answered, policies, and whether to report undecidable rules
 * @returns the issues found, in a fixed order; empty when the message is clean. Never throws
 * for a message of the SipMessage shape.
 * @example
 * ```ts
 * const issues = validate(parseDatagram(bytes));
 * if (issues.some((issue) => issue.severity === 'MUST')) reject(issues);
 * ```
 */
export function validate(message: SipMessage, context?: ValidateContext): Issue[] {
  const issues: Issue[] = [];
  checkVersion(message, issues);
  checkMandatory(message, issues);
  checkRepeats(message, issues);
  checkFieldValues(message, issues);
  checkContentLength(message, issues);
  checkAllow(message, issues);
  issues.push(...dateIssues(message));
  if (message.type === 'request') checkRequest(message, issues);
  else checkResponse(message, context, issues);
  issues.push(...leniencyIssues(message));
  return issues;
}

function checkVersion(message: SipMessage, issues: Issue[]): void {
  if (String(message.version).toUpperCase() === 'SIP/2.0') return;
  issues.push(
    makeIssue({
      code: 'UNSUPPORTED_VERSION',
      severity: 'MUST',
      source: 'RFC 3261 §7.1',
      problem: `The SIP-Version is "${String(message.version)}", not SIP/2.0`,
    }),
  );
}

function checkMandatory(message: SipMessage, issues: Issue[]): void {
  const source = message.type === 'request' ? 'RFC 3261 §8.1.1' : 'RFC 3261 §8.2.6.2';
  for (const header of MANDATORY_HEADERS[message.type]) {
    if (hasHeader(message, header)) continue;
    issues.push(
      makeIssue({
        code: 'MISSING_MANDATORY_HEADER',
        severity: 'MUST',
        header,
        source,
        problem: `Every ${message.type} must carry ${header}, and this one has none`,
      }),
    );
  }
}

function checkRepeats(message: SipMessage, issues: Issue[]): void {
  const counts = new Map<string, number>();
  for (const field of message.headers) {
    const definition = headerDefinition(field.name);
    if (definition?.kind !== 'single') continue;
    counts.set(definition.name, (counts.get(definition.name) ?? 0) + 1);
  }
  for (const [header, count] of counts) {
    if (count < 2) continue;
    issues.push(
      makeIssue({
        code: 'REPEATED_SINGLE_HEADER',
        severity: 'MUST',
        header,
        source: 'RFC 3261 §7.3; RFC 4475 §3.3.8',
        problem: `${header} takes a single value but appears ${count} times`,
      }),
    );
  }
}

function checkFieldValues(message: SipMessage, issues: Issue[]): void {
  for (const field of message.headers) {
    const header = canonicalHeaderName(field.name);
    const check = FIELD_CHECKS.get(header);
    if (check === undefined) continue;
    try {
      const values = check.split ? splitHeaderList(field.value) : [field.value];
      for (const value of values) check.parse(value);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const outOfRange = error.code === 'NUMBER_OUT_OF_RANGE' ? check.outOfRange : undefined;
      issues.push(
        makeIssue({
          code: outOfRange ?? 'INVALID_HEADER_VALUE',
          severity: 'MUST',
          header,
          source:
            (outOfRange && RANGE_SOURCES[outOfRange]) ??
            headerDefinition(header)?.source ??
            'RFC 3261 §25.1',
          problem: `${header}: ${error.message}`,
        }),
      );
    }
  }
}

/** RFC 3261 §20.14: Content-Length counts the body's bytes; §7.4.1: a body has a Content-Type. */
function checkContentLength(message: SipMessage, issues: Issue[]): void {
  const bodyLength = message.body.byteLength;
  for (const field of getHeaders(message, 'Content-Length')) {
    let declared: number;
    try {
      declared = parseContentLength(field.value);
    } catch {
      continue; // reported by checkFieldValues
    }
    if (declared === bodyLength) continue;
    issues.push(
      makeIssue({
        code: 'CONTENT_LENGTH_MISMATCH',
        severity: 'MUST',
        header: 'Content-Length',
        source: 'RFC 3261 §20.14; RFC 4475 §3.3.9',
        problem: `Content-Length says ${declared} but the body has ${bodyLength} bytes`,
      }),
    );
  }
  if (bodyLength > 0 && !hasHeader(message, 'Content-Type')) {
    issues.push(
      makeIssue({
        code: 'MISSING_CONTENT_TYPE',
        severity: 'MUST',
        header: 'Content-Type',
        source: 'RFC 3261 §7.4.1',
        problem: `The message has a ${bodyLength}-byte body but no Content-Type`,
      }),
    );
  }
}

function checkAllow(message: SipMessage, issues: Issue[]): void {
  if (!hasHeader(message, 'Allow')) return;
  const methods: string[] = [];
  for (const field of getHeaders(message, 'Allow')) {
    try {
      methods.push(...parseOptionTags(field.value));
    } catch {
      return; // reported by checkFieldValues
    }
  }
  const missing = methodsMissingFromAllow(methods);
  if (missing.length > 0) issues.push(allowIssue(missing));
}

function checkRequest(request: SipRequest, issues: Issue[]): void {
  issues.push(...requestUriIssues(request));
  const cseqMethod = readCSeqMethod(request);
  // RFC 3261 §8.1.1.5: the CSeq method MUST match the request method
  if (cseqMethod !== undefined && cseqMethod !== request.method) {
    issues.push(
      makeIssue({
        code: 'CSEQ_METHOD_MISMATCH',
        severity: 'MUST',
        header: 'CSeq',
        source: 'RFC 3261 §8.1.1.5; RFC 4475 §3.1.2.17',
        problem: `The CSeq method ${cseqMethod} differs from the request method ${request.method}`,
      }),
    );
  }
  if (request.method === 'REGISTER') checkRegisterTo(request, issues);
}

/** RFC 3261 §10.2: a REGISTER's To holds the address-of-record, a SIP or SIPS URI (§6). */
function checkRegisterTo(request: SipRequest, issues: Issue[]): void {
  const to = getHeader(request, 'To');
  if (to === undefined) return;
  let parsed: NameAddr;
  try {
    parsed = parseNameAddr(to);
  } catch {
    return; // reported by checkFieldValues
  }
  const uri = parsed.wildcard ? '*' : parsed.uriText;
  if (/^sips?:/i.test(uri)) return;
  issues.push(
    makeIssue({
      code: 'REGISTER_TO_NOT_SIP_URI',
      severity: 'MUST',
      header: 'To',
      source: 'RFC 3261 §10.2, §6; RFC 4475 §3.3.4',
      problem: `A REGISTER's To is the address-of-record, a SIP or SIPS URI, not "${uri}"`,
    }),
  );
}

function isStatusCode(status: unknown): status is number {
  try {
    codeInfo(status as number);
    return true;
  } catch (error) {
    if (error instanceof StatusCodeError) return false;
    throw error;
  }
}

function checkResponse(
  response: SipResponse,
  context: ValidateContext | undefined,
  issues: Issue[],
): void {
  if (!isStatusCode(response.status)) {
    issues.push(
      makeIssue({
        code: 'INVALID_STATUS_CODE',
        severity: 'MUST',
        source: 'RFC 3261 §7.2',
        problem: `The status code ${String(response.status)} is not an integer from 100 to 699`,
      }),
    );
    return;
  }
  const status = response.status;
  const to = readToTag(response);
  // RFC 3261 §8.2.6.2: every response but a 100 carries a To tag
  if (to !== undefined && to.tag === undefined && status !== StatusCode.TRYING) {
    issues.push(
      makeIssue({
        code: 'MISSING_TO_TAG',
        severity: 'MUST',
        header: 'To',
        source: 'RFC 3261 §8.2.6.2',
        problem: `A ${status} response must carry a To tag`,
      }),
    );
  }
  for (const field of response.headers) {
    const header = canonicalHeaderName(field.name);
    if (!REQUEST_ONLY.has(header.toLowerCase())) continue;
    issues.push(
      makeIssue({
        code: 'REQUEST_ONLY_HEADER',
        severity: 'SHOULD',
        header,
        source: 'RFC 3261 §20 (Tables 2 and 3), §7.3.2',
        problem: `${header} belongs in requests only; a receiver ignores it in a response`,
      }),
    );
  }
  const request = context?.request;
  if (request !== undefined) checkEcho(request, response, issues);
  const outcomes = evaluateRules(request, status, response, context);
  issues.push(
    ...ruleIssues(outcomes, status, response.reason, context?.reportUndecidable === true),
  );
}

/** Values of a header, split when it is a list; each field whole when it cannot be split. */
function valuesOf(message: SipMessage, header: string): string[] {
  try {
    return getHeaderValues(message, header);
  } catch {
    return getHeaders(message, header).map((field) => field.value);
  }
}

function notEchoed(header: string, problem: string): Issue {
  return makeIssue({
    code: 'HEADER_NOT_ECHOED',
    severity: 'MUST',
    header,
    source: 'RFC 3261 §8.2.6.2',
    problem,
  });
}

/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: the server transport adds `received` to the top Via and
 * fills an empty `rport` before the response copies it. So the response's top Via may differ
 * from the request's by exactly those two parameters; everything else must be the same.
 */
function isStampedTopVia(requestValue: string, responseValue: string): boolean {
  let sent: Via;
  let echoed: Via;
  try {
    sent = parseVia(requestValue);
    echoed = parseVia(responseValue);
  } catch {
    return false;
  }
  if (
    sent.protocolName !== echoed.protocolName ||
    sent.protocolVersion !== echoed.protocolVersion ||
    sent.transport !== echoed.transport ||
    sent.host !== echoed.host ||
    sent.port !== echoed.port
  ) {
    return false;
  }
  for (const [name, value] of sent.params) {
    if (!echoed.params.has(name)) return false;
    const filledRport = name === 'rport' && value === undefined;
    if (!filledRport && echoed.params.get(name) !== value) return false;
  }
  for (const name of echoed.params.keys()) {
    if (!sent.params.has(name) && name !== 'received' && name !== 'rport') return false;
  }
  return true;
}

/** RFC 3261 §8.2.6.2: Via, From, Call-ID, CSeq copied; To copied, a tag added only if it had none. */
function checkEcho(request: SipRequest, response: SipResponse, issues: Issue[]): void {
  const requestVia = valuesOf(request, 'Via');
  const responseVia = valuesOf(response, 'Via');
  if (
    requestVia.length !== responseVia.length ||
    requestVia.some(
      (value, i) =>
        value !== responseVia[i] && !(i === 0 && isStampedTopVia(value, responseVia[0] ?? '')),
    )
  ) {
    issues.push(
      notEchoed(
        'Via',
        "The response's Via values differ from the request's (same values, same order)",
      ),
    );
  }
  for (const header of ['From', 'Call-ID']) {
    const wanted = getHeader(request, header);
    const got = getHeader(response, header);
    if (wanted !== undefined && got !== undefined && wanted !== got) {
      issues.push(notEchoed(header, `The response's ${header} differs from the request's`));
    }
  }
  checkCSeqEcho(request, response, issues);
  checkToEcho(request, response, issues);
  const unoffered = unofferedExtensions(request, response.status, response);
  if (unoffered.length > 0) {
    issues.push(
      makeIssue({
        code: 'EXTENSION_NOT_SUPPORTED',
        severity: 'MUST',
        header: 'Require',
        source: 'RFC 3261 §8.2.4',
        problem: `Require lists ${unoffered.join(', ')}, which the request listed in neither Supported nor Require`,
      }),
    );
  }
  const to = readToTag(response);
  if (
    createsDialog(
      request.method,
      response.status,
      to === undefined ? undefined : to.tag !== undefined,
    ) === true &&
    requiresSipsContact(request) &&
    nonSipsContacts(response).length > 0
  ) {
    issues.push(
      makeIssue({
        code: 'CONTACT_NOT_SIPS',
        severity: 'MUST',
        header: 'Contact',
        source: 'RFC 3261 §12.1.1',
        problem:
          'The request came over a SIPS URI, so the Contact of a dialog-creating response must be a SIPS URI',
      }),
    );
  }
}

function checkCSeqEcho(request: SipRequest, response: SipResponse, issues: Issue[]): void {
  const wanted = getHeader(request, 'CSeq');
  const got = getHeader(response, 'CSeq');
  if (wanted === undefined || got === undefined || wanted === got) return;
  try {
    const a = parseCSeq(wanted);
    const b = parseCSeq(got);
    if (a.seq === b.seq && a.method === b.method) return;
  } catch {
    // malformed: compared as text above
  }
  issues.push(
    notEchoed('CSeq', `The response's CSeq "${got}" differs from the request's "${wanted}"`),
  );
}

function sameParams(a: NameAddr, b: NameAddr): boolean {
  if (a.wildcard || b.wildcard) return a.wildcard === b.wildcard;
  const left = [...a.params].filter(([name]) => name !== 'tag');
  const right = [...b.params].filter(([name]) => name !== 'tag');
  return (
    a.displayName === b.displayName &&
    a.uriText === b.uriText &&
    left.length === right.length &&
    left.every(([name, value], i) => right[i]?.[0] === name && right[i]?.[1] === value)
  );
}

/** The response's To is the request's, with a tag added when the request's had none. */
function checkToEcho(request: SipRequest, response: SipResponse, issues: Issue[]): void {
  const wanted = getHeader(request, 'To');
  const got = getHeader(response, 'To');
  if (wanted === undefined || got === undefined || wanted === got) return;
  let a: NameAddr;
  let b: NameAddr;
  try {
    a = parseNameAddr(wanted);
    b = parseNameAddr(got);
  } catch {
    issues.push(notEchoed('To', "The response's To differs from the request's"));
    return;
  }
  const requestTag = a.wildcard ? undefined : a.tag;
  const responseTag = b.wildcard ? undefined : b.tag;
  if (!sameParams(a, b)) {
    issues.push(
      notEchoed('To', "The response's To differs from the request's other than by an added tag"),
    );
  } else if (requestTag !== undefined && requestTag !== responseTag) {
    issues.push(
      notEchoed('To', `The request's To tag "${requestTag}" must be kept, not changed or removed`),
    );
  }
}
