/**
 * buildResponse(request, code, options?): a response that is right by construction. It copies
 * what RFC 3261 §8.2.6 says to copy, adds the To tag, computes the headers the RFC defines
 * from the request (Unsupported of a 420, Allow), then holds the result against the table's
 * rules through the one evaluator that `validate` uses too.
 */

import type { PolicyName } from '../codes/index.js';
import { type CodeInfo, codeInfo, StatusCodeError, statusCodes } from '../codes/index.js';
import { evaluateBuildRules, type RuleContext } from './apply-rules.js';
import { buildTo, copyAll, copyFirst, copyTimestamp, copyVia } from './copy-request.js';
import {
  createsDialog,
  knownHeaderId,
  nonSipsContacts,
  requiresSipsContact,
  unofferedExtensions,
} from './dialog.js';
import { BuildError, type Issue } from './errors.js';
import type { KnownHeaderName } from './header-names.js';
import type { ManagedHeaderName, RequestOnlyHeaderName } from './header-roles.js';
import { mayRequireSipsContact, requestHeaderIds } from './request-facts.js';
import {
  addComputedHeaders,
  bodyOf,
  hasExtra,
  readHeaderOptions,
  ruleAdvice,
} from './response-options.js';
import { findingIssue, ruleClause, sharedIssueList, violationCode } from './rule-issues.js';
import { BuiltSipResponse, checkReason } from './serialize.js';
import type { TagKey } from './to-tag.js';
import type { HeaderField, SipRequest, SipResponse } from './types.js';

const NO_OPTIONS: BuildResponseOptions = Object.freeze({});
const RECORD_ROUTE = knownHeaderId('Record-Route');
const FROM = knownHeaderId('From');
const CALL_ID = knownHeaderId('Call-ID');
const CSEQ = knownHeaderId('CSeq');

/** The table's phrases that pass `checkReason`: checked once, when the module loads. */
const CHECKED_TABLE_PHRASES: ReadonlySet<string> = new Set(
  statusCodes.flatMap((entry) => {
    try {
      return [checkReason(entry.reason)];
    } catch {
      return [];
    }
  }),
);

/** One header's value(s) in `options.headers`: one string per field. */
export type HeaderValueInput = string | readonly string[];

/**
 * Extra header fields for a response: the well-known names are typed (so an editor completes
 * them), any other token is accepted too. The headers the builder copies or computes and the
 * request-only headers are typed `never`: passing them throws.
 */
export type ResponseHeaderInput = {
  readonly [Name in Exclude<
    KnownHeaderName,
    ManagedHeaderName | RequestOnlyHeaderName
  >]?: HeaderValueInput;
} & { readonly [Name in ManagedHeaderName | RequestOnlyHeaderName]?: never } & {
  readonly [name: string]: HeaderValueInput | undefined;
};

/** Options of `buildResponse`. Every field is optional. */
export interface BuildResponseOptions {
  /**
   * The reason phrase. Required for a code the registry does not hold: no phrase is invented.
   * @defaultValue the table's phrase for the code (`Busy Here` for 486)
   */
  readonly reason?: string;
  /** Extra header fields, written after the copied ones, in the order given. */
  readonly headers?: ResponseHeaderInput;
  /**
   * The body: bytes (copied, so the caller may reuse its buffer), or text encoded as UTF-8.
   * Needs `contentType` when not empty (RFC 3261 §7.4.1).
   */
  readonly body?: Uint8Array | string;
  /** The body's Content-Type, e.g. `application/sdp`. */
  readonly contentType?: string;
  /**
   * Contact value(s): where the UAS wants in-dialog requests (RFC 3261 §12.1.1), alternative
   * targets of a 3xx, bindings of a REGISTER 200. One field per value.
   */
  readonly contact?: string | readonly string[];
  /**
   * The To tag to add when the request's To has none (a token). Give it to reuse the tag of
   * earlier responses to the same request (RFC 3261 §8.2.6.2) or to build a stateless UAS's
   * deterministic tag (§8.2.7).
   * @defaultValue 16 hex digits derived from the request's identity (top Via branch, From tag,
   * Call-ID, CSeq number) under `tagKey`: every response to one request gets the same tag, and a
   * CANCEL's 200 the tag of the INVITE's responses (§9.2)
   */
  readonly toTag?: string;
  /**
   * The key the default To tag is derived with (see `createTagKey`): give every process behind
   * one load balancer the same key so that they agree on tags.
   * @defaultValue a key of 64 random bits drawn once per process
   */
  readonly tagKey?: TagKey;
  /**
   * Send this 101–199 reliably (RFC 3262 §3): adds `Require: 100rel`; the RSeq must come in
   * `options.headers.RSeq`. Only when the request listed 100rel in Supported or Require.
   * @defaultValue false
   */
  readonly reliable?: boolean;
  /**
   * Seconds between the request's arrival and this 100 Trying, appended to the copied
   * Timestamp (RFC 3261 §8.2.6.1). Only for a 100; ignored when the request has no Timestamp.
   */
  readonly timestampDelay?: number;
  /**
   * The option-tags this element supports. Written as a Supported header; for a 420 the
   * Unsupported header is computed from it: exactly the request's Require option-tags (for a
   * proxy, its Proxy-Require option-tags) that are not in this list (RFC 3261 §8.2.2.3, §16.3).
   */
  readonly supported?: readonly string[];
  /**
   * The methods this UA understands, ACK and CANCEL included (RFC 3261 §20.5). Written as an
   * Allow header: required in a 405, recommended in a 200 to OPTIONS or INVITE.
   */
  readonly allow?: readonly string[];
  /**
   * Who answers: a UAS, or a proxy answering on its own (it checks Proxy-Require, not Require).
   * @defaultValue 'uas'
   */
  readonly role?: 'uas' | 'proxy';
  /**
   * Policy conditions of the table's rules the caller can decide (e.g. `sessionTimerInUse`).
   * Undecided ones make their rules warnings of code UNDECIDABLE_RULE.
   * @defaultValue `{}`
   */
  readonly policies?: Partial<Readonly<Record<PolicyName, boolean>>>;
}

