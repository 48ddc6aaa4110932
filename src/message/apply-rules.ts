/**
 * THE evaluator of the table's header rules. `buildResponse` and `validate` both call
 * `evaluateRules`, so they can never disagree about what a code requires.
 *
 * A rule applies when all its conditions hold; it is then satisfied or violated depending on
 * its requirement and level (MUST NOT / SHOULD NOT invert). A condition the messages cannot
 * answer (a policy, or a request fact when no request is given) makes the rule undecidable:
 * it is kept and reported, never dropped.
 */
import type { HeaderRule, PolicyName, RuleCondition, RuleRequirement } from '../codes/index.js';
import { rulesFor } from '../codes/index.js';
import { createsDialog, createsEarlyDialog, readCSeqMethod, readToTag } from './dialog.js';
import { parseNameAddr, parseOptionTags, parseParameters } from './fields/index.js';
import { canonicalHeaderName } from './header-names.js';
import { getHeaders, getHeaderValues, hasHeader } from './headers.js';
import type { HeaderField, SipMessage, SipRequest, SipResponse } from './types.js';

/** What the caller knows beyond the messages themselves. All fields optional. */
export interface RuleContext {
  /**
   * Policy conditions the caller can decide: `true` or `false` settles a rule's `policy`
   * condition; a policy left out stays undecidable.
   * @defaultValue `{}` (every policy undecidable)
   */
  readonly policies?: Partial<Readonly<Record<PolicyName, boolean>>>;
  /**
   * The provisional response is sent reliably (RFC 3262), even before it shows RSeq or
   * `Require: 100rel`.
   * @defaultValue false
   */
  readonly reliable?: boolean;
}

/** How one rule came out for a response. */
export type RuleStatus = 'satisfied' | 'violated' | 'notApplicable' | 'undecidable';

/** One rule of `rulesFor(status)` and how the response fares against it. */
export interface RuleOutcome {
  readonly rule: HeaderRule;
  /**
   * `notApplicable` when a condition is false; `undecidable` when none is false but one cannot
   * be decided (or the requirement itself needs the absent request); otherwise `satisfied` or
   * `violated`. A MAY rule that applies is always `satisfied`.
   */
  readonly status: RuleStatus;
  /**
   * Whether the response meets the rule's requirement (has the header, lists the tag, …),
   * whether or not the rule applies; undefined when that cannot be told (the requirement needs
   * the request, or the header does not parse). For MUST NOT / SHOULD NOT a met requirement is
   * what the rule forbids.
   */
  readonly requirementMet: boolean | undefined;
  /** The conditions that could not be decided; empty unless `status` is `undecidable`. */
  readonly undecided: readonly RuleCondition[];
}

/** The response as the evaluator reads it: its header fields. */
export interface ResponseHeaders {
  readonly headers: readonly HeaderField[];
}

const EMPTY_BODY = new Uint8Array(0);

/**
 * Comparison keys for `copiedFromRequest` where the RFC lets the copy grow: a 100 copies the
 * request's Timestamp and may append the delay after it (RFC 3261 §8.2.6.1, §20.38), so only
 * the time value (the first word) must match.
 */
const COPY_KEYS: ReadonlyMap<string, (value: string) => string> = new Map([
  ['Timestamp', (value: string) => value.split(/[ \t]/, 1)[0] ?? value],
]);

/**
 * Evaluates every header rule the table gives `status` (an unknown code gets the rules of the
 * code it is treated as, RFC 3261 §8.1.3.2) against a response.
 *
 * Without a request, request facts are undecidable, except the request method, which the
 * response's CSeq tells (RFC 3261 §8.2.6.2: the response copies the request's CSeq).
 * @param request - the request answered, when known
 * @param status - the response's status code, 100–699
 * @param response - the response (only its header fields are read)
 * @param context - policies and reliability the caller knows
 * @returns one outcome per rule, in table order
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `status` is not an integer from 100 to 699
 * @example
 * ```ts
 * evaluateRules(request, 405, { headers: [] })[0]?.status; // 'violated' (Allow missing)
 * ```
 */
