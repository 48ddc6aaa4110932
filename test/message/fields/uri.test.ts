import { describe, expect, it } from 'vitest';
import { parseUri, type SipUri } from '../../../src/message/fields/uri.js';
import { codeAt, failure } from './helpers.js';

function sip(text: string): SipUri {
  const uri = parseUri(text);
  if (uri.kind !== 'sip') throw new Error(`not a SIP URI: ${text}`);
  return uri;
}

/** The SIP URI as plain data, maps turned into entry arrays, for exact comparison. */
function plain(text: string): Record<string, unknown> {
  const { params, headers, ...rest } = sip(text);
  return { ...rest, params: [...params], headers: [...headers] };
}

describe('parseUri', () => {
  it('splits a full SIP URI into its parts', () => {
    expect(
      plain(
        'SIP:alice:secretword@Atlanta.COM:5061;transport=TCP;lr?subject=project%20x&priority=urgent',
      ),
    ).toEqual({
      kind: 'sip',
      scheme: 'sip',
      user: 'alice',
      password: 'secretword',
      host: 'atlanta.com',
      port: 5061,
      params: [
        ['transport', 'TCP'],
        ['lr', undefined],
      ],
      headers: [
        ['subject', 'project x'],
        ['priority', 'urgent'],
      ],
      raw: 'SIP:alice:secretword@Atlanta.COM:5061;transport=TCP;lr?subject=project%20x&priority=urgent',
    });
  });

  it('parses a host-only sips URI without optional parts', () => {
    expect(plain('sips:example.com')).toEqual({
      kind: 'sip',
      scheme: 'sips',
      host: 'example.com',
      params: [],
      headers: [],
      raw: 'sips:example.com',
    });
  });

  it('unescapes the user exactly once (RFC 4475 §3.1.1.3)', () => {
    expect(sip('sip:%61lice@atlanta.com').user).toBe('alice');
    expect(sip('sip:sips%3Auser%40example.com@example.net').user).toBe('sips:user@example.com');
    expect(sip('sip:%2525@a.com').user).toBe('%25');
    expect(sip('sip:I%20have%20spaces@example.net').user).toBe('I have spaces');
  });

  it('unescapes URI parameter names and values once (RFC 4475 §3.1.1.3)', () => {
    const uri = sip('sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31');
    expect(uri.user).toBe('caller');
    expect([...uri.params]).toEqual([
      ['lr', undefined],
      ['name', 'value%41'],
    ]);
  });

  it('keeps escaped NULs in the user without truncating (RFC 4475 §3.1.1.4)', () => {
    expect(sip('sip:null-%00-null@example.com').user).toBe('null-\x00-null');
    expect(sip('sip:%00%00@host5.example.com').user).toBe('\x00\x00');
  });

  it('decodes escaped UTF-8 in the user', () => {
    expect(sip('sip:j%C3%BCrgen@example.com').user).toBe('jürgen');
  });

  it('reads ";" in the user part as part of the user (RFC 4475 §3.1.1.9)', () => {
    const uri = sip('sip:user;par=u%40example.net@example.com');
    expect([uri.user, uri.host, uri.params.size]).toEqual([
      'user;par=u@example.net',
      'example.com',
      0,
    ]);
  });

  it('accepts the unusual user and password of RFC 4475 §3.1.1.2', () => {
    const uri = sip(
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
    );
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe('example.com');
  });

  it('keeps the brackets of an IPv6 reference in host (RFC 5118 §4.1)', () => {
    expect(sip('sip:[2001:DB8::10]').host).toBe('[2001:db8::10]');
    expect(sip('sip:caller@[2001:db8::1]').host).toBe('[2001:db8::1]');
  });

  it('never reads the last IPv6 group as a port (RFC 5118 §4.3, §4.4)', () => {
    const ambiguous = sip('sip:[2001:db8::10:5070]');
    expect([ambiguous.host, ambiguous.port]).toEqual(['[2001:db8::10:5070]', undefined]);
    const unambiguous = sip('sip:[2001:db8::10]:5070');
    expect([unambiguous.host, unambiguous.port]).toEqual(['[2001:db8::10]', 5070]);
  });

  it('accepts IPv4-mapped, two-colon and tolerated three-colon forms (RFC 5118 §4.9, §4.10)', () => {
    expect(sip('sip:ted@[::ffff:192.0.2.2]').host).toBe('[::ffff:192.0.2.2]');
    expect(sip('sip:user@[2001:db8::192.0.2.1]').host).toBe('[2001:db8::192.0.2.1]');
    expect(sip('sip:user@[2001:db8:::192.0.2.1]').host).toBe('[2001:db8:::192.0.2.1]');
  });

  it('accepts a scoped address with an escaped zone (RFC 6874 §2)', () => {
    expect(sip('sip:[fe80::1%25eth0]:5060').host).toBe('[fe80::1%25eth0]');
  });

  it('rejects an IPv6 address without brackets (RFC 5118 §4.2)', () => {
    expect(codeAt(() => parseUri('sip:2001:db8::10'))).toEqual(['INVALID_URI', 4]);
  });

  it('rejects malformed IPv6 references', () => {
    expect(codeAt(() => parseUri('sip:[2001:db8::1'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('sip:[1:2:3:4:5:6:7:8:9]'))).toEqual(['INVALID_URI', 5]);
    expect(codeAt(() => parseUri('sip:[1::2::3]'))).toEqual(['INVALID_URI', 9]);
    expect(codeAt(() => parseUri('sip:[12345::1]'))).toEqual(['INVALID_URI', 5]);
    expect(codeAt(() => parseUri('sip:[::1:]'))).toEqual(['INVALID_URI', 8]);
    expect(codeAt(() => parseUri('sip:[2001:db8:::1]'))).toEqual(['INVALID_URI', 15]);
    expect(codeAt(() => parseUri('sip:[fe80::1%eth0]'))).toEqual(['INVALID_URI', 12]);
    expect(codeAt(() => parseUri('sip:[::ffff:192.0.2.256]'))).toEqual(['INVALID_URI', 20]);
  });

  it('accepts ports 0 to 65535, with leading zeros (port = 1*DIGIT, as in a Via)', () => {
    expect(sip('sip:a.com:0').port).toBe(0);
    expect(sip('sip:a.com:65535').port).toBe(65535);
    expect(sip('sip:a.com:05060').port).toBe(5060);
    expect(sip('sip:a.com:000005060').port).toBe(5060);
    expect(sip(`sip:a.com:${'0'.repeat(40)}65535`).port).toBe(65535);
  });

  it('rejects out-of-range and missing ports', () => {
    expect(codeAt(() => parseUri('sip:a.com:65536'))).toEqual(['NUMBER_OUT_OF_RANGE', 10]);
    expect(codeAt(() => parseUri('sip:a.com:0065536'))).toEqual(['NUMBER_OUT_OF_RANGE', 10]);
    expect(codeAt(() => parseUri(`sip:a.com:${'9'.repeat(400)}`))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      10,
    ]);
    expect(codeAt(() => parseUri('sip:a.com:'))).toEqual(['INVALID_URI', 10]);
  });

  it('checks hostnames and IPv4 addresses (RFC 3261 §25.1)', () => {
    expect(sip('sip:a@chair-dnrc.example.com.').host).toBe('chair-dnrc.example.com.');
    expect(sip('sip:192.0.2.1').host).toBe('192.0.2.1');
    expect(sip('sip:255.255.255.255').host).toBe('255.255.255.255');
    expect(codeAt(() => parseUri('sip:-a.com'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('sip:a-.com'))).toEqual(['INVALID_URI', 5]);
    expect(codeAt(() => parseUri('sip:a..com'))).toEqual(['INVALID_URI', 6]);
    expect(codeAt(() => parseUri('sip:example.123'))).toEqual(['INVALID_URI', 12]);
    expect(codeAt(() => parseUri('sip:192.0.2.256'))).toEqual(['INVALID_URI', 12]);
    expect(codeAt(() => parseUri('sip:192.0.2'))).toEqual(['INVALID_URI', 11]);
    expect(codeAt(() => parseUri('sip:a_b.com'))).toEqual(['INVALID_URI', 5]);
  });

  it('rejects an empty user, an empty host and bad characters in the user', () => {
    expect(codeAt(() => parseUri('sip:@a.com'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('sip:a@'))).toEqual(['INVALID_URI', 6]);
    expect(codeAt(() => parseUri('sip:'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('sip:a b@c.com'))).toEqual(['INVALID_URI', 5]);
    expect(codeAt(() => parseUri('sip:a%4@c.com'))).toEqual(['INVALID_URI', 5]);
    expect(codeAt(() => parseUri('sip:a%zz@c.com'))).toEqual(['INVALID_URI', 5]);
  });

  it('rejects embedded whitespace and angle brackets (RFC 4475 §3.1.2.7, §3.1.2.8)', () => {
    expect(codeAt(() => parseUri('sip:user@example.com; lr'))).toEqual(['INVALID_PARAMETER', 21]);
    expect(codeAt(() => parseUri('<sip:user@example.com>'))).toEqual(['INVALID_URI', 0]);
    expect(codeAt(() => parseUri('sip:user@example.com>'))).toEqual(['INVALID_URI', 20]);
    expect(codeAt(() => parseUri(' sip:a.com'))).toEqual(['INVALID_URI', 0]);
  });

  it('rejects repeated or empty URI parameters', () => {
    expect(codeAt(() => parseUri('sip:a.com;lr;LR'))).toEqual(['INVALID_PARAMETER', 13]);
    expect(codeAt(() => parseUri('sip:a.com;;lr'))).toEqual(['INVALID_PARAMETER', 10]);
    expect(codeAt(() => parseUri('sip:a.com;maddr='))).toEqual(['INVALID_PARAMETER', 16]);
  });

  it('keeps Route-style URI params inside brackets (RFC 4475 §3.1.1.1)', () => {
    expect([
      ...sip('sip:services.example.com;lr;unknownwith=value;unknown-no-value').params,
    ]).toEqual([
      ['lr', undefined],
      ['unknownwith', 'value'],
      ['unknown-no-value', undefined],
    ]);
  });

  it('unescapes URI headers (RFC 4475 §3.3.14)', () => {
    expect([...sip('sip:user@example.com?Route=%3Csip:sip.example.com%3E').headers]).toEqual([
      ['Route', '<sip:sip.example.com>'],
    ]);
    expect([...sip('sip:a.com?x=').headers]).toEqual([['x', '']]);
  });

  it('rejects malformed URI headers', () => {
    expect(codeAt(() => parseUri('sip:a.com?'))).toEqual(['INVALID_URI', 10]);
    expect(codeAt(() => parseUri('sip:a.com?x'))).toEqual(['INVALID_URI', 11]);
    expect(codeAt(() => parseUri('sip:a.com?x=1&x=2'))).toEqual(['INVALID_URI', 14]);
    expect(codeAt(() => parseUri('sip:a.com?x=1&'))).toEqual(['INVALID_URI', 14]);
  });

  it('keeps other schemes opaque (RFC 4475 §3.3.2–§3.3.4)', () => {
    for (const [text, scheme] of [
      ['nobodyKnowsThisScheme:totallyopaquecontent', 'nobodyknowsthisscheme'],
      ['soap.beep://192.0.2.103:3002', 'soap.beep'],
      ['isbn:2983792873', 'isbn'],
      ['http://www.example.com', 'http'],
      ['name:John_Smith', 'name'],
      ['tel:+1-201-555-0123;phone-context=example.com', 'tel'],
      ['mailto:alice%40example.com', 'mailto'],
      ['urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'urn'],
    ] as const) {
      expect(parseUri(text)).toEqual({ kind: 'opaque', scheme, raw: text });
    }
  });

  it('rejects a missing scheme, an empty opaque URI and non-URI characters', () => {
    expect(codeAt(() => parseUri('user@example.com'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('1sip:a'))).toEqual(['INVALID_URI', 0]);
    expect(codeAt(() => parseUri('tel:'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('http://a b'))).toEqual(['INVALID_URI', 8]);
    expect(codeAt(() => parseUri('urn:%4'))).toEqual(['INVALID_URI', 4]);
    expect(codeAt(() => parseUri('x:"y"'))).toEqual(['INVALID_URI', 2]);
  });

  it('says what was wrong, where and what was found', () => {
    expect(failure(() => parseUri('sip:2001:db8::10')).message).toMatchInlineSnapshot(
      `"Invalid URI at character 4: expected a hostname or an IPv4 address (RFC 3261 §25.1), found "2001:db8::10""`,
    );
  });
});