/** What `buildResponse` returns. */
export interface BuiltResponse {
  /** The response, plain readonly data, ready for `serialize` (which adds Content-Length). */
  readonly response: SipResponse;
  /**
   * What the response lacks that the RFCs only recommend (SHOULD / SHOULD NOT rules), rules
   * that may apply depending on a policy the caller did not decide, and defects of the request
   * the response inherits (a missing Call-ID, say). Never thrown.
   */
  readonly warnings: readonly Issue[];
  /**
   * The tag of the response's To: the one added (RFC 3261 §8.2.6.2), or the request's own for
   * an in-dialog request; undefined on a 100 that carries none, or when the request's To is
   * missing or does not parse (a 400).
   */
  readonly toTag: string | undefined;
}

/**
 * Builds the response to a request: RFC 3261 §8.2.6 copying, the To tag, the headers computed
 * from options, and the table's rules for the code.
 *
 * Copied from the request: every Via field in order (comma-combined fields as they are), From,
 * To, Call-ID and CSeq exactly; a To tag is added when the request's To has none, except on a
 * 100 (§8.2.6.2); a 100 copies the Timestamp (§8.2.6.1); a dialog-creating response (an
 * early-dialog 101–199 or a 2xx to INVITE, SUBSCRIBE or REFER) copies every Record-Route
 * (§12.1.1). Request-only headers such as Max-Forwards are never copied.
 *
 * Then every rule of the code's table row is evaluated. A MUST or MUST NOT rule that is broken
 * throws; SHOULD / SHOULD NOT rules and rules hanging on an undecided policy come back as
 * warnings.
 * @param request - the request answered, e.g. straight from the parser
 * @param code - the status code, an integer from 100 to 699; a code the registry does not
 * hold follows the rules of the code it is treated as (RFC 3261 §8.1.3.2) and needs
 * `options.reason`
 * @param options - see {@link BuildResponseOptions}
 * @returns the response and its warnings
 * @throws BuildError with code `INVALID_STATUS_CODE`, `MISSING_REASON_PHRASE`,
 * `MISSING_REQUIRED_HEADER`, `FORBIDDEN_HEADER`, `HEADER_RULE_VIOLATED` (a table rule; the
 * error carries it as `rule`), `MANAGED_HEADER`, `REQUEST_ONLY_HEADER`, `CONFLICTING_OPTIONS`,
 * `INVALID_OPTION`, `MISSING_CONTENT_TYPE`, `TO_TAG_CONFLICT`, `NO_UNSUPPORTED_OPTION_TAGS`,
 * `EXTENSION_NOT_SUPPORTED`, `CONTACT_NOT_SIPS`, `INVALID_REQUEST` or `INVALID_REQUEST_HEADER` (the
 * request's To or From does not parse: answer it 400)
 * @example
 * ```ts
 * const message = parseDatagram(bytes);
 * if (message.type === 'request') {
 *   const { response, warnings } = buildResponse(message, StatusCode.METHOD_NOT_ALLOWED, {
 *     allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'],
 *   });
 *   socket.send(serialize(response));
 * }
 * ```
 */
