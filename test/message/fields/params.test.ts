import { describe, expect, it } from 'vitest';
import { isToken, parseParameters } from '../../../src/message/fields/params.js';
import { codeAt, failure } from './helpers.js';

describe('parseParameters', () => {
  it('returns an ordered map with lower-cased names and flags as undefined', () => {
    const params = parseParameters(';Tag=AbC;lr;Q=0.5');
    expect([...params]).toEqual([
      ['tag', 'AbC'],
      ['lr', undefined],
      ['q', '0.5'],
    ]);
  });

  it('is empty for an empty or blank string', () => {
    expect(parseParameters('').size).toBe(0);
    expect(parseParameters('  ').size).toBe(0);
  });

  it('allows whitespace around ";" and "=" (RFC 4475 §3.1.1.1)', () => {
    expect([...parseParameters(' ; newparam = newvalue ;  secondparam ; q = 0.33')]).toEqual([
      ['newparam', 'newvalue'],
      ['secondparam', undefined],
      ['q', '0.33'],
    ]);
  });

  it('unquotes quoted values and resolves quoted-pairs', () => {
    expect([...parseParameters(';+sip.instance="<urn:uuid:1>";x="a\\"b;c"')]).toEqual([
      ['+sip.instance', '<urn:uuid:1>'],
      ['x', 'a"b;c'],
    ]);
    expect(parseParameters(';e=""').get('e')).toBe('');
  });

  it('accepts host values, bracketed or bare IPv6 (RFC 5118 §4.5)', () => {
    expect(parseParameters(';received=[2001:db8::9:255]').get('received')).toBe(
      '[2001:db8::9:255]',
    );
    expect(parseParameters(';received=2001:db8::9:255').get('received')).toBe('2001:db8::9:255');
  });

  it('accepts every token character in names and values (RFC 4475 §3.1.1.2)', () => {
    expect([...parseParameters(";fromParam''~+*_!.-%=x;tag=_token~1'+`*%!-.")]).toEqual([
      ["fromparam''~+*_!.-%", 'x'],
      ['tag', "_token~1'+`*%!-."],
    ]);
  });

  it('keeps UTF-8 inside a quoted value', () => {
    expect(parseParameters(';p="Всем"').get('p')).toBe('Всем');
  });

  it('rejects a repeated name, in any case, at the second name', () => {
    expect(codeAt(() => parseParameters(';tag=1;TAG=2'))).toEqual(['INVALID_PARAMETER', 7]);
  });

  it('rejects empty parameters (RFC 4475 §3.1.2.1)', () => {
    expect(codeAt(() => parseParameters(';;;;'))).toEqual(['INVALID_PARAMETER', 1]);
    expect(codeAt(() => parseParameters(';'))).toEqual(['INVALID_PARAMETER', 1]);
    expect(codeAt(() => parseParameters(';a='))).toEqual(['INVALID_PARAMETER', 3]);
  });

  it('rejects text that does not start with ";" or does not separate with ";"', () => {
    expect(codeAt(() => parseParameters('tag=1'))).toEqual(['INVALID_PARAMETER', 0]);
    expect(codeAt(() => parseParameters(';a=1 b=2'))).toEqual(['INVALID_PARAMETER', 5]);
    expect(codeAt(() => parseParameters(';a=b,c'))).toEqual(['INVALID_PARAMETER', 4]);
  });

  it('rejects an unterminated quoted value', () => {
    expect(codeAt(() => parseParameters(';a="b'))).toEqual(['INVALID_QUOTED_STRING', 3]);
  });

  it('says which parameter is repeated', () => {
    expect(failure(() => parseParameters(';lr;lr')).message).toMatchInlineSnapshot(
      `"Duplicate parameter "lr" at character 4: expected each parameter name once (RFC 3261 §7.3.1), found "lr""`,
    );
  });
});

describe('isToken', () => {
  it('accepts tokens and rejects the rest', () => {
    expect(isToken("!interesting-Method0123456789_*+`.%indeed'~")).toBe(true);
    expect(isToken('')).toBe(false);
    expect(isToken('a b')).toBe(false);
    expect(isToken('a:b')).toBe(false);
    expect(isToken('é')).toBe(false);
  });
});
