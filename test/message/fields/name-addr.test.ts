import { describe, expect, it } from 'vitest';
import { type NameAddr, parseNameAddr } from '../../../src/message/fields/name-addr.js';
import { codeAt, failure } from './helpers.js';

/** The result as plain data, params as entry arrays. */
function plain(value: string): Record<string, unknown> {
  const result: NameAddr = parseNameAddr(value);
  if (result.wildcard) return { wildcard: true };
  // `uri` is compared as its text here; the parsed URI has tests of its own
  const { params, uri: _uri, uriText, ...rest } = result;
  return { ...rest, uri: uriText, params: [...params] };
}

describe('parseNameAddr', () => {
  it('reads a quoted display name, the URI and a tag', () => {
    expect(plain('"Bob" <sip:bob@biloxi.com>;tag=a6c85cf')).toEqual({
      wildcard: false,
      displayName: 'Bob',
      uri: 'sip:bob@biloxi.com',
      params: [['tag', 'a6c85cf']],
      tag: 'a6c85cf',
    });
  });

  it('reads a bare addr-spec without display name or params', () => {
    expect(plain('sip:user@example.com')).toEqual({
      wildcard: false,
      uri: 'sip:user@example.com',
      params: [],
    });
  });

  it('resolves quoted-pairs in the display name (RFC 4475 §3.1.1.1)', () => {
    expect(
      parseNameAddr('"J Rosenberg \\\\\\""       <sip:jdrosen@example.com>  ;  tag = 98asjd8'),
    ).toEqual(expect.objectContaining({ displayName: 'J Rosenberg \\"', tag: '98asjd8' }));
    expect(
      plain(
        '"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam = newvalue ;  secondparam ; q = 0.33',
      ),
    ).toEqual({
      wildcard: false,
      displayName: 'Quoted string ""',
      uri: 'sip:jdrosen@example.com',
      params: [
        ['newparam', 'newvalue'],
        ['secondparam', undefined],
        ['q', '0.33'],
      ],
    });
  });

  it('keeps control characters escaped in the display name (RFC 4475 §3.1.1.2)', () => {
    const result = parseNameAddr(
      '"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
    );
    expect(result).toEqual(
      expect.objectContaining({
        displayName: 'BEL:\x07 NUL:\x00 DEL:\x7f',
        uriText: "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com",
      }),
    );
  });

  it('reads a token display name and a quoted UTF-8 parameter (RFC 4475 §3.1.1.2)', () => {
    expect(
      plain(
        "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.",
      ),
    ).toEqual({
      wildcard: false,
      displayName: "token1~` token2'+_ token3*%!.-",
      uri: 'sip:mundane@example.com',
      params: [
        ["fromparam''~+*_!.-%", 'работающий'],
        ['tag', "_token~1'+`*%!-."],
      ],
      tag: "_token~1'+`*%!-.",
    });
  });

  it('keeps UTF-8 in a quoted display name', () => {
    expect(parseNameAddr('"Jürgen 東京" <sip:j@example.com>')).toEqual(
      expect.objectContaining({ displayName: 'Jürgen 東京' }),
    );
  });

  it('accepts a display name touching "<" (RFC 4475 §3.1.1.6)', () => {
    expect(plain('caller<sip:caller@example.com>;tag=323')).toEqual({
      wildcard: false,
      displayName: 'caller',
      uri: 'sip:caller@example.com',
      params: [['tag', '323']],
      tag: '323',
    });
  });

  it('treats ";param" after a bare URI as a header parameter (RFC 4475 §3.3.12, RFC 8217)', () => {
    expect(plain('sip:+19725552222@gw1.example.net;unknownparam')).toEqual({
      wildcard: false,
      uri: 'sip:+19725552222@gw1.example.net',
      params: [['unknownparam', undefined]],
    });
  });

  it('keeps ";param" inside "<>" in the URI (RFC 4475 §3.3.13)', () => {
    expect(plain('<sip:+19725552222@gw1.example.net;unknownparam>')).toEqual({
      wildcard: false,
      uri: 'sip:+19725552222@gw1.example.net;unknownparam',
      params: [],
    });
    expect(plain('<sip:services.example.com;lr;unknownwith=value;unknown-no-value>')).toEqual({
      wildcard: false,
      uri: 'sip:services.example.com;lr;unknownwith=value;unknown-no-value',
      params: [],
    });
  });

  it('reads a bare URI followed by whitespace before its params (RFC 4475 §3.1.1.1)', () => {
    expect(plain('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n')).toEqual({
      wildcard: false,
      uri: 'sip:vivekg@chair-dnrc.example.com',
      params: [['tag', '1918181833n']],
      tag: '1918181833n',
    });
  });

  it('keeps an escaped URI header inside "<>" (RFC 4475 §3.3.14)', () => {
    expect(parseNameAddr('<sip:user@example.com?Route=%3Csip:sip.example.com%3E>')).toEqual(
      expect.objectContaining({ uriText: 'sip:user@example.com?Route=%3Csip:sip.example.com%3E' }),
    );
  });

  it('accepts URIs of other schemes (RFC 4475 §3.3.4)', () => {
    expect(plain('isbn:2983792873')).toEqual({
      wildcard: false,
      uri: 'isbn:2983792873',
      params: [],
    });
    expect(plain('<http://www.example.com>;tag=3234233')).toEqual({
      wildcard: false,
      uri: 'http://www.example.com',
      params: [['tag', '3234233']],
      tag: '3234233',
    });
  });

  it('accepts IPv6 hosts (RFC 5118 §4.9)', () => {
    expect(plain('"T. desk phone" <sip:ted@[::ffff:192.0.2.2]>')).toEqual({
      wildcard: false,
      displayName: 'T. desk phone',
      uri: 'sip:ted@[::ffff:192.0.2.2]',
      params: [],
    });
  });

  it('returns the wildcard for "*"', () => {
    expect(parseNameAddr('*')).toEqual({ wildcard: true });
    expect(parseNameAddr(' * ')).toEqual({ wildcard: true });
  });

  it('keeps an empty quoted display name', () => {
    expect(parseNameAddr('"" <sip:a@b.com>')).toEqual(expect.objectContaining({ displayName: '' }));
  });

  it('rejects a bare URI with headers or commas (RFC 4475 §3.1.2.13)', () => {
    expect(
      codeAt(() => parseNameAddr('sip:user@example.com?Route=%3Csip:sip.example.com%3E')),
    ).toEqual(['INVALID_NAME_ADDR', 20]);
    expect(codeAt(() => parseNameAddr('sip:a@b.com,x'))).toEqual(['INVALID_NAME_ADDR', 11]);
  });

  it('rejects spaces inside the angle brackets (RFC 4475 §3.1.2.14)', () => {
    expect(codeAt(() => parseNameAddr('"Watson, Thomas" < sip:t.watson@example.org >'))).toEqual([
      'INVALID_URI',
      18,
    ]);
  });

  it('rejects an unquoted display name with a comma (RFC 4475 §3.1.2.15)', () => {
    expect(
      codeAt(() => parseNameAddr('Bell, Alexander <sip:a.g.bell@example.com>;tag=43')),
    ).toEqual(['INVALID_NAME_ADDR', 4]);
  });

  it('rejects an unterminated display name (RFC 4475 §3.1.2.6)', () => {
    expect(codeAt(() => parseNameAddr('"Mr. J. User <sip:j.user@example.com>'))).toEqual([
      'INVALID_QUOTED_STRING',
      0,
    ]);
  });

  it('rejects empty parameters after ">" (RFC 4475 §3.1.2.1)', () => {
    expect(codeAt(() => parseNameAddr('"Joe" <sip:joe@example.org>;;;;'))).toEqual([
      'INVALID_PARAMETER',
      28,
    ]);
  });

  it('rejects a missing ">", text after ">" and a quoted name without "<"', () => {
    expect(codeAt(() => parseNameAddr('<sip:a@b.com'))).toEqual(['INVALID_NAME_ADDR', 0]);
    expect(codeAt(() => parseNameAddr('<sip:a@b.com> x'))).toEqual(['INVALID_PARAMETER', 14]);
    expect(codeAt(() => parseNameAddr('"A" sip:a@b.com'))).toEqual(['INVALID_NAME_ADDR', 4]);
    expect(codeAt(() => parseNameAddr(''))).toEqual(['INVALID_NAME_ADDR', 0]);
    expect(codeAt(() => parseNameAddr('<>'))).toEqual(['INVALID_URI', 1]);
  });

  it('rejects a tag without a value and a repeated tag', () => {
    expect(codeAt(() => parseNameAddr('<sip:a@b.com>;TAG'))).toEqual(['INVALID_PARAMETER', 14]);
    expect(codeAt(() => parseNameAddr('<sip:a@b.com>;tag=1;tag=2'))).toEqual([
      'INVALID_PARAMETER',
      20,
    ]);
  });

  it('says what was expected', () => {
    expect(failure(() => parseNameAddr('sip:a@b.com?x=y')).message).toMatchInlineSnapshot(
      `"Invalid name-addr at character 11: expected a URI with "?" or "," enclosed in "<" and ">" (RFC 3261 §20), found "?x=y""`,
    );
  });
});
