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
import { isProvisional, rulesFor, StatusCode } from '../codes/index.js';
import {
  createsDialog,
  createsEarlyDialog,
  headerIdOf,
  headerIds,
  knownHeaderId,
  nextField,
  readCSeqMethod,
  readToTag,
} from './dialog.js';
import type { Issue } from './errors.js';
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
  const plan = planFor(rulesFor(status));
  const facts = new Facts(
    request,
    undefined,
    status,
    asMessage(response),
    response.headers,
    context,
  );
  const outcomes: RuleOutcome[] = [];
  for (const prepared of plan.all) {
    outcomes.push(evaluateRule(prepared, facts));
  }
  return outcomes;
}

/**
 * What a rule that can give an issue came to: broken, or undecidable while the response may
 * break it (its requirement unmet, or met for a negative rule): the outcomes `ruleIssues`
 * reports with `includeUndecidable`. One record per prepared rule and kind, made once.
 * @internal
 */
export interface RuleFinding {
  readonly rule: HeaderRule;
  readonly kind: 'violated' | 'undecidable';
  /** The issue last made of it, kept by rule-issues.ts `findingIssue`. */
  issue: FindingIssue | undefined;
}

/**
 * An issue made of a finding, and the code and phrase it was made for.
 * @internal
 */
export interface FindingIssue {
  readonly statusCode: number;
  readonly reason: string;
  readonly issue: Issue;
}

/**
 * The findings of a response, for buildResponse: the same evaluation as `evaluateRules`, without
 * the rules that cannot give an issue (MAY rules, and rules whose request-method condition leaves
 * the request's method out, both chosen once per table row) and without making an outcome
 * record for each rule.
 * @param request - the request answered
 * @param requestIds - `headerIds(request.headers)`, already read by the builder
 * @param status - the response's status code, 100–699
 * @param response - the response built
 * @param responseFields - its fields, in an array that is not frozen (cheaper to read)
 * @param context - policies and reliability the caller knows
 * @returns what `ruleIssues(outcomes, …, true)` would report, as findings, in table order
 * @internal
 */
