/**
 * Turns the evaluator's outcomes into Issue records, one formatter for buildResponse's
 * warnings and errors and for validate's issues, so both say the same thing about a rule.
 */
import type { HeaderRule } from '../codes/index.js';
import { isNegativeRule, type RuleFinding, type RuleOutcome } from './apply-rules.js';
import { type Issue, makeIssue } from './errors.js';

/**
 * The issues of a response's rule outcomes: every violated MUST / SHOULD / MUST NOT /
 * SHOULD NOT rule, and, when asked, every undecidable one the response may break (its
 * requirement is unmet, or met for a negative rule). MAY rules never give issues.
 * @param outcomes - from `evaluateRules`
 * @param statusCode - the response's code, for the message
 * @param reason - the response's phrase, for the message
 * @param includeUndecidable - whether to report undecidable rules (code UNDECIDABLE_RULE)
 * @param shared - whether the issues may be frozen records shared between calls (an issue is
 * a function of its rule, its kind, the code and the phrase, so buildResponse makes each once)
 * @returns the issues in table order, each carrying its rule
 * @internal
 */
export function ruleIssues(
  outcomes: readonly RuleOutcome[],
  statusCode: number,
  reason: string,
  includeUndecidable: boolean,
  shared = false,
): Issue[] {
  const issues: Issue[] = [];
  for (const { rule, status, requirementMet } of outcomes) {
    if (rule.level === 'MAY') continue;
    if (status === 'violated') {
      issues.push(ruleIssue(rule, 'violated', statusCode, reason, shared));
    } else if (
      includeUndecidable &&
      status === 'undecidable' &&
      requirementMet !== undefined &&
      requirementMet === isNegativeRule(rule)
    ) {
      issues.push(ruleIssue(rule, 'undecidable', statusCode, reason, shared));
    }
  }
  return issues;
}

/**
 * The issue of a finding of `evaluateBuildRules`: the shared record `ruleIssues` gives with
 * `shared` for the same outcome, kept with the finding (a lookup by rule costs more than
 * the rest of a build's rule work).
 * @internal
 */
export function findingIssue(finding: RuleFinding, statusCode: number, reason: string): Issue {
  const known = finding.issue;
  if (known !== undefined && known.statusCode === statusCode && known.reason === reason) {
    return known.issue;
  }
  const issue = ruleIssue(finding.rule, finding.kind, statusCode, reason, true);
  finding.issue = { statusCode, reason, issue };
  return issue;
}

const NO_ISSUES: readonly Issue[] = Object.freeze([]);

/** The last frozen list made for each first issue; it goes when its issues go. */
const SHARED_LISTS = new WeakMap<Issue, readonly Issue[]>();

/**
 * A frozen list holding `issues` (the same records, in order), made once and handed out again
 * while the same list comes back: every 200 to a plain OPTIONS has the same warnings.
 * @param issues - shared records, from `ruleIssues` with `shared`
 * @returns a frozen list equal to `issues`
 * @internal
 */
export function sharedIssueList(issues: readonly Issue[]): readonly Issue[] {
  const first = issues[0];
  if (first === undefined) return NO_ISSUES;
  const known = SHARED_LISTS.get(first);
  if (known !== undefined && isSameList(known, issues)) return known;
  const list = Object.freeze([...issues]);
  SHARED_LISTS.set(first, list);
  return list;
}

function isSameList(a: readonly Issue[], b: readonly Issue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The issues made for one rule, with the code and phrase they were made for. */
interface SharedIssues {
  readonly statusCode: number;
  readonly reason: string;
  violated?: Issue;
  undecidable?: Issue;
}

/** At most one entry per table rule: the map stays as small as the table. */
const SHARED = new Map<HeaderRule, SharedIssues>();

function ruleIssue(
  rule: HeaderRule,
  kind: 'violated' | 'undecidable',
  statusCode: number,
  reason: string,
  shared: boolean,
): Issue {
  if (!shared) return makeRuleIssue(rule, kind, statusCode, reason);
  let entry = SHARED.get(rule);
  if (entry === undefined || entry.statusCode !== statusCode || entry.reason !== reason) {
    entry = { statusCode, reason };
    SHARED.set(rule, entry);
  }
  let issue = entry[kind];
  if (issue === undefined) {
    issue = Object.freeze(makeRuleIssue(rule, kind, statusCode, reason));
    entry[kind] = issue;
  }
  return issue;
}

function makeRuleIssue(
  rule: HeaderRule,
  kind: 'violated' | 'undecidable',
  statusCode: number,
  reason: string,
): Issue {
  const severity = rule.level === 'MUST' || rule.level === 'MUST NOT' ? 'MUST' : 'SHOULD';
  const subject = `${statusCode} ${reason}`.trimEnd();
  return kind === 'violated'
    ? makeIssue({
        code: violationCode(rule),
        severity,
        header: rule.header,
        source: rule.source,
        problem: `${subject}: ${ruleClause(rule)}`,
        rule,
      })
    : makeIssue({
        code: 'UNDECIDABLE_RULE',
        severity,
        header: rule.header,
        source: rule.source,
        problem: `${subject}: ${ruleClause(rule)} if ${rule.condition}, which the messages cannot tell`,
        rule,
      });
}

/**
 * The stable code of a broken table rule.
 * @internal
 */
export function violationCode(
  rule: HeaderRule,
): 'MISSING_REQUIRED_HEADER' | 'FORBIDDEN_HEADER' | 'HEADER_RULE_VIOLATED' {
  if (rule.requirement.kind !== 'present') return 'HEADER_RULE_VIOLATED';
  return isNegativeRule(rule) ? 'FORBIDDEN_HEADER' : 'MISSING_REQUIRED_HEADER';
}

function article(header: string): string {
  return /^[AEIOU]/.test(header) ? 'an' : 'a';
}

/**
 * What a rule asks, as a clause: `an Allow header is required`.
 * @internal
 */
export function ruleClause(rule: HeaderRule): string {
  const header = rule.header;
  const strength = rule.level === 'MUST' || rule.level === 'MUST NOT' ? 'required' : 'recommended';
  const requirement = rule.requirement;
  const negative = isNegativeRule(rule);
  const must = rule.level === 'MUST' || rule.level === 'MUST NOT' ? 'must' : 'should';
  switch (requirement.kind) {
    case 'present':
      return negative
        ? `${article(header)} ${header} header is not allowed`
        : `${article(header)} ${header} header is ${strength}`;
    case 'copiedFromRequest':
      return `every ${header} value of the request ${must} be copied unchanged and in order`;
    case 'hasTag':
      return negative
        ? `the ${header} header ${must} carry no tag`
        : `the ${header} header ${must} carry a tag`;
    case 'listsOptionTag':
      return negative
        ? `${header} ${must} not list the option-tag "${requirement.optionTag}"`
        : `${header} ${must} list the option-tag "${requirement.optionTag}"`;
    case 'paramOnEachValue':
      return `every ${header} value ${must} carry a "${requirement.param}" parameter${requirement.value === undefined ? '' : ` equal to "${requirement.value}"`}`;
  }
}

/**
 * The issue of an Allow that lists INVITE without ACK or CANCEL.
 * @internal
 */
export function allowIssue(missing: readonly string[]): Issue {
  return makeIssue({
    code: 'ALLOW_OMITS_METHOD',
    severity: 'MUST',
    header: 'Allow',
    source: 'RFC 3261 §20.5',
    problem: `Allow lists INVITE but not ${missing.join(' or ')}; list every method the UA understands, ACK and CANCEL included`,
  });
}
