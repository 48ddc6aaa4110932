/**
 * Turns the evaluator's outcomes into Issue records, one formatter for buildResponse's
 * warnings and errors and for validate's issues, so both say the same thing about a rule.
 */
import type { HeaderRule } from '../codes/index.js';
import { isNegativeRule, type RuleOutcome } from './apply-rules.js';
import { type Issue, makeIssue } from './errors.js';

/**
 * The issues of a response's rule outcomes: every violated MUST / SHOULD / MUST NOT /
 * SHOULD NOT rule, and, when asked, every undecidable one the response may break (its
 * requirement is unmet, or met for a negative rule). MAY rules never give issues.
 * @param outcomes - from `evaluateRules`
 * @param statusCode - the response's code, for the message
 * @param reason - the response's phrase, for the message
 * @param includeUndecidable - whether to report undecidable rules (code UNDECIDABLE_RULE)
 * @returns the issues in table order, each carrying its rule
 * @internal
 */
export function ruleIssues(
  outcomes: readonly RuleOutcome[],
  statusCode: number,
  reason: string,
  includeUndecidable: boolean,
): Issue[] {
  const issues: Issue[] = [];
  for (const { rule, status, requirementMet } of outcomes) {
    if (rule.level === 'MAY') continue;
    const severity = rule.level === 'MUST' || rule.level === 'MUST NOT' ? 'MUST' : 'SHOULD';
    const subject = `${statusCode} ${reason}`.trimEnd();
    if (status === 'violated') {
      issues.push(
        makeIssue({
          code: violationCode(rule),
          severity,
          header: rule.header,
          source: rule.source,
          problem: `${subject}: ${ruleClause(rule)}`,
          rule,
        }),
      );
    } else if (
      includeUndecidable &&
      status === 'undecidable' &&
      requirementMet !== undefined &&
      requirementMet === isNegativeRule(rule)
    ) {
      issues.push(
        makeIssue({
          code: 'UNDECIDABLE_RULE',
          severity,
          header: rule.header,
          source: rule.source,
          problem: `${subject}: ${ruleClause(rule)} if ${rule.condition}, which the messages cannot tell`,
          rule,
        }),
      );
    }
  }
  return issues;
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