export function evaluateRules(
  request: SipRequest | undefined,
  status: number,
  response: ResponseHeaders,
  context?: RuleContext,
): RuleOutcome[] {
  const rules = rulesFor(status);
  const facts = readFacts(request, status, asMessage(response), context);
  return rules.map((rule) => evaluateRule(rule, facts));
}

function asMessage(response: ResponseHeaders): SipResponse {
  return {
    type: 'response',
    version: 'SIP/2.0',
    status: 0,
    reason: '',
    headers: response.headers,
    body: EMPTY_BODY,
  };
}

function evaluateRule(rule: HeaderRule, facts: Facts): RuleOutcome {
  const undecided: RuleCondition[] = [];
  for (const condition of rule.when) {
    const holds = decideCondition(condition, facts);
    if (holds === false) {
      return {
        rule,
        status: 'notApplicable',
        requirementMet: decideRequirement(rule, facts),
        undecided: [],
      };
    }
    if (holds === undefined) undecided.push(condition);
  }
  const requirementMet = decideRequirement(rule, facts);
  if (undecided.length > 0 || requirementMet === undefined) {
    return { rule, status: 'undecidable', requirementMet, undecided };
  }
  return { rule, status: statusOf(rule, requirementMet), requirementMet, undecided };
}

function statusOf(rule: HeaderRule, requirementMet: boolean): RuleStatus {
  switch (rule.level) {
    case 'MUST':
    case 'SHOULD':
      return requirementMet ? 'satisfied' : 'violated';
    case 'MUST NOT':
    case 'SHOULD NOT':
      return requirementMet ? 'violated' : 'satisfied';
    case 'MAY':
      return 'satisfied';
  }
}

/**
 * Whether a rule forbids its requirement (MUST NOT / SHOULD NOT) rather than asking for it.
 * @internal
 */
export function isNegativeRule(rule: HeaderRule): boolean {
  return rule.level === 'MUST NOT' || rule.level === 'SHOULD NOT';
}

/** The facts of one (request, code, response) triple that several conditions need. */
interface Facts {
  readonly request: SipRequest | undefined;
  readonly status: number;
  readonly response: SipResponse;
  readonly context: RuleContext | undefined;
  /** The request method: the request's own, or else the response's CSeq method. */
  readonly method: string | undefined;
  /** Whether the response's To has a tag; undefined when it has no To or it does not parse. */
  readonly toHasTag: boolean | undefined;
}

function readFacts(
  request: SipRequest | undefined,
  status: number,
  response: SipResponse,
  context: RuleContext | undefined,
): Facts {
  const to = readToTag(response);
  return {
    request,
    status,
    response,
    context,
    method: request !== undefined ? request.method : readCSeqMethod(response),
    toHasTag: to === undefined ? undefined : to.tag !== undefined,
  };
}

function decideCondition(condition: RuleCondition, facts: Facts): boolean | undefined {
  const request = facts.request;
  switch (condition.kind) {
    case 'requestMethod':
      return facts.method === undefined ? undefined : condition.methods.includes(facts.method);
    case 'requestHasHeader':
      return request === undefined ? undefined : hasHeader(request, condition.header);
    case 'requestLacksHeader':
      return request === undefined ? undefined : !hasHeader(request, condition.header);
    case 'requestHasNoToTag': {
      if (request === undefined) return undefined;
      const to = readToTag(request);
      return to === undefined ? undefined : to.tag === undefined;
    }
    case 'requestSupports': {
      if (request === undefined) return undefined;
      const tags = optionTags(request, 'Supported');
      return tags === undefined ? undefined : tags.includes(condition.optionTag.toLowerCase());
    }
    case 'responseHasHeader':
      return hasHeader(facts.response, condition.header);
    case 'createsEarlyDialog':
      return createsEarlyDialog(facts.method, facts.status, facts.toHasTag);
    case 'createsDialog':
      return createsDialog(facts.method, facts.status, facts.toHasTag);
    case 'sentReliably':
      return isSentReliably(facts);
    case 'sessionExpiresRefresher':
      return refresherIs(facts.response, condition.refresher);
    case 'policy':
      return facts.context?.policies?.[condition.policy];
  }
}

