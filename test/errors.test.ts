import { describe, expect, it } from 'vitest';
import { isSipError } from '../src/errors.js';
import { ParseError } from '../src/parse/errors.js';

describe('isSipError', () => {
  it('recognises a sipwire error by its brand', () => {
    expect(isSipError(new ParseError('INVALID_START_LINE', 0, 'x'))).toBe(true);
  });
  it('rejects plain errors and non-objects', () => {
    expect(isSipError(new Error('x'))).toBe(false);
    expect(isSipError(null)).toBe(false);
    expect(isSipError('x')).toBe(false);
  });
});
