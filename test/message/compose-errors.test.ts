import { describe, expect, it } from 'vitest';
import { isSipError } from '../../src/errors.js';
import { COMPOSE_ERROR_CODES, ComposeError } from '../../src/message/index.js';

describe('ComposeError', () => {
  it('has unique UPPER_SNAKE codes', () => {
    expect(new Set(COMPOSE_ERROR_CODES).size).toBe(COMPOSE_ERROR_CODES.length);
    for (const code of COMPOSE_ERROR_CODES) expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
  });

  it('carries its facts and formats one sentence from them', () => {
    const error = new ComposeError(
      'MISSING_REQUIRED_HEADER',
      {
        subject: 'SUBSCRIBE request',
        header: 'Event',
        problem: 'an Event header is required',
        source: 'RFC 6665 §8.2.1',
        advice: "pass options.headers['Event']",
      },
      { cause: 'why' },
    );
    expect(error.message).toMatchInlineSnapshot(
      `"Cannot build SUBSCRIBE request: an Event header is required (RFC 6665 §8.2.1); pass options.headers['Event']"`,
    );
    expect([
      error.name,
      error.code,
      error.subject,
      error.header,
      error.source,
      error.cause,
    ]).toEqual([
      'ComposeError',
      'MISSING_REQUIRED_HEADER',
      'SUBSCRIBE request',
      'Event',
      'RFC 6665 §8.2.1',
      'why',
    ]);
    expect(isSipError(error)).toBe(true);
  });
});