/** RFC 3262 §3, §7.1: a reliable provisional response carries RSeq and `Require: 100rel`. */
function isSentReliably(facts: Facts): boolean | undefined {
  if (facts.context?.reliable === true || hasHeader(facts.response, 'RSeq')) return true;
  const required = optionTags(facts.response, 'Require');
  return required === undefined ? undefined : required.includes('100rel');
}

/** RFC 4028 §4: Session-Expires = delta-seconds *( SEMI se-params ), refresher = uac / uas. */
function refresherIs(response: SipResponse, refresher: 'uac' | 'uas'): boolean | undefined {
  const first = getHeaders(response, 'Session-Expires')[0];
  if (first === undefined) return false;
  const semicolon = first.value.indexOf(';');
  if (semicolon === -1) return false;
  try {
    return (
      parseParameters(first.value.slice(semicolon)).get('refresher')?.toLowerCase() === refresher
    );
  } catch {
    return undefined;
  }
}

function decideRequirement(rule: HeaderRule, facts: Facts): boolean | undefined {
  const requirement: RuleRequirement = rule.requirement;
  const header = rule.header;
  switch (requirement.kind) {
    case 'present':
      return hasHeader(facts.response, header);
    case 'copiedFromRequest':
      return facts.request === undefined
        ? undefined
        : isCopied(facts.request, facts.response, header);
    case 'hasTag':
      return hasTag(facts.response, header);
    case 'listsOptionTag': {
      const tags = optionTags(facts.response, header);
      return tags === undefined ? undefined : tags.includes(requirement.optionTag.toLowerCase());
    }
    case 'paramOnEachValue':
      return paramOnEachValue(facts.response, header, requirement.param, requirement.value);
  }
}

/** The values of a header split into elements, or each field whole when it cannot be split. */
function valuesOf(message: SipMessage, header: string): string[] {
  try {
    return getHeaderValues(message, header);
  } catch {
    return getHeaders(message, header).map((field) => field.value);
  }
}

/**
 * Every option-tag of every field of a header, lower-cased (tokens compare case-insensitively,
 * RFC 3261 §7.3.1), or undefined when one does not parse.
 */
function optionTags(message: SipMessage, header: string): string[] | undefined {
  const tags: string[] = [];
  try {
    for (const field of getHeaders(message, header)) {
      for (const tag of parseOptionTags(field.value)) tags.push(tag.toLowerCase());
    }
  } catch {
    return undefined;
  }
  return tags;
}

/** The response's values of a header equal the request's, in order (none for none). */
function isCopied(request: SipRequest, response: SipResponse, header: string): boolean {
  const key = COPY_KEYS.get(canonicalHeaderName(header)) ?? ((value: string) => value);
  const wanted = valuesOf(request, header);
  const got = valuesOf(response, header);
  return (
    wanted.length === got.length && wanted.every((value, i) => key(value) === key(got[i] ?? ''))
  );
}

function hasTag(message: SipMessage, header: string): boolean | undefined {
  const value = getHeaders(message, header)[0]?.value;
  if (value === undefined) return false;
  try {
    const parsed = parseNameAddr(value);
    return !parsed.wildcard && parsed.tag !== undefined;
  } catch {
    return undefined;
  }
}

/** Every value carries the parameter (with that value, compared case-insensitively, when given). */
function paramOnEachValue(
  message: SipMessage,
  header: string,
  param: string,
  expected: string | undefined,
): boolean | undefined {
  const name = param.toLowerCase();
  try {
    for (const value of getHeaderValues(message, header)) {
      const parsed = parseNameAddr(value);
      if (parsed.wildcard || !parsed.params.has(name)) return false;
      const actual = parsed.params.get(name);
      if (expected !== undefined && actual?.toLowerCase() !== expected.toLowerCase()) return false;
    }
  } catch {
    return undefined;
  }
  return true;
}