export function evaluateBuildRules(
  request: SipRequest,
  requestIds: readonly number[],
  status: number,
  response: SipResponse,
  responseFields: readonly HeaderField[],
  context: RuleContext | undefined,
): RuleFinding[] {
  const plan = planFor(rulesFor(status));
  const method: unknown = request.method;
  // A request without a method leaves its requestMethod conditions undecided: no shortcut
  const rules =
    typeof method === 'string'
      ? (plan.byMethod.get(method) ?? plan.anyMethod)
      : plan.all.filter((prepared) => prepared.rule.level !== 'MAY');
  const findings: RuleFinding[] = [];
  if (rules.length === 0) return findings;
  const facts = new Facts(request, requestIds, status, response, responseFields, context);
  for (const prepared of rules) {
    const finding = findingOf(prepared, facts);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/**
 * A table condition with its parts in fields every prepared condition has. The table's
 * conditions and requirements come in a dozen object shapes, and reading `kind` from that many
 * shapes is a slow (megamorphic) property load, paid by every rule of every build.
 */
interface PreparedCondition {
  readonly condition: RuleCondition;
  readonly kind: RuleCondition['kind'];
  /** The header a requestHasHeader, requestLacksHeader or responseHasHeader names, else ''. */
  readonly header: string;
  /** `headerIdOf(header)`, or -1. */
  readonly headerId: number;
  /** The methods of a requestMethod condition, else none. */
  readonly methods: readonly string[];
  /** The option-tag of a requestSupports condition, lower-cased, else ''. */
  readonly optionTag: string;
  readonly refresher: 'uac' | 'uas' | undefined;
  readonly policy: PolicyName | undefined;
}

/** A table rule with what its evaluation needs found once: header ids, conditions to decide. */
interface PreparedRule {
  readonly rule: HeaderRule;
  /** `headerIdOf(rule.header)`. */
  readonly headerId: number;
  /**
   * The conditions to decide: all of `rule.when`, or, in a plan for one method, all but the
   * requestMethod conditions, which hold for that method.
   */
  readonly when: readonly PreparedCondition[];
  /** `rule.requirement.kind`, and the parts of the requirement, as PreparedCondition has them. */
  readonly requirement: RuleRequirement['kind'];
  /** The option-tag of a listsOptionTag requirement, lower-cased, else ''. */
  readonly requiredTag: string;
  /** The parameter (and value) of a paramOnEachValue requirement, else '' (and undefined). */
  readonly requiredParam: string;
  readonly requiredParamValue: string | undefined;
  /** This rule's findings, for evaluateBuildRules. */
  readonly violated: RuleFinding;
  readonly undecidable: RuleFinding;
}

/** One table row's rules: all of them, and those that can give an issue by request method. */
interface RulePlan {
  /** Every rule of the row, in table order, for `evaluateRules`. */
  readonly all: readonly PreparedRule[];
  /** For each method some rule names in a `requestMethod` condition. */
  readonly byMethod: ReadonlyMap<string, readonly PreparedRule[]>;
  /** For any other method: the rules without a `requestMethod` condition. */
  readonly anyMethod: readonly PreparedRule[];
}

const PLANS = new Map<readonly HeaderRule[], RulePlan>();

function prepareCondition(condition: RuleCondition): PreparedCondition {
  const header = 'header' in condition ? condition.header : '';
  return {
    condition,
    kind: condition.kind,
    header,
    headerId: header === '' ? -1 : headerIdOf(header),
    methods: condition.kind === 'requestMethod' ? condition.methods : [],
    optionTag: condition.kind === 'requestSupports' ? condition.optionTag.toLowerCase() : '',
    refresher: condition.kind === 'sessionExpiresRefresher' ? condition.refresher : undefined,
    policy: condition.kind === 'policy' ? condition.policy : undefined,
  };
}

function prepare(rule: HeaderRule, when: readonly RuleCondition[]): PreparedRule {
  const requirement = rule.requirement;
  return {
    rule,
    headerId: headerIdOf(rule.header),
    when: when.map(prepareCondition),
    requirement: requirement.kind,
    requiredTag: requirement.kind === 'listsOptionTag' ? requirement.optionTag.toLowerCase() : '',
    requiredParam: requirement.kind === 'paramOnEachValue' ? requirement.param : '',
    requiredParamValue: requirement.kind === 'paramOnEachValue' ? requirement.value : undefined,
    violated: { rule, kind: 'violated', issue: undefined },
    undecidable: { rule, kind: 'undecidable', issue: undefined },
  };
}

/** Built once per table row (rulesFor returns the row's own array), then looked up. */
function planFor(rules: readonly HeaderRule[]): RulePlan {
  let plan = PLANS.get(rules);
  if (plan === undefined) {
    const methodLists = (rule: HeaderRule): (readonly string[])[] =>
      rule.when.flatMap((condition) =>
        condition.kind === 'requestMethod' ? [condition.methods] : [],
      );
    const otherConditions = (rule: HeaderRule): RuleCondition[] =>
      rule.when.filter((condition) => condition.kind !== 'requestMethod');
    // A MAY rule never gives an issue (see ruleIssues), whatever it evaluates to
    const candidates = rules.filter((rule) => rule.level !== 'MAY');
    const byMethod = new Map<string, PreparedRule[]>();
    for (const rule of candidates) {
      for (const methods of methodLists(rule)) {
        for (const method of methods) byMethod.set(method, []);
      }
    }
    for (const [method, list] of byMethod) {
      for (const rule of candidates) {
        if (methodLists(rule).every((methods) => methods.includes(method))) {
          list.push(prepare(rule, otherConditions(rule)));
        }
      }
    }
    plan = {
      all: rules.map((rule) => prepare(rule, rule.when)),
      byMethod,
      anyMethod: candidates
        .filter((rule) => methodLists(rule).length === 0)
        .map((rule) => prepare(rule, rule.when)),
    };
    PLANS.set(rules, plan);
  }
  return plan;
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

/**
 * Whether a rule's conditions all hold, in order: false as soon as one is false, undefined
 * when none is false but one cannot be decided.
 */
function conditionsHold(prepared: PreparedRule, facts: Facts): boolean | undefined {
  let holds: boolean | undefined = true;
  for (const condition of prepared.when) {
    const decided = decideCondition(condition, facts);
    if (decided === false) return false;
    if (decided === undefined) holds = undefined;
  }
  return holds;
}

/** One rule against the facts, for evaluateRules. */
function evaluateRule(prepared: PreparedRule, facts: Facts): RuleOutcome {
  const rule = prepared.rule;
  const holds = conditionsHold(prepared, facts);
  const requirementMet = decideRequirement(prepared, facts);
  if (holds === false) {
    return { rule, status: 'notApplicable', requirementMet, undecided: [] };
  }
  if (holds === undefined || requirementMet === undefined) {
    // Each fact is read once, so deciding the conditions again only collects the answers
    const undecided = prepared.when
      .filter((condition) => decideCondition(condition, facts) === undefined)
      .map((prepared) => prepared.condition);
    return { rule, status: 'undecidable', requirementMet, undecided };
  }
  return { rule, status: statusOf(rule, requirementMet), requirementMet, undecided: [] };
}

/**
 * One rule against the facts, for buildResponse: the finding `ruleIssues` would make of its
 * outcome (with `includeUndecidable`), or undefined. A rule that does not apply is settled
 * without reading its requirement.
 */
function findingOf(prepared: PreparedRule, facts: Facts): RuleFinding | undefined {
  const holds = conditionsHold(prepared, facts);
  if (holds === false) return undefined;
  const rule = prepared.rule;
  const requirementMet = decideRequirement(prepared, facts);
  if (holds === undefined || requirementMet === undefined) {
    // Reported only when the response may break the rule (see ruleIssues)
    return requirementMet !== undefined && requirementMet === isNegativeRule(rule)
      ? prepared.undecidable
      : undefined;
  }
  return statusOf(rule, requirementMet) === 'violated' ? prepared.violated : undefined;
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

/** Marks a fact not read yet (every fact is read at most once, and only when a rule asks). */
const UNREAD = null;

/**
 * The facts of one (request, code, response) triple that conditions and requirements need,
 * each read on first use: most rules are settled by the method or the code alone.
 */
class Facts {
  readonly request: SipRequest | undefined;
  readonly status: number;
  readonly response: SipResponse;
  readonly context: RuleContext | undefined;
  #requestIds: readonly number[] | undefined;
  /** The response's fields: `response.headers`, or the builder's unfrozen copy of them. */
  readonly #responseFields: readonly HeaderField[];
  #responseIds: readonly number[] | undefined;
  #method: string | undefined | typeof UNREAD = UNREAD;
  #toHasTag: boolean | undefined | typeof UNREAD = UNREAD;

  constructor(
    request: SipRequest | undefined,
    requestIds: readonly number[] | undefined,
    status: number,
    response: SipResponse,
    responseFields: readonly HeaderField[],
    context: RuleContext | undefined,
  ) {
    this.request = request;
    this.#requestIds = requestIds;
    this.#responseFields = responseFields;
    this.status = status;
    this.response = response;
    this.context = context;
  }

  /** The request method: the request's own, or else the response's CSeq method. */
  get method(): string | undefined {
    if (this.#method === UNREAD) {
      this.#method =
        this.request !== undefined ? this.request.method : readCSeqMethod(this.response);
    }
    return this.#method;
  }

  /** Whether the response's To has a tag; undefined when it has no To or it does not parse. */
  get toHasTag(): boolean | undefined {
    if (this.#toHasTag === UNREAD) {
      const to = readToTag(this.response);
      this.#toHasTag = to === undefined ? undefined : to.tag !== undefined;
    }
    return this.#toHasTag;
  }

  /**
   * Whether the request has a field of `header` (`id` its header id, -1 when the table does
   * not know it); only called with a request.
   */
  requestHas(request: SipRequest, header: string, id: number): boolean {
    if (id === -1) return hasHeader(request, header);
    this.#requestIds ??= headerIds(request.headers);
    return nextField(this.#requestIds, id) !== -1;
  }

  /** Whether the response has a field of `header` (`id` its header id, or -1). */
  responseHas(header: string, id: number): boolean {
    if (id === -1) return hasHeader(this.response, header);
    this.#responseIds ??= headerIds(this.#responseFields);
    return nextField(this.#responseIds, id) !== -1;
  }
}

const SESSION_EXPIRES = knownHeaderId('Session-Expires');
const RSEQ = knownHeaderId('RSeq');
const REQUIRE = knownHeaderId('Require');

function decideCondition(condition: PreparedCondition, facts: Facts): boolean | undefined {
  const request = facts.request;
  switch (condition.kind) {
    case 'requestMethod': {
      const method = facts.method;
      return method === undefined ? undefined : condition.methods.includes(method);
    }
    case 'requestHasHeader':
      return request === undefined
        ? undefined
        : facts.requestHas(request, condition.header, condition.headerId);
    case 'requestLacksHeader':
      return request === undefined
        ? undefined
        : !facts.requestHas(request, condition.header, condition.headerId);
    case 'requestHasNoToTag': {
      if (request === undefined) return undefined;
      const to = readToTag(request);
      return to === undefined ? undefined : to.tag === undefined;
    }
    case 'requestSupports': {
      if (request === undefined) return undefined;
      const tags = optionTags(request, 'Supported');
      return tags === undefined ? undefined : tags.includes(condition.optionTag);
    }
    case 'responseHasHeader':
      return facts.responseHas(condition.header, condition.headerId);
    case 'createsEarlyDialog':
      return createsEarlyDialog(facts.method, facts.status, dialogToHasTag(facts));
    case 'createsDialog':
      return createsDialog(facts.method, facts.status, dialogToHasTag(facts));
    case 'sentReliably':
      return isSentReliably(facts);
    case 'sessionExpiresRefresher':
      // (refresher is set on every condition of this kind)
      return condition.refresher !== undefined &&
        facts.responseHas('Session-Expires', SESSION_EXPIRES)
        ? refresherIs(facts.response, condition.refresher)
        : false;
    case 'policy':
      // (policy is set on every condition of this kind)
      return condition.policy === undefined
        ? undefined
        : facts.context?.policies?.[condition.policy];
  }
}

/**
 * The To tag, when it can decide whether the response creates a dialog: only a 101–199 to
 * INVITE hangs on it (RFC 3261 §12.1); for any other response the tag is not read.
 */
function dialogToHasTag(facts: Facts): boolean | undefined {
  const status = facts.status;
  return isProvisional(status) && status !== StatusCode.TRYING && facts.method === 'INVITE'
    ? facts.toHasTag
    : undefined;
}

/** RFC 3262 §3, §7.1: a reliable provisional response carries RSeq and `Require: 100rel`. */
function isSentReliably(facts: Facts): boolean | undefined {
  if (facts.context?.reliable === true || facts.responseHas('RSeq', RSEQ)) return true;
  if (!facts.responseHas('Require', REQUIRE)) return false;
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

function decideRequirement(prepared: PreparedRule, facts: Facts): boolean | undefined {
  const header = prepared.rule.header;
  switch (prepared.requirement) {
    case 'present':
      return facts.responseHas(header, prepared.headerId);
    case 'copiedFromRequest':
      return facts.request === undefined
        ? undefined
        : isCopied(facts.request, facts.response, header);
    case 'hasTag':
      return hasTag(facts.response, header);
    case 'listsOptionTag': {
      if (!facts.responseHas(header, prepared.headerId)) return false;
      const tags = optionTags(facts.response, header);
      return tags === undefined ? undefined : tags.includes(prepared.requiredTag);
    }
    case 'paramOnEachValue':
      return paramOnEachValue(
        facts.response,
        header,
        prepared.requiredParam,
        prepared.requiredParamValue,
      );
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
  // The same fields with the same values split into the same values: buildResponse copies
  // fields as they are, so the split and the comparison by key are left for the rest
  const wantedFields = getHeaders(request, header);
  const gotFields = getHeaders(response, header);
  if (
    wantedFields.length === gotFields.length &&
    wantedFields.every((field, i) => field.value === gotFields[i]?.value)
  ) {
    return true;
  }
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
