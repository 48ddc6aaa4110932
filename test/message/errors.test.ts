import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../src/codes/index.js';
import { isSipError, SipError } from '../../src/errors.js';
import { describeBuildError, describeSerializeError, makeIssue } from '../../src/message/errors.js';
import {
  BUILD_ERROR_CODES,
  BuildError,
  ISSUE_CODES,
  SERIALIZE_ERROR_CODES,
  SerializeError,
} from '../../src/message/index.js';

describe('error code lists', () => {
  it.each([
    ['BUILD_ERROR_CODES', BUILD_ERROR_CODES],
    ['SERIALIZE_ERROR_CODES', SERIALIZE_ERROR_CODES],
    ['ISSUE_CODES', ISSUE_CODES],
  ])('%s holds unique UPPER_SNAKE codes', (_name, codes) => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]+(_[A-Z0-9]+)*$/);
  });

  it('gives table-rule violations the same codes in BuildError and Issue', () => {
    for (const code of [
      'MISSING_REQUIRED_HEADER',
      'FORBIDDEN_HEADER',
      'HEADER_RULE_VIOLATED',
    ] as const) {
      expect(BUILD_ERROR_CODES).toContain(code);
      expect(ISSUE_CODES).toContain(code);
    }
  });
});

describe('BuildError', () => {
  const [rule] = rulesFor(405);
  const error = new BuildError(
    'MISSING_REQUIRED_HEADER',
    {
      statusCode: 405,
      reason: 'Method Not Allowed',
      header: 'Allow',
      problem: 'an Allow header is required',
      source: 'RFC 3261 §21.4.6',
      advice: 'pass options.allow',
      rule,
    },
    { cause: 'why' },
  );

  it('carries the code, status code, header, source, rule and cause', () => {
    expect([
      error.code,
      error.statusCode,
      error.header,
      error.source,
      error.rule,
      error.cause,
    ]).toEqual(['MISSING_REQUIRED_HEADER', 405, 'Allow', 'RFC 3261 §21.4.6', rule, 'why']);
  });

  it('is a SipError recognised by its brand', () => {
    expect(error).toBeInstanceOf(SipError);
    expect(isSipError(error)).toBe(true);
    expect(error.name).toBe('BuildError');
  });

  it('formats one sentence from the facts', () => {
    expect(error.message).toMatchInlineSnapshot(
      `"Cannot build 405 Method Not Allowed: an Allow header is required (RFC 3261 §21.4.6); pass options.allow"`,
    );
  });

  it('names the response by its code alone when there is no phrase', () => {
    expect(describeBuildError({ statusCode: 700, problem: 'bad', source: 'RFC 3261 §7.2' })).toBe(
      'Cannot build a 700 response: bad (RFC 3261 §7.2)',
    );
  });
});

describe('SerializeError', () => {
  const error = new SerializeError('INVALID_HEADER_VALUE', {
    part: 'headerValue',
    header: 'Subject',
    index: 1,
    text: 'a\r\nb',
    expected: 'no CR or LF',
  });

  it('carries the code, part, header and index', () => {
    expect([error.code, error.part, error.header, error.index, error.name]).toEqual([
      'INVALID_HEADER_VALUE',
      'headerValue',
      'Subject',
      1,
      'SerializeError',
    ]);
    expect(isSipError(error)).toBe(true);
  });

  it('shows the text escaped', () => {
    expect(error.message).toBe(
      'Cannot serialize header value of Subject at character 1: expected no CR or LF, found "a\\x0d\\x0ab"',
    );
  });

  it('leaves out the header and the index when there are none', () => {
    expect(describeSerializeError({ part: 'status', text: '700', expected: 'a code' })).toBe(
      'Cannot serialize status code: expected a code, found "700"',
    );
  });
});

describe('makeIssue', () => {
  it('formats the message as problem and source', () => {
    expect(
      makeIssue({
        code: 'MISSING_TO_TAG',
        severity: 'MUST',
        header: 'To',
        source: 'RFC 3261 §8.2.6.2',
        problem: 'No tag',
      }),
    ).toEqual({
      code: 'MISSING_TO_TAG',
      severity: 'MUST',
      header: 'To',
      source: 'RFC 3261 §8.2.6.2',
      message: 'No tag (RFC 3261 §8.2.6.2)',
    });
  });

  it('leaves undefined fields out', () => {
    const issue = makeIssue({
      code: 'UNSUPPORTED_VERSION',
      severity: 'MUST',
      header: undefined,
      source: 'RFC 3261 §7.1',
      problem: 'x',
    });
    expect(Object.keys(issue)).toEqual(['code', 'severity', 'source', 'message']);
  });
});
