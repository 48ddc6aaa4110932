import { describe, expect, it } from 'vitest';
import { parseContentType } from '../../../src/message/fields/content-type.js';
import { codeAt, failure } from './helpers.js';

describe('parseContentType', () => {
  it('lower-cases type and subtype', () => {
    expect(parseContentType('Application/SDP')).toEqual({
      type: 'application',
      subtype: 'sdp',
      params: new Map(),
    });
  });

  it('reads parameters, quoted or not, with whitespace (RFC 4475 §3.1.1.11)', () => {
    const value = parseContentType('multipart/mixed;boundary=7a9cbec02ceef655 ; Charset="UTF-8"');
    expect([value.type, value.subtype, [...value.params]]).toEqual([
      'multipart',
      'mixed',
      [
        ['boundary', '7a9cbec02ceef655'],
        ['charset', 'UTF-8'],
      ],
    ]);
  });

  it('allows whitespace around "/"', () => {
    expect(parseContentType('text / plain')).toEqual(
      expect.objectContaining({ type: 'text', subtype: 'plain' }),
    );
  });

  it('accepts an unknown media type (RFC 4475 §3.3.6)', () => {
    expect(parseContentType('application/unknownformat').subtype).toBe('unknownformat');
  });

  it('rejects a missing type, slash or subtype', () => {
    expect(codeAt(() => parseContentType(''))).toEqual(['INVALID_CONTENT_TYPE', 0]);
    expect(codeAt(() => parseContentType('application'))).toEqual(['INVALID_CONTENT_TYPE', 11]);
    expect(codeAt(() => parseContentType('application/'))).toEqual(['INVALID_CONTENT_TYPE', 12]);
    expect(codeAt(() => parseContentType('/sdp'))).toEqual(['INVALID_CONTENT_TYPE', 0]);
    expect(codeAt(() => parseContentType('a/b/c'))).toEqual(['INVALID_PARAMETER', 3]);
  });

  it('rejects parameters without a value or with a non-token value', () => {
    expect(codeAt(() => parseContentType('text/plain;flag'))).toEqual(['INVALID_CONTENT_TYPE', 11]);
    expect(codeAt(() => parseContentType('text/plain;a=[::1]'))).toEqual([
      'INVALID_CONTENT_TYPE',
      13,
    ]);
    expect(codeAt(() => parseContentType('text/plain;a=1;A=2'))).toEqual(['INVALID_PARAMETER', 15]);
  });

  it('says what was expected', () => {
    expect(failure(() => parseContentType('application')).message).toMatchInlineSnapshot(
      `"Invalid Content-Type at character 11: expected "/" between type and subtype, found the end of the value"`,
    );
  });
});
