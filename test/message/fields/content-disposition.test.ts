import { describe, expect, it } from 'vitest';
import { parseContentDisposition } from '../../../src/message/fields/content-disposition.js';
import { codeAt } from './helpers.js';

describe('parseContentDisposition', () => {
  it('reads the type and handling, lower-cased (RFC 3261 §20.11)', () => {
    const disposition = parseContentDisposition('Signal ; Handling=Optional;x="y"');
    expect(disposition).toMatchObject({ type: 'signal', handling: 'optional' });
    expect(disposition.params.get('x')).toBe('y');
  });

  it('defaults handling to required', () => {
    expect(parseContentDisposition('session').handling).toBe('required');
  });

  it.each([
    ['', 0],
    [';handling=optional', 0],
    ['session;handling', 8],
    ['session;handling="optional"', 8],
  ])('rejects %j with INVALID_CONTENT_DISPOSITION at %i', (value, offset) => {
    expect(codeAt(() => parseContentDisposition(value))).toEqual([
      'INVALID_CONTENT_DISPOSITION',
      offset,
    ]);
  });

  it('reports a bad parameter list with INVALID_PARAMETER', () => {
    expect(codeAt(() => parseContentDisposition('session;;'))[0]).toBe('INVALID_PARAMETER');
  });
});
