import { describe, expect, it } from 'vitest';
import type { HeaderRule } from '../../src/codes/index.js';
import { evaluateRules } from '../../src/message/index.js';
import { ruleClause, ruleIssues, violationCode } from '../../src/message/rule-issues.js';
import { makeRequest } from './support.js';

function rule(overrides: Partial<HeaderRule>): HeaderRule {
  return {
    header: 'Allow',
    level: 'MUST',
    requirement: { kind: 'present' },
    when: [],
    condition: 'always',
    source: 'RFC 3261 §21.4.6',
    ...overrides,
  };
}

describe('violationCode', () => {
  it('names a missing, a forbidden and a malformed header', () => {
    expect(violationCode(rule({}))).toBe('MISSING_REQUIRED_HEADER');
    expect(violationCode(rule({ level: 'SHOULD NOT' }))).toBe('FORBIDDEN_HEADER');
    expect(violationCode(rule({ requirement: { kind: 'hasTag' } }))).toBe('HEADER_RULE_VIOLATED');
  });
});

describe('ruleClause', () => {
  it.each<[Partial<HeaderRule>, string]>([
    [{}, 'an Allow header is required'],
    [{ level: 'SHOULD', header: 'Supported' }, 'a Supported header is recommended'],
    [{ level: 'MUST NOT', header: 'Contact' }, 'a Contact header is not allowed'],
    [
      { header: 'Record-Route', requirement: { kind: 'copiedFromRequest' } },
      'every Record-Route value of the request must be copied unchanged and in order',
    ],
    [{ header: 'To', requirement: { kind: 'hasTag' } }, 'the To header must carry a tag'],
    [
      { header: 'To', level: 'SHOULD NOT', requirement: { kind: 'hasTag' } },
      'the To header should carry no tag',
    ],
    [
      { header: 'Require', requirement: { kind: 'listsOptionTag', optionTag: '100rel' } },
      'Require must list the option-tag "100rel"',
    ],
    [
      {
        header: 'Require',
        level: 'MUST NOT',
        requirement: { kind: 'listsOptionTag', optionTag: '199' },
      },
      'Require must not list the option-tag "199"',
    ],
    [
      { header: 'Contact', requirement: { kind: 'paramOnEachValue', param: 'expires' } },
      'every Contact value must carry a "expires" parameter',
    ],
    [
      {
        header: 'Call-Info',
        requirement: { kind: 'paramOnEachValue', param: 'purpose', value: 'jwscard' },
      },
      'every Call-Info value must carry a "purpose" parameter equal to "jwscard"',
    ],
  ])('%j → %s', (overrides, clause) => {
    expect(ruleClause(rule(overrides))).toBe(clause);
  });
});

describe('ruleIssues', () => {
  it('reports violations with the rule, its source and severity', () => {
    const issues = ruleIssues(
      evaluateRules(makeRequest('OPTIONS'), 405, { headers: [] }),
      405,
      'Method Not Allowed',
      false,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'MISSING_REQUIRED_HEADER',
      severity: 'MUST',
      header: 'Allow',
    });
    expect(issues[0]?.message).toBe(
      `405 Method Not Allowed: an Allow header is required (${issues[0]?.source})`,
    );
  });

  it('reports undecidable rules only when asked, and only those the response may break', () => {
    const outcomes = evaluateRules(makeRequest('REGISTER'), 421, {
      headers: [{ name: 'Require', value: 'x' }],
    });
    expect(ruleIssues(outcomes, 421, 'Extension Required', false)).toEqual([]);
    expect(
      ruleIssues(outcomes, 421, 'Extension Required', true).map((issue) => [
        issue.code,
        issue.header,
      ]),
    ).toEqual([
      ['UNDECIDABLE_RULE', 'Security-Server'],
      ['UNDECIDABLE_RULE', 'Require'],
    ]);
    const met = evaluateRules(makeRequest('REGISTER'), 421, {
      headers: [
        { name: 'Require', value: 'sec-agree' },
        { name: 'Security-Server', value: 'digest' },
      ],
    });
    expect(ruleIssues(met, 421, 'Extension Required', true)).toEqual([]);
  });

  it('never reports a MAY rule', () => {
    expect(
      ruleIssues(
        evaluateRules(makeRequest('INVITE'), 486, { headers: [] }),
        486,
        'Busy Here',
        true,
      ),
    ).toEqual([]);
  });
});