export function buildResponse(
  request: SipRequest,
  code: number,
  options: BuildResponseOptions = NO_OPTIONS,
): BuiltResponse {
  const info = statusInfo(code);
  const reason = reasonFor(info, options);
  const facts = { statusCode: code, reason };
  if (request === null || typeof request !== 'object' || request.type !== 'request') {
    throw new BuildError('INVALID_REQUEST', {
      ...facts,
      problem: 'the first argument is not a request',
      source: 'RFC 3261 §8.2.6',
      advice: 'pass a request from the parser or an object of type SipRequest',
    });
  }
  const warnings: Issue[] = [];
  const headers: HeaderField[] = [];
  const extra = readHeaderOptions(options, facts);
  // One pass names every field of the request; each copy below is then a scan of small integers
  const ids = requestHeaderIds(request);

  copyVia(request, ids, headers, warnings);
  const to = buildTo(request, ids, code, options, facts, warnings);
  // RFC 3261 §12.1.1: a dialog-creating response copies every Record-Route, in order
  const dialog = createsDialog(request.method, code, to?.hasTag) === true;
  if (dialog) copyAll(request, ids, RECORD_ROUTE, 'Record-Route', headers);
  copyFirst(request, ids, FROM, 'From', headers, warnings);
  if (to !== undefined) headers.push({ name: 'To', value: to.value });
  copyFirst(request, ids, CALL_ID, 'Call-ID', headers, warnings);
  copyFirst(request, ids, CSEQ, 'CSeq', headers, warnings);
  copyTimestamp(request, ids, code, options, facts, extra, headers);
  addComputedHeaders(request, code, options, facts, extra, headers, warnings);
  for (const field of extra) headers.push(field);
  const body = bodyOf(options, facts, headers, extra);

  const response: SipResponse = new BuiltSipResponse(code, reason, headers, body);
  if (
    dialog &&
    mayRequireSipsContact(request, ids) &&
    requiresSipsContact(request) &&
    nonSipsContacts(response).length > 0
  ) {
    throw new BuildError('CONTACT_NOT_SIPS', {
      ...facts,
      header: 'Contact',
      problem:
        'the request came over a SIPS URI, so the Contact of a dialog-creating response must be a SIPS URI',
      source: 'RFC 3261 §12.1.1',
      advice: 'pass a sips: URI in options.contact',
    });
  }
  // Require comes only from options.reliable or options.headers; a response without it
  // applies no extension (RFC 3261 §8.2.4), so there is nothing to check
  const unoffered =
    options.reliable === true || hasExtra(extra, 'Require')
      ? unofferedExtensions(request, code, response)
      : [];
  if (unoffered.length > 0) {
    throw new BuildError('EXTENSION_NOT_SUPPORTED', {
      ...facts,
      header: 'Require',
      problem: `the response would require ${unoffered.map((tag) => `"${tag}"`).join(', ')}, which the request listed in neither Supported nor Require`,
      source: unoffered.includes('100rel') ? 'RFC 3262 §3; RFC 3261 §8.2.4' : 'RFC 3261 §8.2.4',
      advice: unoffered.includes('100rel')
        ? 'leave out options.reliable'
        : 'remove the option-tag from options.headers.Require',
    });
  }
  const context: RuleContext | undefined =
    options.policies === undefined && options.reliable !== true
      ? undefined
      : {
          ...(options.policies !== undefined && { policies: options.policies }),
          ...(options.reliable === true && { reliable: true }),
        };
  // Warnings so far are made for this request; the rules' own are shared records
  const ownWarnings = warnings.length;
  for (const finding of evaluateBuildRules(request, ids, code, response, headers, context)) {
    const issue = findingIssue(finding, code, reason);
    const rule = issue.rule;
    if (rule !== undefined && issue.code !== 'UNDECIDABLE_RULE' && issue.severity === 'MUST') {
      throw new BuildError(violationCode(rule), {
        ...facts,
        header: rule.header,
        problem: ruleClause(rule),
        source: rule.source,
        advice: ruleAdvice(rule),
        rule,
      });
    }
    warnings.push(issue);
  }
  return {
    response,
    warnings: ownWarnings === 0 ? sharedIssueList(warnings) : Object.freeze(warnings),
    toTag: to?.tag,
  };
}

function statusInfo(code: number): CodeInfo {
  try {
    return codeInfo(code);
  } catch (error) {
    if (!(error instanceof StatusCodeError)) throw error;
    throw new BuildError(
      'INVALID_STATUS_CODE',
      {
        statusCode: code,
        problem: 'the status code must be an integer from 100 to 699',
        source: 'RFC 3261 §7.2',
      },
      { cause: error },
    );
  }
}

function reasonFor(info: CodeInfo, options: BuildResponseOptions): string {
  const reason = options.reason ?? info.entry?.reason;
  if (reason === undefined) {
    throw new BuildError('MISSING_REASON_PHRASE', {
      statusCode: info.code,
      problem: `${info.code} is not a registered code, so there is no phrase to send (it is handled as ${info.treatedAs})`,
      source: 'RFC 3261 §21, §8.1.3.2',
      advice: 'pass options.reason',
    });
  }
  if (CHECKED_TABLE_PHRASES.has(reason)) return reason;
  try {
    return checkReason(reason);
  } catch (error) {
    throw new BuildError(
      'INVALID_OPTION',
      {
        statusCode: info.code,
        problem: 'options.reason holds a control character',
        source: 'RFC 3261 §25.1',
        advice: 'remove CR, LF and other control characters from options.reason',
      },
      { cause: error },
    );
  }
}
